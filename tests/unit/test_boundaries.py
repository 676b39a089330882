import math

import pytest
from chalicelib.domain import boundaries

# A square of 0.01° (about 900 m east–west, 1.1 km north–south at 35.6° N) with a
# square hole in its middle.
SQUARE = [[111.20, 35.60], [111.21, 35.60], [111.21, 35.61], [111.20, 35.61], [111.20, 35.60]]
HOLE = [[111.204, 35.604], [111.206, 35.604], [111.206, 35.606], [111.204, 35.606],
        [111.204, 35.604]]
WITH_HOLE = {"type": "Polygon", "coordinates": [SQUARE, HOLE]}
METRES_PER_DEGREE = math.radians(1) * boundaries.EARTH_RADIUS_M


@pytest.mark.parametrize("longitude,latitude,inside", [
    (111.201, 35.601, True),
    (111.209, 35.609, True),
    (111.205, 35.605, False),  # in the hole
    (111.211, 35.605, False),  # east of it
    (111.205, 35.599, False),  # south of it
    (111.199, 35.605, False),  # west, level with the hole: the ray crosses four edges
])
def test_a_polygon_holds_what_lies_inside_and_outside_its_holes(longitude, latitude, inside):
    assert boundaries.contains(WITH_HOLE, longitude, latitude) is inside


def test_a_multipolygon_holds_what_any_of_its_polygons_holds():
    east = [[x + 0.02, y] for x, y in SQUARE]
    both = {"type": "MultiPolygon", "coordinates": [[SQUARE], [east]]}
    assert boundaries.contains(both, 111.225, 35.605)
    assert boundaries.contains(both, 111.205, 35.605)
    assert not boundaries.contains(both, 111.215, 35.605)


def test_positions_may_carry_an_altitude():
    square = {"type": "Polygon", "coordinates": [[[x, y, 400] for x, y in SQUARE]]}
    assert boundaries.contains(square, 111.205, 35.605)
    assert boundaries.distance_m(square, 111.205, 35.611) > 0


def test_the_distance_to_a_polygon_is_to_its_nearest_edge_and_nothing_inside():
    square = {"type": "Polygon", "coordinates": [SQUARE]}
    assert boundaries.distance_m(square, 111.205, 35.605) == 0
    north = boundaries.distance_m(square, 111.205, 35.612)
    assert north == pytest.approx(0.002 * METRES_PER_DEGREE, rel=1e-6)
    east = boundaries.distance_m(square, 111.212, 35.605)
    assert east == pytest.approx(0.002 * METRES_PER_DEGREE * math.cos(math.radians(35.605)),
                                 rel=1e-6)
    corner = boundaries.distance_m(square, 111.213, 35.614)
    assert corner == pytest.approx(math.hypot(0.003 * math.cos(math.radians(35.614)), 0.004)
                                   * METRES_PER_DEGREE, rel=1e-6)


def test_a_point_in_a_hole_is_as_far_as_the_holes_edge():
    assert boundaries.distance_m(WITH_HOLE, 111.205, 35.605) == pytest.approx(
        0.001 * METRES_PER_DEGREE * math.cos(math.radians(35.605)), rel=1e-6)
