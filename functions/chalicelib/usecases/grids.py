from chalicelib.domain import grid_codes
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.schemas.grids import GridCreate, GridOut, GridPage
from chalicelib.store import grids as grid_store
from chalicelib.store.grids import ROOT_PARENT, GridModel


def view(grid: GridModel) -> GridOut:
    level = grid_codes.LEVEL_BY_KEY[grid.level]
    return GridOut(
        code=grid.code, division_code=grid_codes.division_code(grid.code),
        parent_code=None if grid.parent_code == ROOT_PARENT else grid.parent_code,
        level=grid.level, level_name=level.name_zh, name=grid.name,
        leader_worker_id=grid.leader_worker_id, retired=bool(grid.retired),
        created_at=grid.created_at, updated_at=grid.updated_at, version=grid.version or 0,
    )


def create_grid(request: GridCreate) -> GridOut:
    parent_code = request.parent_code
    if parent_code is not None:
        grid_codes.depth_of(parent_code, "parent_code")
    if request.code is not None:
        grid_codes.validate_child(parent_code, request.code)
        return view(grid_store.create(grid_store.build(request.code, request.name,
                                                       request.leader_worker_id)))
    if parent_code is None:
        raise InvalidInput("code", "A county grid needs its 6-digit division code")
    if grid_codes.depth_of(parent_code, "parent_code") < 2:
        raise InvalidInput("code", "Towns and villages take their statistical division code")
    # Codes given explicitly (imports, the demo) may already hold the next
    # number; the counter only ever moves forward, so skipping them ends.
    while True:
        code = grid_codes.child_code(parent_code,
                                     grid_store.allocate_child_sequence(parent_code))
        try:
            return view(grid_store.create(grid_store.build(code, request.name,
                                                           request.leader_worker_id)))
        except Conflict:
            continue


def get_grid(code: str) -> GridOut:
    grid_codes.depth_of(code)
    return view(grid_store.get(code))


def list_children(code: str, *, limit: int, cursor: str | None) -> GridPage:
    get_grid(code)
    items, next_cursor = grid_store.children(code, limit=limit, cursor=cursor)
    return GridPage(items=[view(g) for g in items], next_cursor=next_cursor)


def list_subtree(code: str, *, level: str | None, limit: int, cursor: str | None) -> GridPage:
    depth = grid_codes.depth_of(code)
    get_grid(code)
    if level is None:
        levels = list(range(depth + 1, len(grid_codes.LEVELS)))
    else:
        wanted = [d for d, lv in enumerate(grid_codes.LEVELS) if lv.key == level][0]
        if wanted <= depth:
            raise InvalidInput("level", f"{level} is not below {code}")
        levels = [wanted]
    if not levels:
        return GridPage(items=[], next_cursor=None)
    items, next_cursor = grid_store.subtree(code, levels=levels, limit=limit, cursor=cursor)
    return GridPage(items=[view(g) for g in items], next_cursor=next_cursor)
