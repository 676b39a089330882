"""The one way the household and rental ledgers are written: a form, an Excel
import and the monthly rental recheck all describe what happened with a
`LedgerChange` (a household is created, residents join it, a tenant moves in or
out …), and the change fills a unit of work with everything that entails —
the records, their claims on unique values, the counter deltas of their grids
and ancestors, the grid checks and one audit entry per record changed.

Describing a change does what the domain does to the records (a household
admits a resident, a rental lets a tenant go) once; `fill` only reads them, so
an import may fill a change into a unit of work, find the transaction too
large, take it back and fill it into the next one.
"""

import copy
from dataclasses import dataclass
from datetime import date, datetime

from chalicelib import clock
from chalicelib.domain import ledger_records, qr_codes
from chalicelib.domain.ledger_records import (
    Claim,
    Footprint,
    Household,
    Rental,
    Resident,
    Tenant,
)
from chalicelib.errors import Conflict
from chalicelib.store import households as household_store
from chalicelib.store import qr_codes as qr_store
from chalicelib.store import rentals as rental_store
from chalicelib.store.unit_of_work import UnitOfWork

Record = Household | Resident | Rental | Tenant

# What a write finds taken or changed by someone else since the records were
# read: the form reports it, an import plans again from its file.
CONFLICTS = ("version_conflict", "already_exists", "address_taken", "id_number_taken",
             "tenant_current")

_MESSAGES = {
    ledger_records.HOUSEHOLD_ADDRESS: ("A household with this address is in the ledger already",
                                       "address_taken", "already registered"),
    ledger_records.RENTAL_ADDRESS: ("A rental with this address is in the ledger already",
                                    "address_taken", "already registered"),
    ledger_records.RESIDENT_ID_NUMBER: ("A resident with this ID number is in the ledger already",
                                        "id_number_taken", "already registered"),
    ledger_records.CURRENT_TENANT: ("This person lives in the rental already", "tenant_current",
                                    "a current tenant"),
}


def _taken(claim: Claim, field: str):
    message, code, detail = _MESSAGES[claim.kind]
    return lambda: Conflict(message, code=code, details=[{"field": field, "message": detail}])


@dataclass
class _Entry:
    record: Record
    action: str  # create | update | move | delete
    before: Footprint | None  # None: a new record
    audited: bool
    field: str  # the request field a claim of this record answers to
    sealed: Record | None = None  # the record as it stood when the change was sealed


class LedgerChange:
    """What one change of the ledger consists of, record by record; each record
    is written once however many events touch it."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._grids: list[str] = []  # micro-grids the change needs active

    # The events

    def household_created(self, household: Household, members: list[Resident]) -> None:
        ledger_records.refuse_repeated_id_numbers(members)
        self._create(household, "address")
        self._require(household.grid_code)
        self.residents_joined(household, members, field="members")

    def residents_joined(self, household: Household, residents: list[Resident], *,
                         field: str = "id_number") -> None:
        """New residents of a household (`field` names them in the request: a list
        field, or the one resident's id_number)."""
        if not residents:
            return
        self._touch(household)
        self._require(household.grid_code)
        for i, resident in enumerate(residents):
            household.admit(resident)
            self._create(resident, field if field == "id_number" else f"{field}.{i}.id_number")

    def resident_left(self, household: Household, resident: Resident) -> None:
        self._touch(household)
        household.let_go(resident)
        self._delete(resident)

    def household_moved(self, household: Household, members: list[Resident], grid_code: str,
                        *, now: datetime, moved_by: str | None) -> None:
        """The household and all its members move to another micro-grid."""
        before = household.footprint()
        household.move_to(grid_code, now, moved_by)
        self._update(household, before, action="move")
        self._require(grid_code)
        for member in members:
            member_before = member.footprint()
            member.grid_code = grid_code
            self._update(member, member_before, audited=False)

    def household_deleted(self, household: Household, members: list[Resident]) -> None:
        for member in members:
            self._delete(member)
        self._delete(household)

    def edited(self, record: Record, before: Footprint) -> None:
        """A record's own details changed (`before`: its footprint before)."""
        self._update(record, before)

    def rental_created(self, rental: Rental, tenants: list[Tenant] = ()) -> None:
        self._create(rental, "address")
        self._require(rental.grid_code)
        for tenant in tenants:
            self.tenant_moved_in(rental, tenant)

    def rental_deleted(self, rental: Rental, tenants_on_record: int) -> None:
        rental.check_deletable(tenants_on_record)
        self._delete(rental)

    def rental_handed(self, rental: Rental, worker_id: str | None) -> None:
        before = rental.footprint()
        rental.hand_to(worker_id)
        self._update(rental, before)

    def tenant_moved_in(self, rental: Rental, tenant: Tenant) -> None:
        """A tenant on the rental's record: living there now, or (entered
        afterwards) moved out already."""
        self._touch(rental)
        rental.admit(tenant)
        self._create(tenant, "id_number")

    def tenant_moved_out(self, rental: Rental, tenant: Tenant, day: date, *,
                         today: date) -> None:
        before = tenant.footprint()
        tenant.edit(move_out=day, today=today)
        self.tenant_edited(tenant, before, rental)

    def tenant_edited(self, tenant: Tenant, before: Footprint, rental: Rental | None) -> None:
        """A tenant's details changed, moving out perhaps among them (then
        `rental` is the tenant's, read for its count)."""
        if before.counts and not tenant.current:
            if rental is None:
                raise ValueError("a tenant moving out needs the rental")
            self._touch(rental)
            rental.let_go(tenant)
        self._update(tenant, before)

    def tenant_removed(self, rental: Rental | None, tenant: Tenant) -> None:
        """A tenant entered by mistake (`rental`: the tenant's, when current)."""
        if tenant.current:
            self._touch(rental)
            rental.let_go(tenant)
        self._delete(tenant)

    # What the events amount to

    def seal(self) -> None:
        """Write the records as they stand now, whatever later events do to them:
        an import writes a large household in parts, one transaction each, and
        each part must leave the household's member count right."""
        for entry in self._entries.values():
            entry.sealed = copy.deepcopy(entry.record)

    def fill(self, work: UnitOfWork) -> None:
        """Put the change into `work`; reads the records, changes none of them."""
        for grid_code in self._grids:
            work.require_grid(grid_code)
        for entry in self._entries.values():
            record = entry.record
            if entry.sealed is not None:
                # The version the record has by now: an earlier part may have written it.
                entry.sealed.version = record.version
                record = entry.sealed
            after = None if entry.action == "delete" else record.footprint()
            outcome = ledger_records.effect(entry.before, after)
            for claim in outcome.released:
                work.release(claim.kind, claim.scope, claim.value, _id_of(record))
            for claim in outcome.claimed:
                work.claim(claim.kind, claim.scope, claim.value, _id_of(record),
                           _taken(claim, entry.field))
            _store_of(record)[entry.action](work, record)
            if isinstance(record, Rental):
                _mark_board(work, record, entry.action)
            if entry.sealed is not None:
                work.after_commit(lambda e=entry: setattr(e.record, "version", e.sealed.version))
            for grid_code, deltas in outcome.counts:
                work.count(grid_code, deltas)
            if entry.audited:
                work.audit(action=entry.action, record=outcome.record,
                           scope_code=outcome.scope_code, changes=outcome.changes)

    def write(self, work: UnitOfWork) -> None:
        self.fill(work)
        work.commit()

    # Keeping each record once

    def _key(self, record: Record) -> str:
        return f"{type(record).__name__}#{_id_of(record)}"

    def _create(self, record: Record, field: str) -> None:
        self._entries[self._key(record)] = _Entry(record, "create", None, True, field)

    def _update(self, record: Record, before: Footprint, *, action: str = "update",
                audited: bool = True) -> None:
        entry = self._entries.get(self._key(record))
        if entry is None:
            record.updated_at = clock.now()
            self._entries[self._key(record)] = _Entry(record, action, before, audited,
                                                      _field_of(record))
            return
        if entry.action == "update":
            entry.audited = entry.audited or audited
            entry.action = action
        # A record created or moved in this change stays so; its first footprint holds.

    def _touch(self, record: Record) -> None:
        """The record is written again for what another record's change does to it
        (a member count, a tenant count): no audit entry of its own."""
        self._update(record, record.footprint(), audited=False)

    def _delete(self, record: Record) -> None:
        key = self._key(record)
        before = self._entries[key].before if key in self._entries else record.footprint()
        self._entries[key] = _Entry(record, "delete", before, True, _field_of(record))

    def _require(self, grid_code: str) -> None:
        if grid_code not in self._grids:
            self._grids.append(grid_code)


def _id_of(record: Record) -> str:
    if isinstance(record, Household):
        return record.household_id
    if isinstance(record, Resident):
        return record.resident_id
    if isinstance(record, Rental):
        return record.rental_id
    return record.tenant_id


def _field_of(record: Record) -> str:
    return "address" if isinstance(record, (Household, Rental)) else "id_number"


def _mark_board(work: UnitOfWork, rental: Rental, action: str) -> None:
    """A rental written may have changed what its board shows (its tenant count,
    its worker): it is listed to reprint until its board is printed again."""
    if action == "delete":
        qr_store.unmark_board(work, rental.rental_id)
    else:
        qr_store.mark_board(work, rental.rental_id, rental.grid_code, qr_codes.board_snapshot(
            rental.tenant_count, rental.responsible_worker_id))


def _store_of(record: Record) -> dict:
    store = household_store if isinstance(record, (Household, Resident)) else rental_store
    return {"create": store.add, "update": store.save, "move": store.save,
            "delete": store.delete}
