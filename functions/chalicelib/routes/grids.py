from chalicelib.domain.roles import ADMINS, EVERYONE, GRID_MANAGERS
from chalicelib.lazy import lazy
from chalicelib.schemas.base import GridCode, RecordId
from chalicelib.schemas.common import PageQuery
from chalicelib.schemas.grids import (
    GridCounts,
    GridCreate,
    GridLevels,
    GridMoveOut,
    GridMoveRequest,
    GridOut,
    GridPage,
    GridRetire,
    GridUpdate,
    SubtreeQuery,
    UncoveredPage,
)
from chalicelib.web import api
from chalicelib.web.access import Access, Caller, path_param

grid_moves = lazy("chalicelib.usecases.grid_moves")
grids = lazy("chalicelib.usecases.grids")

resource = api.Resource(__name__, tag="grids")

READ = Access(roles=EVERYONE, scope=path_param("code"), machine_operation="grids.read")
ADMIN = Access(roles=ADMINS, scope=path_param("code"))


@resource.get("/grid-levels", summary="The names of the grid levels of this deployment",
              response=GridLevels, access=Access(roles=EVERYONE, machine_operation="grids.read"))
def grid_levels() -> GridLevels:
    return grids.levels()


@resource.post("/grids", summary="Create a grid under its parent", body=GridCreate,
               response=GridOut, status=201,
               access=Access(roles=ADMINS, scope=lambda p: p.body.parent_code or p.body.code),
               idempotent=True)
def create_grid(body: GridCreate) -> GridOut:
    return grids.create_grid(body)


@resource.get("/grids/{code}", summary="A grid by its unified code", response=GridOut,
              access=READ)
def get_grid(code: GridCode) -> GridOut:
    return grids.get_grid(code)


@resource.patch("/grids/{code}", summary="Rename a grid, set its leader, party group, "
                "boundary or notes", body=GridUpdate, response=GridOut,
                access=Access(roles=GRID_MANAGERS, scope=path_param("code")), idempotent=True)
def update_grid(code: GridCode, body: GridUpdate, caller: Caller) -> GridOut:
    return grids.update_grid(caller, code, body)


@resource.post("/grids/{code}/retire", summary="Retire a grid that holds nothing any more",
               body=GridRetire, response=GridOut, access=ADMIN, idempotent=True)
def retire_grid(code: GridCode, body: GridRetire, caller: Caller) -> GridOut:
    return grids.retire_grid(caller, code, body)


@resource.post("/grids/{code}/move", summary="Move a grid and its subtree to another parent "
               "(every code below is recomputed; poll the move until done)",
               body=GridMoveRequest, response=GridMoveOut, status=202, access=ADMIN,
               idempotent=True)
def move_grid(code: GridCode, body: GridMoveRequest, caller: Caller) -> GridMoveOut:
    return grid_moves.start_move(caller, code, body)


@resource.get("/grid-moves/{move_id}", summary="A subtree move and how far it has got",
              response=GridMoveOut,
              access=Access(roles=ADMINS, scope=lambda p: grid_moves.scope_of_move(
                  p.path["move_id"])))
def get_grid_move(move_id: RecordId) -> GridMoveOut:
    return grid_moves.get_move(move_id)


@resource.get("/grids/{code}/children", summary="The direct children of a grid",
              query=PageQuery, response=GridPage, access=READ)
def list_children(code: GridCode, query: PageQuery) -> GridPage:
    return grids.list_children(code, limit=query.limit, cursor=query.cursor)


@resource.get("/grids/{code}/subtree", summary="Every grid below a grid, level by level",
              query=SubtreeQuery, response=GridPage, access=READ)
def list_subtree(code: GridCode, query: SubtreeQuery) -> GridPage:
    return grids.list_subtree(code, level=query.level, limit=query.limit, cursor=query.cursor)


@resource.get("/grids/{code}/counts", summary="Ledger totals of a grid and of each child "
              "(households, residents, floating, key groups, rentals, tenants, workers)",
              response=GridCounts, access=READ)
def grid_counts(code: GridCode) -> GridCounts:
    return grids.grid_counts(code)


@resource.get("/grids/{code}/uncovered", summary="Micro-grids of a subtree no worker covers",
              query=PageQuery, response=UncoveredPage,
              access=Access(roles=EVERYONE, scope=path_param("code")))
def uncovered_micro_grids(code: GridCode, query: PageQuery) -> UncoveredPage:
    return grids.uncovered_micro_grids(code, limit=query.limit, cursor=query.cursor)
