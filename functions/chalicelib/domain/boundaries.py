"""Grid boundaries: a GeoJSON Polygon or MultiPolygon (RFC 7946) in WGS 84
longitude/latitude, as drawn on a map of the grid."""

import itertools
import math
from typing import Any

from chalicelib.errors import InvalidInput

MAX_POSITIONS = 5000  # a hand-drawn village boundary has hundreds, not thousands


def _fail(message: str) -> InvalidInput:
    return InvalidInput("boundary", message, code="invalid_boundary")


def _check_ring(ring: Any, where: str) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise _fail(f"{where}: a ring needs at least 4 positions")
    for position in ring:
        if (not isinstance(position, list) or len(position) not in (2, 3)
                or not all(isinstance(n, (int, float)) and not isinstance(n, bool)
                           for n in position)):
            raise _fail(f"{where}: a position is [longitude, latitude]")
        longitude, latitude = position[0], position[1]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise _fail(f"{where}: {position} is not a longitude/latitude")
    if ring[0][:2] != ring[-1][:2]:
        raise _fail(f"{where}: a ring must end where it starts")
    return len(ring)


def _check_polygon(rings: Any, where: str) -> int:
    if not isinstance(rings, list) or not rings:
        raise _fail(f"{where}: a polygon is a list of rings")
    return sum(_check_ring(ring, f"{where} ring {i}") for i, ring in enumerate(rings))


def check(geometry: dict[str, Any]) -> dict[str, Any]:
    """The geometry when it is a valid Polygon or MultiPolygon; raises otherwise."""
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if set(geometry) - {"type", "coordinates", "bbox"}:
        raise _fail("Only type, coordinates and bbox are allowed")
    if kind == "Polygon":
        positions = _check_polygon(coordinates, "polygon")
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise _fail("a MultiPolygon is a list of polygons")
        positions = sum(_check_polygon(p, f"polygon {i}") for i, p in enumerate(coordinates))
    else:
        raise _fail("type must be Polygon or MultiPolygon")
    if positions > MAX_POSITIONS:
        raise _fail(f"at most {MAX_POSITIONS} positions")
    return geometry


# Placing a point. Boundaries and GeoReport's lat/long are both taken as WGS 84;
# a boundary copied from a Chinese web map (Amap, Tencent: GCJ-02; Baidu: BD-09)
# lies a few hundred metres off, which converting datums would mend (not done yet).
EARTH_RADIUS_M = 6_371_008.8


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    coordinates = geometry["coordinates"]
    return [coordinates] if geometry["type"] == "Polygon" else coordinates


def _ring_holds(ring: list[list[float]], longitude: float, latitude: float) -> bool:
    """Even-odd rule: a ray east of the point crosses the ring an odd number of times."""
    inside = False
    for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(ring):
        if (y1 > latitude) != (y2 > latitude):
            crossing = x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
            if longitude < crossing:
                inside = not inside
    return inside


def contains(geometry: dict[str, Any], longitude: float, latitude: float) -> bool:
    """Whether a checked Polygon or MultiPolygon holds the point (not in a hole)."""
    return any(_ring_holds(rings[0], longitude, latitude)
               and not any(_ring_holds(hole, longitude, latitude) for hole in rings[1:])
               for rings in _polygons(geometry))


def _segment_distance(ax: float, ay: float, bx: float, by: float) -> float:
    """Distance from the origin to the segment a–b."""
    dx, dy = bx - ax, by - ay
    length_squared = dx * dx + dy * dy
    t = 0.0 if length_squared == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length_squared))
    return math.hypot(ax + t * dx, ay + t * dy)


def distance_m(geometry: dict[str, Any], longitude: float, latitude: float) -> float:
    """Metres from the point to the geometry's nearest edge, 0 inside it. Measured on
    the plane tangent at the point, which is off by well under 1% within a county."""
    if contains(geometry, longitude, latitude):
        return 0.0
    east_scale = math.cos(math.radians(latitude))
    nearest = math.inf
    for rings in _polygons(geometry):
        for ring in rings:
            for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(ring):
                nearest = min(nearest, _segment_distance(
                    (x1 - longitude) * east_scale, y1 - latitude,
                    (x2 - longitude) * east_scale, y2 - latitude))
    return math.radians(nearest) * EARTH_RADIUS_M
