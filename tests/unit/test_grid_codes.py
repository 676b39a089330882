import pytest
from chalicelib.domain import grid_codes
from chalicelib.errors import InvalidInput


@pytest.mark.parametrize("code,level", [
    ("140825", "county"), ("140825102", "town"), ("140825102201", "village"),
    ("14082510220103", "grid"), ("1408251022010305", "micro"),
])
def test_level_follows_code_length(code, level):
    assert grid_codes.level_of(code).key == level


@pytest.mark.parametrize("code", ["", "14082", "1408251", "14082510220", "14082a102201",
                                  "001234", "14082510220103051", "14082\n"])
def test_malformed_codes_are_rejected(code):
    with pytest.raises(InvalidInput) as raised:
        grid_codes.depth_of(code)
    assert raised.value.details[0]["field"] == "code"


def test_parent_is_the_code_of_the_level_above():
    assert grid_codes.parent_of("1408251022010305") == "14082510220103"
    assert grid_codes.parent_of("140825102") == "140825"
    assert grid_codes.parent_of("140825") is None


def test_division_code_pads_to_twelve_digits():
    assert grid_codes.division_code("140825102") == "140825102000"
    assert grid_codes.division_code("1408251022010305") == "140825102201"


def test_subtree_is_a_prefix():
    assert grid_codes.in_subtree("1408251022010305", "140825102201")
    assert not grid_codes.in_subtree("1408251022020305", "140825102201")


def test_child_must_extend_its_parent_by_one_level():
    assert grid_codes.validate_child("140825102201", "14082510220107").key == "grid"
    with pytest.raises(InvalidInput, match="140825102201 followed by 2 digits"):
        grid_codes.validate_child("140825102201", "14082510230107")
    with pytest.raises(InvalidInput):
        grid_codes.validate_child("140825102201", "1408251022010101")
    with pytest.raises(InvalidInput, match="all be zero"):
        grid_codes.validate_child("140825102201", "14082510220100")
    with pytest.raises(InvalidInput, match="no children"):
        grid_codes.validate_child("1408251022010305", "140825102201030501")


def test_only_a_county_stands_without_parent():
    assert grid_codes.validate_child(None, "140825").key == "county"
    with pytest.raises(InvalidInput) as raised:
        grid_codes.validate_child(None, "140825102")
    assert raised.value.details[0]["field"] == "parent_code"


def test_child_code_is_numbered_within_its_parent():
    assert grid_codes.child_code("140825102201", 3) == "14082510220103"
    assert grid_codes.child_code("14082510220103", 12) == "1408251022010312"
    with pytest.raises(InvalidInput, match="No free code"):
        grid_codes.child_code("140825102201", 100)
