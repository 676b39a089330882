"""The ledger rules that need no database: ID numbers, addresses, counts, stays."""

from datetime import UTC, date, datetime

import pytest
from chalicelib.domain import boundaries, id_numbers, ledger
from chalicelib.errors import InvalidInput


@pytest.mark.parametrize("number,birth,sex", [
    ("11010519491231002X", date(1949, 12, 31), "female"),  # the standard's own example
    ("440524188001010014", date(1880, 1, 1), "male"),
    ("11010519491231002x", date(1949, 12, 31), "female"),  # a lower-case x is accepted
])
def test_valid_id_numbers_give_birth_date_and_sex(number, birth, sex):
    parsed = id_numbers.parse(number, today=date(2026, 11, 27))
    assert (parsed.value, parsed.birth_date, parsed.sex) == (number.upper(), birth, sex)


@pytest.mark.parametrize("number,code", [
    ("110105194912310021", "id_number_checksum"),
    ("11010519491231002", "id_number_shape"),
    ("1101051949123100 X", "id_number_shape"),
    ("110105194913310023", "id_number_birth_date"),  # month 13
    ("110105203012310025", "id_number_birth_date"),  # born in the future
])
def test_invalid_id_numbers_are_refused_with_the_reason(number, code):
    with pytest.raises(InvalidInput) as raised:
        id_numbers.parse(number, field="members.0.id_number", today=date(2026, 11, 27))
    assert raised.value.code == code
    assert raised.value.details[0]["field"] == "members.0.id_number"


def test_made_numbers_are_valid():
    number = id_numbers.make("140825", date(1990, 5, 17), 123)
    assert id_numbers.parse(number).birth_date == date(1990, 5, 17)
    assert id_numbers.parse(number).sex == "male"  # an odd sequence


def test_addresses_compare_in_one_form():
    assert ledger.normalize_address("三泉村 ３组 １２号") == ledger.normalize_address("三泉村3组12号")
    assert ledger.normalize_address("a区b栋") == "A区B栋"


def test_a_resident_counts_for_type_and_each_key_group():
    floating = ledger.ResidentFacts("floating", ("低保", "残疾人"))
    assert ledger.resident_counts(floating) == {
        "residents": 1, "floating_residents": 1, "key_group_members": 1,
        "key_group:低保": 1, "key_group:残疾人": 1}
    registered = ledger.ResidentFacts("registered", ())
    assert ledger.resident_counts(registered) == {
        "residents": 1, "floating_residents": 0, "key_group_members": 0}
    change = ledger.difference(ledger.resident_counts(registered),
                               ledger.resident_counts(floating))
    assert change == {"floating_residents": -1, "key_group_members": -1,
                      "key_group:低保": -1, "key_group:残疾人": -1}


def test_key_groups_come_from_the_configured_list():
    assert ledger.check_tags(["低保", "低保", " 残疾人"], ledger.DEFAULT_KEY_GROUPS) == \
        ["低保", "残疾人"]
    with pytest.raises(InvalidInput) as raised:
        ledger.check_tags(["富豪"], ledger.DEFAULT_KEY_GROUPS)
    assert raised.value.code == "unknown_key_group"


def test_a_stay_cannot_end_before_it_starts_or_begin_in_the_future():
    today = date(2026, 11, 27)
    ledger.check_stay(date(2026, 1, 1), date(2026, 2, 1), today)
    with pytest.raises(InvalidInput):
        ledger.check_stay(date(2026, 2, 1), date(2026, 1, 1), today)
    with pytest.raises(InvalidInput):
        ledger.check_stay(date(2026, 12, 1), None, today)


def test_audit_changes_show_personal_data_masked():
    changes = ledger.changed_fields({"id_number": "11010519491231002X", "name": "甲"},
                                    {"id_number": "440524188001010014", "name": "甲"},
                                    personal=("id_number",))
    assert changes == {"id_number": {"from": "110105********002X", "to": "440524********0014"}}


def test_boundaries_must_be_closed_polygons_in_longitude_latitude():
    ring = [[111.2, 35.6], [111.3, 35.6], [111.3, 35.7], [111.2, 35.6]]
    assert boundaries.check({"type": "Polygon", "coordinates": [ring]})
    for bad in ({"type": "Point", "coordinates": [1, 2]},
                {"type": "Polygon", "coordinates": [ring[:-1]]},
                {"type": "Polygon", "coordinates": [[[200, 35.6]] + ring[1:3] + [[200, 35.6]]]},
                {"type": "Polygon", "coordinates": [ring], "properties": {}}):
        with pytest.raises(InvalidInput) as raised:
            boundaries.check(bad)
        assert raised.value.details[0]["field"] == "boundary"


# The ledger records and what their changes entail (domain/ledger_records.py)

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 27)
MICRO = "1101051012010101"


def a_household(**fields):
    from chalicelib.domain.ledger_records import Household

    return Household.new("h1", MICRO, " 柳泉村１组1号 ", now=NOW, moved_by="u1", **fields)


def a_resident(resident_id="r1", tags=("低保",), resident_type="floating"):
    from chalicelib.domain.ledger_records import Resident

    return Resident.new(resident_id, name="刘一", id_number="11010519491231002X",
                        resident_type=resident_type, tags=list(tags), now=NOW, today=TODAY,
                        key_groups=ledger.DEFAULT_KEY_GROUPS)


def a_rental():
    from chalicelib.domain.ledger_records import Rental

    return Rental.new("f1", MICRO, "东王村5组3号", owner_name="赵房东", now=NOW)


def a_tenant(move_out=None):
    from chalicelib.domain.ledger_records import Tenant

    return Tenant.new("t1", name="钱租户", id_number="440524188001010014",
                      move_in=date(2026, 3, 1), move_out=move_out, now=NOW, today=TODAY)


def test_a_new_household_claims_its_normalized_address_and_counts_once():
    from chalicelib.domain.ledger_records import Claim, effect

    household = a_household()
    change = effect(None, household.footprint())
    assert household.address == "柳泉村１组1号"
    assert change.claimed == [Claim("household_address", "110105", "柳泉村1组1号")]
    assert change.counts == [(MICRO, {ledger.HOUSEHOLDS: 1})]
    assert change.changes == {"address": {"from": None, "to": "柳泉村１组1号"}}


def test_a_move_takes_the_counts_along_and_closes_the_stay():
    from chalicelib.domain.ledger_records import effect

    household, resident = a_household(), a_resident()
    household.admit(resident)
    before = resident.footprint()
    household.move_to("1101051012010102", NOW, "u2")
    resident.grid_code = household.grid_code
    change = effect(before, resident.footprint())
    assert change.claimed == change.released == []
    assert change.counts == [(MICRO, ledger.negate(before.counts)),
                             ("1101051012010102", dict(before.counts))]
    assert [(s.grid_code, s.until) for s in household.grid_history] == [
        (MICRO, NOW), ("1101051012010102", None)]
    with pytest.raises(InvalidInput):
        household.move_to("1101051012010102", NOW, "u2")


def test_a_resident_change_counts_the_difference_and_masks_the_id_number():
    from chalicelib.domain.ledger_records import effect

    resident = a_resident()
    resident.grid_code = MICRO
    before = resident.footprint()
    resident.edit(today=TODAY, key_groups=ledger.DEFAULT_KEY_GROUPS, resident_type="registered",
                  id_number="440524188001010014", tags=[])
    change = effect(before, resident.footprint())
    assert dict(change.counts) == {MICRO: {ledger.FLOATING_RESIDENTS: -1,
                                           ledger.KEY_GROUP_MEMBERS: -1, "key_group:低保": -1}}
    assert [c.value for c in change.released] == ["11010519491231002X"]
    assert [c.value for c in change.claimed] == ["440524188001010014"]
    assert change.changes["id_number"] == {"from": "110105********002X",
                                           "to": "440524********0014"}


def test_a_tenant_moving_out_gives_up_the_current_stay_and_the_count():
    from chalicelib.domain.ledger_records import effect
    from chalicelib.errors import Conflict

    rental, tenant = a_rental(), a_tenant()
    rental.admit(tenant)
    assert rental.tenant_count == 1
    with pytest.raises(Conflict) as refused:
        rental.edit(closed=True)
    assert refused.value.code == "rental_has_tenants"
    before = tenant.footprint()
    tenant.edit(move_out=date(2026, 11, 1), today=TODAY)
    rental.let_go(tenant)
    change = effect(before, tenant.footprint())
    assert [c.kind for c in change.released] == ["current_tenant"] and change.claimed == []
    assert change.counts == [(MICRO, {ledger.TENANTS: -1})]
    rental.edit(closed=True)
    assert effect(None, rental.footprint()).counts == []
    with pytest.raises(Conflict):
        rental.admit(a_tenant())
    with pytest.raises(InvalidInput) as future:
        a_tenant(move_out=date(2026, 12, 1))
    assert future.value.code == "move_out_in_future"


class RecordingWork:
    """What a change puts into a unit of work, without a database."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args, kwargs))


def test_a_change_writes_each_record_once_with_one_audit_entry_per_record():
    from chalicelib.usecases.ledger_writes import LedgerChange

    household = a_household()
    change = LedgerChange()
    change.household_created(household, [])
    change.residents_joined(household, [a_resident("r1"), a_resident("r2", tags=())])
    work = RecordingWork()
    change.fill(work)
    written = [args[0] for name, args, _ in work.calls if name == "add"]
    assert [type(item).__name__ for item in written] == ["HouseholdModel", "ResidentModel",
                                                         "ResidentModel"]
    assert written[0].member_count == 2
    assert [kwargs["record"] for name, _, kwargs in work.calls if name == "audit"] == [
        "household#h1", "resident#r1", "resident#r2"]
    assert [args[0] for name, args, _ in work.calls if name == "require_grid"] == [MICRO]
    # Filling reads the records only: a second fill is the same.
    again = RecordingWork()
    change.fill(again)
    assert [c[0] for c in again.calls] == [c[0] for c in work.calls]
