"""The ledger rules that need no database: ID numbers, addresses, counts, stays."""

from datetime import date

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
