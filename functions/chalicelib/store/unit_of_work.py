"""One change to the ledgers, written all at once or not at all.

A use case collects what a change consists of — new and changed records, the
checks they rest on (the grid exists and is active), claims on unique values,
counter deltas, audit entries — and commits them as one DynamoDB transaction.
When a condition fails, the error registered with that operation is raised,
so the caller learns which rule was broken and nothing is half-written.
"""

from dataclasses import dataclass
from typing import Any, Callable

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.operand import Path

from chalicelib import clock
from chalicelib.errors import Conflict, InvalidInput, WanggeError
from chalicelib.store import audit as audit_store
from chalicelib.store import counters
from chalicelib.store.base import cancellation_codes, write_transaction
from chalicelib.store.grids import GridModel
from chalicelib.store.uniques import UniqueModel, claim_key

MAX_ITEMS = 100  # DynamoDB's limit on the items of one transaction
LEDGER = "ledger"  # the counter bucket of current ledger totals


def version_conflict(what: str) -> Callable[[], WanggeError]:
    return lambda: Conflict(f"The {what} was changed by someone else; reload and retry",
                            code="version_conflict")


def already_exists(what: str) -> Callable[[], WanggeError]:
    return lambda: Conflict(f"The {what} exists already", code="already_exists")


# PynamoDB sends a transaction's items grouped in this order, and DynamoDB
# reports the cancellation reasons in the order it was sent.
_CHECK, _DELETE, _PUT, _UPDATE = range(4)


@dataclass
class _Operation:
    kind: int
    apply: Callable[[Any], None]
    failure: Callable[[], WanggeError] | None


class UnitOfWork:
    def __init__(self, caller: Any = None) -> None:
        self.caller = caller
        self._operations: list[_Operation] = []
        self._counts: list[tuple[str, str, dict[str, int]]] = []
        self._required_grids: set[str] = set()
        self._after_commit: list[Callable[[], None]] = []

    def add(self, item: Any, failure: Callable[[], WanggeError]) -> None:
        """A new record (fails when its key is taken)."""
        hash_attribute = type(item)._hash_key_attribute()
        condition = hash_attribute.does_not_exist()
        self._operations.append(_Operation(_PUT, lambda w: w.save(item, condition=condition),
                                           failure))

    def save(self, item: Any, failure: Callable[[], WanggeError],
             condition: Any = None) -> None:
        """A record read earlier, written back (fails when its version moved on)."""
        self._operations.append(_Operation(_PUT, lambda w: w.save(item, condition=condition),
                                           failure))

    def update(self, item: Any, actions: list, failure: Callable[[], WanggeError] | None = None
               ) -> None:
        """Update actions on a record (counts kept on it, a job's progress)."""
        self._operations.append(_Operation(
            _UPDATE, lambda w: w.update(item, actions=actions, add_version_condition=False),
            failure))

    def delete(self, item: Any, failure: Callable[[], WanggeError],
               condition: Any = None) -> None:
        self._operations.append(_Operation(_DELETE, lambda w: w.delete(item, condition=condition),
                                           failure))

    def require_grid(self, grid_code: str, field: str = "grid_code", *,
                     micro: bool = True) -> None:
        """The grid exists, is active and is not being moved (and is a micro-grid)."""
        if grid_code in self._required_grids:
            return  # a transaction may name an item once
        self._required_grids.add(grid_code)
        condition = GridModel.code.exists() & (GridModel.retired == False)  # noqa: E712
        condition &= GridModel.moving.does_not_exist()
        if micro:
            condition &= GridModel.level == "micro"
        what = "an active micro-grid" if micro else "an active grid"

        def failure() -> WanggeError:
            return InvalidInput(field, f"Grid {grid_code} is not {what}",
                                code="grid_unavailable")
        self._operations.append(_Operation(
            _CHECK, lambda w: w.condition_check(GridModel, grid_code, condition=condition),
            failure))

    def require_empty(self, grid_code: str, names: tuple[str, ...],
                      failure: Callable[[], WanggeError]) -> None:
        """The grid's ledger counters `names` are all zero when the change lands."""
        condition = None
        for name in names:
            path = Path(counters.PREFIX + name)
            zero = path.does_not_exist() | (path == 0)
            condition = zero if condition is None else condition & zero
        self._operations.append(_Operation(_CHECK, lambda w: w.condition_check(
            counters.CounterModel, grid_code, LEDGER, condition=condition), failure))

    def claim(self, kind: str, scope: str, value: str, owner_id: str,
              failure: Callable[[], WanggeError]) -> None:
        """Hold a unique value for `owner_id` (fails when another record holds it)."""
        claim = UniqueModel(claim_key(kind, scope, value), owner_id=owner_id)
        condition = UniqueModel.claim.does_not_exist() | (UniqueModel.owner_id == owner_id)
        self._operations.append(_Operation(_PUT, lambda w: w.save(claim, condition=condition),
                                           failure))

    def release(self, kind: str, scope: str, value: str, owner_id: str) -> None:
        claim = UniqueModel(claim_key(kind, scope, value), owner_id=owner_id)
        # Tolerant of a claim that is gone: releasing twice is releasing once.
        condition = UniqueModel.claim.does_not_exist() | (UniqueModel.owner_id == owner_id)
        self._operations.append(_Operation(
            _DELETE, lambda w: w.delete(claim, condition=condition), None))

    def count(self, grid_code: str, deltas: dict[str, int], bucket: str = LEDGER) -> None:
        self._counts.append((grid_code, bucket, deltas))

    def audit(self, *, action: str, record: str, scope_code: str,
              changes: dict | None = None, fields: str | None = None) -> None:
        entry = audit_store.build(
            at=clock.now(), actor_id=getattr(self.caller, "user_id", "system"),
            actor_name=getattr(self.caller, "name", ""),
            actor_role=getattr(self.caller, "role", "system"), action=action, record=record,
            scope_code=scope_code, fields=fields,
            source_ip=getattr(self.caller, "source_ip", None), changes=changes)
        self._operations.append(_Operation(
            _PUT, lambda w: w.save(entry, condition=audit_store.AuditModel.at_id.does_not_exist()),
            None))

    def after_commit(self, step: Callable[[], None]) -> None:
        """Run `step` once the change has landed."""
        self._after_commit.append(step)

    def keep_version(self, record: Any, item: Any) -> None:
        """Once the change has landed, the domain record has the version its
        stored item was written with."""
        self.after_commit(lambda: setattr(record, "version", int(item.version)))

    def savepoint(self) -> tuple[int, int, frozenset[str], int]:
        """Where the unit stands now, to go back to (an import fills a unit
        record by record and stops before it grows past one transaction)."""
        return (len(self._operations), len(self._counts), frozenset(self._required_grids),
                len(self._after_commit))

    def roll_back_to(self, point: tuple[int, int, frozenset[str], int]) -> None:
        operations, counts, grids, steps = point
        del self._operations[operations:]
        del self._counts[counts:]
        self._required_grids = set(grids)
        del self._after_commit[steps:]

    def size(self) -> int:
        return len(self._operations) + len(counters.merge(self._counts))

    def commit(self) -> None:
        if self.size() > MAX_ITEMS:
            raise InvalidInput("body", f"This change touches {self.size()} records; "
                               f"at most {MAX_ITEMS} change at once", code="too_large")
        if not self._operations and not self._counts:
            return
        operations = sorted(self._operations, key=lambda operation: operation.kind)

        def fill(write: Any) -> None:
            for operation in operations:
                operation.apply(write)
            counters.add_to(write, self._counts)

        try:
            write_transaction(fill)
        except TransactWriteError as exc:
            for operation, reason in zip(operations, cancellation_codes(exc)):
                if reason == "ConditionalCheckFailed":
                    if operation.failure is None:
                        raise
                    raise operation.failure() from None
            raise
        for step in self._after_commit:
            step()
