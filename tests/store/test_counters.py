"""Counters roll a change up to every ancestor, atomically with it."""

import pytest


@pytest.fixture
def counters(database):
    from chalicelib.store import counters

    return counters


def test_a_change_counts_in_the_grid_and_every_ancestor(counters, county_code):
    micro = f"{county_code}1021010101"
    counters.apply([(micro, "ledger", {"households": 2, "residents": 5})])
    counters.apply([(micro, "ledger", {"households": 1})])
    for code in (micro, micro[:14], micro[:12], micro[:9], county_code):
        assert counters.read(code, "ledger") == {"households": 3, "residents": 5}
    assert counters.read(f"{county_code}1021010102", "ledger") == {}


def test_changes_that_share_ancestors_are_merged_into_one_update(counters, county_code):
    village = f"{county_code}102101"
    moved_from, moved_to = f"{village}0101", f"{village}0201"
    counters.apply([(moved_from, "ledger", {"households": 1})])
    counters.apply([(moved_from, "ledger", {"households": -1}),
                    (moved_to, "ledger", {"households": 1})])
    assert counters.read(moved_from, "ledger") == {"households": 0}
    assert counters.read(moved_to, "ledger") == {"households": 1}
    assert counters.read(village, "ledger") == {"households": 1}


def test_a_subtree_is_read_by_bucket_and_level(counters, county_code):
    town = f"{county_code}102"
    counters.apply([(f"{town}1010101", "cases#2026-11", {"reported": 1}),
                    (f"{town}1020101", "cases#2026-11", {"reported": 2}),
                    (f"{town}1020101", "cases#2026-12", {"reported": 7})])
    villages = counters.read_subtree(town, "cases#2026-11", depth=2)
    assert villages == {f"{town}101": {"reported": 1}, f"{town}102": {"reported": 2}}
    assert counters.read_buckets(town, "cases#") == {
        "cases#2026-11": {"reported": 3}, "cases#2026-12": {"reported": 7}}


def test_many_grids_are_read_at_once(counters, county_code):
    codes = [f"{county_code}102101{n:02d}01" for n in range(1, 4)]
    counters.apply([(codes[0], "ledger", {"rentals": 1}), (codes[2], "ledger", {"rentals": 4})])
    assert counters.read_many(codes + [f"{county_code}10210199"], "ledger") == {
        codes[0]: {"rentals": 1}, codes[1]: {}, codes[2]: {"rentals": 4},
        f"{county_code}10210199": {}}
