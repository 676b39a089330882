"""The ledger's records as plain objects — a household with its move history and
its residents, a rental with its tenants — each with its invariants and with
what it holds in the ledger in its present state (its `Footprint`): the unique
values it claims, what it adds to its grid's counters and the fields the audit
log follows. What a change entails is the difference of two footprints
(`effect`), the same whichever path — a form, an Excel import, a recheck —
made the change."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from chalicelib.domain import id_numbers, ledger
from chalicelib.errors import Conflict, InvalidInput

# The kinds of unique claim (store/uniques.py keys them "<kind>#<scope>#<value>").
HOUSEHOLD_ADDRESS = "household_address"  # one household per normalized address and county
RESIDENT_ID_NUMBER = "resident_id_number"  # a person is a resident once, deployment-wide
RENTAL_ADDRESS = "rental_address"  # one rental per normalized address and county
CURRENT_TENANT = "current_tenant"  # one current stay per person and rental

# Fields the audit log records as changed, never their values.
RESIDENT_PERSONAL = ("id_number", "phone")
TENANT_PERSONAL = ("id_number", "phone")
RENTAL_PERSONAL = ("owner_phone",)


@dataclass(frozen=True)
class Claim:
    kind: str
    scope: str
    value: str


@dataclass(frozen=True)
class Footprint:
    """What a record holds in the ledger in one state."""

    record: str  # "<kind>#<id>", as the audit log names it
    grid_code: str
    claims: frozenset[Claim]
    counts: Mapping[str, int]
    fields: Mapping[str, object]  # what the audit log compares
    personal: tuple[str, ...] = ()
    # The fields an entry of the record's creation or deletion shows (all when None).
    created_fields: tuple[str, ...] | None = None
    deleted_fields: tuple[str, ...] | None = None


@dataclass
class Effect:
    """What one change of one record does beyond the record itself."""

    record: str
    scope_code: str
    released: list[Claim]
    claimed: list[Claim]
    counts: list[tuple[str, dict[str, int]]]  # (grid, deltas)
    changes: dict


def effect(before: Footprint | None, after: Footprint | None) -> Effect:
    """The claims to release and take, the counter deltas and the audit changes of
    a record going from `before` to `after` (None: it does not exist)."""
    shown = after or before
    assert shown is not None
    old_claims = before.claims if before else frozenset()
    new_claims = after.claims if after else frozenset()
    counts: list[tuple[str, dict[str, int]]] = []
    if before and after and before.grid_code == after.grid_code:
        delta = ledger.difference(dict(after.counts), dict(before.counts))
        if delta:
            counts.append((after.grid_code, delta))
    else:
        if before and before.counts:
            counts.append((before.grid_code, ledger.negate(dict(before.counts))))
        if after and after.counts:
            counts.append((after.grid_code, dict(after.counts)))
    if before is None:
        changes = ledger.changed_fields({}, _pick(after.fields, after.created_fields),
                                        after.personal)
    elif after is None:
        changes = ledger.changed_fields(_pick(before.fields, before.deleted_fields), {},
                                        before.personal)
    else:
        changes = ledger.changed_fields(dict(before.fields), dict(after.fields), after.personal)
    return Effect(record=shown.record, scope_code=shown.grid_code,
                  released=sorted(old_claims - new_claims, key=_claim_order),
                  claimed=sorted(new_claims - old_claims, key=_claim_order),
                  counts=counts, changes=changes)


def _pick(fields: Mapping[str, object], names: tuple[str, ...] | None) -> dict:
    return dict(fields) if names is None else {name: fields[name] for name in names}


def _claim_order(claim: Claim) -> tuple[str, str, str]:
    return (claim.kind, claim.scope, claim.value)


def _text(value: str | None) -> str | None:
    """An optional text: empty is absent."""
    return value or None


def _address(address: str, field: str) -> str:
    address = (address or "").strip()
    if not ledger.normalize_address(address):
        raise InvalidInput(field, "An address is required")
    return address


def check_version(record, version: int, what: str) -> None:
    """The client changes the record it read, not one changed since."""
    if record.version != version:
        raise Conflict(f"The {what} was changed by someone else; reload and retry",
                       code="version_conflict")


# Households and residents

@dataclass
class GridStay:
    """A spell of the household in one grid: its move history."""

    grid_code: str
    since: datetime
    until: datetime | None = None
    moved_by: str | None = None


@dataclass
class Household:
    household_id: str
    grid_code: str
    address: str
    created_at: datetime
    updated_at: datetime
    head_name: str | None = None  # 户主
    notes: str | None = None
    member_count: int = 0
    grid_history: list[GridStay] = field(default_factory=list)
    version: int | None = None

    @classmethod
    def new(cls, household_id: str, grid_code: str, address: str, *, now: datetime,
            moved_by: str | None, head_name: str | None = None, notes: str | None = None
            ) -> "Household":
        return cls(household_id=household_id, grid_code=grid_code,
                   address=_address(address, "address"), head_name=head_name,
                   notes=notes, created_at=now, updated_at=now,
                   grid_history=[GridStay(grid_code=grid_code, since=now, moved_by=moved_by)])

    @property
    def normalized_address(self) -> str:
        return ledger.normalize_address(self.address)

    def edit(self, *, address: str | None = None, head_name: str | None = None,
             notes: str | None = None) -> None:
        """Change what is given (None: unchanged, "": cleared)."""
        if address is not None and address.strip() != self.address:
            self.address = _address(address, "address")
        if head_name is not None:
            self.head_name = _text(head_name)
        if notes is not None:
            self.notes = _text(notes)

    def check_move(self, grid_code: str) -> None:
        if grid_code == self.grid_code:
            raise InvalidInput("grid_code", "The household lives in this grid already")

    def move_to(self, grid_code: str, now: datetime, moved_by: str | None) -> None:
        """The stay in the old grid is closed in the history, never rewritten."""
        self.check_move(grid_code)
        history = list(self.grid_history)
        if history and history[-1].until is None:
            history[-1].until = now
        history.append(GridStay(grid_code=grid_code, since=now, moved_by=moved_by))
        self.grid_history = history
        self.grid_code = grid_code

    def admit(self, resident: "Resident") -> None:
        resident.household_id = self.household_id
        resident.grid_code = self.grid_code
        self.member_count += 1

    def let_go(self, resident: "Resident") -> None:
        self.member_count = max(0, self.member_count - 1)

    def footprint(self) -> Footprint:
        from chalicelib.domain import grid_codes

        return Footprint(
            record=f"household#{self.household_id}", grid_code=self.grid_code,
            claims=frozenset({Claim(HOUSEHOLD_ADDRESS, grid_codes.county_of(self.grid_code),
                                    self.normalized_address)}),
            counts={ledger.HOUSEHOLDS: 1},
            fields={"grid_code": self.grid_code, "address": self.address,
                    "head_name": self.head_name, "notes": self.notes},
            created_fields=("address",), deleted_fields=("address",))


def refuse_repeated_id_numbers(residents: list["Resident"], field: str = "members") -> None:
    seen: dict[str, int] = {}
    for i, resident in enumerate(residents):
        if resident.id_number in seen:
            raise InvalidInput(f"{field}.{i}.id_number",
                               f"Same ID number as {field}.{seen[resident.id_number]}",
                               code="id_number_repeated")
        seen[resident.id_number] = i


@dataclass
class Resident:
    resident_id: str
    household_id: str
    grid_code: str
    name: str
    id_number: str
    sex: str
    birth_date: date  # from the ID number
    resident_type: str  # ledger.RESIDENT_TYPES
    created_at: datetime
    updated_at: datetime
    phone: str | None = None
    tags: tuple[str, ...] = ()  # key groups (重点人群), sorted
    relation: str | None = None  # 与户主关系
    notes: str | None = None
    version: int | None = None

    @classmethod
    def new(cls, resident_id: str, *, name: str, id_number: str, resident_type: str,
            now: datetime, today: date, key_groups: tuple[str, ...], phone: str | None = None,
            tags: list[str] | tuple[str, ...] = (), relation: str | None = None,
            notes: str | None = None, field: str = "body") -> "Resident":
        """A resident not yet in a household (Household.admit places it)."""
        parsed = id_numbers.parse(id_number, f"{field}.id_number", today=today)
        return cls(resident_id=resident_id, household_id="", grid_code="", name=name,
                   id_number=parsed.value, sex=parsed.sex, birth_date=parsed.birth_date,
                   resident_type=resident_type, phone=_text(phone),
                   tags=_tags(tags, key_groups, f"{field}.tags"),
                   relation=relation, notes=notes, created_at=now, updated_at=now)

    def edit(self, *, today: date, key_groups: tuple[str, ...], name: str | None = None,
             id_number: str | None = None, phone: str | None = None,
             resident_type: str | None = None, tags: list[str] | None = None,
             relation: str | None = None, notes: str | None = None) -> None:
        """Change what is given (None: unchanged, "": cleared)."""
        if name is not None:
            self.name = name
        if id_number is not None and id_number.strip().upper() != self.id_number:
            parsed = id_numbers.parse(id_number, "id_number", today=today)
            self.id_number, self.sex, self.birth_date = (parsed.value, parsed.sex,
                                                         parsed.birth_date)
        if phone is not None:
            self.phone = _text(phone)
        if resident_type is not None:
            self.resident_type = resident_type
        if tags is not None:
            self.tags = _tags(tags, key_groups, "tags")
        if relation is not None:
            self.relation = _text(relation)
        if notes is not None:
            self.notes = _text(notes)

    def facts(self) -> ledger.ResidentFacts:
        return ledger.ResidentFacts(self.resident_type, tuple(sorted(self.tags)))

    def footprint(self) -> Footprint:
        return Footprint(
            record=f"resident#{self.resident_id}", grid_code=self.grid_code,
            claims=frozenset({Claim(RESIDENT_ID_NUMBER, "all", self.id_number)}),
            counts=ledger.resident_counts(self.facts()),
            fields={"name": self.name, "id_number": self.id_number, "phone": self.phone,
                    "resident_type": self.resident_type, "tags": sorted(self.tags),
                    "relation": self.relation, "notes": self.notes},
            personal=RESIDENT_PERSONAL)


def _tags(tags, key_groups: tuple[str, ...], field: str) -> tuple[str, ...]:
    return tuple(sorted(ledger.check_tags(tags, key_groups, field)))


# Rentals and tenants

@dataclass
class Rental:
    rental_id: str
    grid_code: str
    address: str
    owner_name: str  # 户主 / 房东
    created_at: datetime
    updated_at: datetime
    owner_phone: str | None = None
    owner_household_id: str | None = None
    responsible_worker_id: str | None = None
    rooms: int | None = None
    notes: str | None = None
    closed: bool = False  # 停租: no longer let, kept on record
    tenant_count: int = 0  # tenants living there now
    version: int | None = None

    @classmethod
    def new(cls, rental_id: str, grid_code: str, address: str, *, owner_name: str,
            now: datetime, owner_phone: str | None = None,
            owner_household_id: str | None = None, responsible_worker_id: str | None = None,
            rooms: int | None = None, notes: str | None = None) -> "Rental":
        return cls(rental_id=rental_id, grid_code=grid_code, address=_address(address, "address"),
                   owner_name=owner_name, owner_phone=_text(owner_phone),
                   owner_household_id=owner_household_id,
                   responsible_worker_id=responsible_worker_id, rooms=rooms,
                   notes=notes, created_at=now, updated_at=now)

    @property
    def normalized_address(self) -> str:
        return ledger.normalize_address(self.address)

    def edit(self, *, address: str | None = None, owner_name: str | None = None,
             owner_phone: str | None = None, responsible_worker_id: str | None = None,
             rooms: int | None = None, notes: str | None = None,
             closed: bool | None = None) -> None:
        """Change what is given (None: unchanged, "": cleared)."""
        if address is not None and address.strip() != self.address:
            self.address = _address(address, "address")
        if owner_name is not None:
            self.owner_name = owner_name
        if owner_phone is not None:
            self.owner_phone = _text(owner_phone)
        if responsible_worker_id is not None:
            self.responsible_worker_id = _text(responsible_worker_id)
        if rooms is not None:
            self.rooms = rooms
        if notes is not None:
            self.notes = _text(notes)
        if closed is not None and closed != self.closed:
            if closed and self.tenant_count > 0:
                raise Conflict("Tenants still live there: record their moving out first",
                               code="rental_has_tenants")
            self.closed = closed

    def hand_to(self, worker_id: str | None) -> None:
        """The responsible worker becomes `worker_id` (None: nobody covers it)."""
        self.responsible_worker_id = worker_id

    def check_deletable(self, tenants_on_record: int) -> None:
        """Only a rental entered by mistake is deleted: one with tenants on record
        is closed instead (停租), so their history stays."""
        if tenants_on_record:
            raise Conflict("The rental has tenants on record: close it instead",
                           code="rental_has_tenants")

    def admit(self, tenant: "Tenant") -> None:
        """A tenant on record here, living here now or moved out already."""
        if self.closed:
            raise Conflict("The rental is closed", code="rental_closed")
        tenant.rental_id = self.rental_id
        tenant.grid_code = self.grid_code
        if tenant.current:
            self.tenant_count += 1

    def let_go(self, tenant: "Tenant") -> None:
        """A current tenant moved out or was struck off."""
        self.tenant_count = max(0, self.tenant_count - 1)

    def footprint(self) -> Footprint:
        from chalicelib.domain import grid_codes

        return Footprint(
            record=f"rental#{self.rental_id}", grid_code=self.grid_code,
            claims=frozenset({Claim(RENTAL_ADDRESS, grid_codes.county_of(self.grid_code),
                                    self.normalized_address)}),
            counts={} if self.closed else {ledger.RENTALS: 1},
            fields={"address": self.address, "owner_name": self.owner_name,
                    "owner_phone": self.owner_phone,
                    "owner_household_id": self.owner_household_id,
                    "responsible_worker_id": self.responsible_worker_id, "rooms": self.rooms,
                    "notes": self.notes, "closed": self.closed},
            personal=RENTAL_PERSONAL, deleted_fields=("address",))


def check_stay(move_in: date, move_out: date | None, today: date) -> None:
    ledger.check_stay(move_in, move_out, today)
    if move_out is not None and move_out > today:
        raise InvalidInput("move_out", "Record moving out once it has happened",
                           code="move_out_in_future")


@dataclass
class Tenant:
    tenant_id: str
    rental_id: str
    grid_code: str
    name: str
    id_number: str
    sex: str
    birth_date: date
    move_in: date
    created_at: datetime
    updated_at: datetime
    move_out: date | None = None  # None while the tenant lives there
    phone: str | None = None
    workplace: str | None = None
    notes: str | None = None
    version: int | None = None

    @classmethod
    def new(cls, tenant_id: str, *, name: str, id_number: str, move_in: date,
            now: datetime, today: date, move_out: date | None = None, phone: str | None = None,
            workplace: str | None = None, notes: str | None = None) -> "Tenant":
        """A tenant not yet on a rental's record (Rental.admit places it)."""
        check_stay(move_in, move_out, today)
        parsed = id_numbers.parse(id_number, "id_number", today=today)
        return cls(tenant_id=tenant_id, rental_id="", grid_code="", name=name,
                   id_number=parsed.value, sex=parsed.sex, birth_date=parsed.birth_date,
                   move_in=move_in, move_out=move_out, phone=_text(phone),
                   workplace=workplace, notes=notes, created_at=now,
                   updated_at=now)

    @property
    def current(self) -> bool:
        return self.move_out is None

    def is_stay(self, id_number: str, move_in: date) -> bool:
        """A stay is a person and a move-in day: the same person may have lived
        there before."""
        return self.id_number == id_number and self.move_in == move_in

    def edit(self, *, today: date, name: str | None = None, phone: str | None = None,
             move_in: date | None = None, move_out: date | None = None,
             workplace: str | None = None, notes: str | None = None) -> None:
        """Change what is given (None: unchanged, "": cleared). A move-out once
        recorded is moved, never taken back."""
        move_in = move_in or self.move_in
        move_out = move_out or self.move_out
        check_stay(move_in, move_out, today)
        self.move_in, self.move_out = move_in, move_out
        if name is not None:
            self.name = name
        if phone is not None:
            self.phone = _text(phone)
        if workplace is not None:
            self.workplace = workplace
        if notes is not None:
            self.notes = notes

    def footprint(self) -> Footprint:
        return Footprint(
            record=f"tenant#{self.tenant_id}", grid_code=self.grid_code,
            claims=frozenset({Claim(CURRENT_TENANT, self.rental_id, self.id_number)}
                             if self.current else ()),
            counts={ledger.TENANTS: 1} if self.current else {},
            fields={"name": self.name, "id_number": self.id_number, "phone": self.phone,
                    "move_in": self.move_in.isoformat(),
                    "move_out": self.move_out.isoformat() if self.move_out else None,
                    "workplace": self.workplace, "notes": self.notes},
            personal=TENANT_PERSONAL)
