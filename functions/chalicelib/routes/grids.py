from chalicelib.domain.roles import ADMINS, EVERYONE
from chalicelib.schemas.common import PageQuery
from chalicelib.schemas.grids import GridCreate, GridOut, GridPage, SubtreeQuery
from chalicelib.usecases import grids
from chalicelib.web import api
from chalicelib.web.access import Access, path_param

resource_access = Access(roles=EVERYONE, scope=path_param("code"), machine_operation="grids.read")

resource = api.Resource(__name__, tag="grids")


@resource.post("/grids", summary="Create a grid under its parent", body=GridCreate,
               response=GridOut, status=201,
               access=Access(roles=ADMINS, scope=lambda p: p.body.parent_code or p.body.code))
def create_grid(body: GridCreate) -> GridOut:
    return grids.create_grid(body)


@resource.get("/grids/{code}", summary="A grid by its unified code", response=GridOut,
              access=resource_access)
def get_grid(code: str) -> GridOut:
    return grids.get_grid(code)


@resource.get("/grids/{code}/children", summary="The direct children of a grid",
              query=PageQuery, response=GridPage, access=resource_access)
def list_children(code: str, query: PageQuery) -> GridPage:
    return grids.list_children(code, limit=query.limit, cursor=query.cursor)


@resource.get("/grids/{code}/subtree", summary="Every grid below a grid, level by level",
              query=SubtreeQuery, response=GridPage, access=resource_access)
def list_subtree(code: str, query: SubtreeQuery) -> GridPage:
    return grids.list_subtree(code, level=query.level, limit=query.limit, cursor=query.cursor)
