"""Grid boundaries: a GeoJSON Polygon or MultiPolygon (RFC 7946) in WGS 84
longitude/latitude, as drawn on a map of the grid."""

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
