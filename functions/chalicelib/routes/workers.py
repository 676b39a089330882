from chalicelib.domain.roles import EVERYONE, GRID_MANAGERS
from chalicelib.lazy import lazy
from chalicelib.schemas.base import GridCode, RecordId
from chalicelib.schemas.users import RevealQuery
from chalicelib.schemas.workers import (
    AssignmentCreate,
    AssignmentEnd,
    AssignmentListQuery,
    AssignmentOut,
    AssignmentPage,
    Handover,
    WorkerCreate,
    WorkerLeave,
    WorkerListQuery,
    WorkerOut,
    WorkerPage,
    WorkerUpdate,
)
from chalicelib.web import api
from chalicelib.web.access import Access, Caller, body_field, path_param, query_field

workers = lazy("chalicelib.usecases.workers")

resource = api.Resource(__name__, tag="workers")


def _worker(parts):
    return workers.scope_of_worker(parts.path["worker_id"])


def _assignment(parts):
    return workers.scope_of_assignment(parts.path["assignment_id"])


@resource.post("/workers", summary="Add a grid worker", body=WorkerCreate, response=WorkerOut,
               status=201, access=Access(roles=GRID_MANAGERS, scope=body_field("grid_code")),
               idempotent=True)
def create_worker(body: WorkerCreate, caller: Caller) -> WorkerOut:
    return workers.create_worker(caller, body)


@resource.get("/workers", summary="The workers of a subtree (by the grid they belong to)",
              query=WorkerListQuery, response=WorkerPage,
              access=Access(roles=EVERYONE, scope=query_field("grid")))
def list_workers(query: WorkerListQuery, caller: Caller) -> WorkerPage:
    return workers.list_workers(caller, query)


@resource.get("/workers/{worker_id}", summary="A worker; ?reveal=true unmasks the phone "
              "(audited)", query=RevealQuery, response=WorkerOut,
              access=Access(roles=EVERYONE, scope=_worker))
def get_worker(worker_id: RecordId, query: RevealQuery, caller: Caller) -> WorkerOut:
    return workers.get_worker(caller, worker_id, reveal=query.reveal)


@resource.patch("/workers/{worker_id}", summary="Edit a worker", body=WorkerUpdate,
                response=WorkerOut, access=Access(roles=GRID_MANAGERS, scope=_worker),
                idempotent=True)
def update_worker(worker_id: RecordId, body: WorkerUpdate, caller: Caller) -> WorkerOut:
    return workers.update_worker(caller, worker_id, body)


@resource.post("/workers/{worker_id}/leave", summary="The worker leaves (离职): every "
               "assignment ends, the record stays", body=WorkerLeave, response=WorkerOut,
               access=Access(roles=GRID_MANAGERS, scope=_worker), idempotent=True)
def worker_leaves(worker_id: RecordId, body: WorkerLeave, caller: Caller) -> WorkerOut:
    return workers.leave(caller, worker_id, body)


@resource.get("/workers/{worker_id}/assignments", summary="A worker's assignments, past and "
              "present", response=AssignmentPage, access=Access(roles=EVERYONE, scope=_worker))
def worker_assignments(worker_id: RecordId) -> AssignmentPage:
    return workers.assignments_of_worker(worker_id)


@resource.post("/workers/{worker_id}/assignments", summary="Assign a worker to a micro-grid",
               body=AssignmentCreate, response=AssignmentOut, status=201,
               access=Access(roles=GRID_MANAGERS, scope=body_field("grid_code")), idempotent=True)
def assign_worker(worker_id: RecordId, body: AssignmentCreate, caller: Caller) -> AssignmentOut:
    return workers.assign(caller, worker_id, body)


@resource.post("/assignments/{assignment_id}/end", summary="End an assignment",
               body=AssignmentEnd, response=AssignmentOut,
               access=Access(roles=GRID_MANAGERS, scope=_assignment), idempotent=True)
def end_assignment(assignment_id: RecordId, body: AssignmentEnd, caller: Caller) -> AssignmentOut:
    return workers.end_assignment(caller, assignment_id, body)


@resource.get("/grids/{code}/assignments", summary="Who covers (and covered) the grids of a "
              "subtree", query=AssignmentListQuery, response=AssignmentPage,
              access=Access(roles=EVERYONE, scope=path_param("code")))
def grid_assignments(code: GridCode, query: AssignmentListQuery) -> AssignmentPage:
    return workers.assignments_in_grid(code, active_only=query.active, limit=query.limit,
                                       cursor=query.cursor)


@resource.post("/grids/{code}/handover", summary="Hand a micro-grid over from one worker to "
               "another (交接), in one write", body=Handover, response=AssignmentOut,
               status=201, access=Access(roles=GRID_MANAGERS, scope=path_param("code")),
               idempotent=True)
def hand_over(code: GridCode, body: Handover, caller: Caller) -> AssignmentOut:
    return workers.handover(caller, code, body)
