"""Access rows of the grid registry, workers, households, residents, rentals
and tenants (see tests/api/test_access_matrix.py)."""

from tests.api import ledger_fixtures
from tests.api.access_rows import ADMINS, EVERYONE
from tests.api.ledger_fixtures import (
    a_fresh_grid_under,
    a_household_in,
    a_rental_in,
    a_resident_in,
    a_tenant_in,
    a_worker_in,
    an_assignment_in,
    grid_version,
    micro_in,
    new_address,
    new_id_number,
    resident_body,
    shared_household,
    shared_rental,
    shared_resident,
    shared_tenant,
    shared_worker,
    system,
)
from tests.conftest import new_phone

MANAGERS = ADMINS | {"grid_leader"}
KEEPERS = ADMINS | {"grid_leader", "grid_worker"}
V1 = "/api/v1"
# A village of the demo town next to the admins' own, for moves.
NEIGHBOUR_VILLAGE = "140825102202"


def _started_move(grid):
    from chalicelib.schemas.grids import GridMoveRequest
    from chalicelib.usecases import grid_moves

    if ledger_fixtures._pretending:
        return ledger_fixtures.NOWHERE
    moved = a_fresh_grid_under(grid)
    if grid.startswith("140825"):
        target = NEIGHBOUR_VILLAGE
    else:  # outside the demo county: another village of that county
        from tests.api.ledger_fixtures import ensure_grid

        target = ensure_grid(grid[:9] + "299")
    return grid_moves.start_move(system(grid), moved, GridMoveRequest(
        version=grid_version(moved), parent_code=target)).move_id


def _household_move(grid):
    household = a_household_in(grid)
    target = micro_in(grid[:12] + "02") if len(grid) == 12 else grid
    return ("POST", f"{V1}/households/{household['household_id']}/move",
            {"version": household["version"], "grid_code": target})


ROUTES = {
    "grid_levels": (EVERYONE, 200, lambda g: ("GET", f"{V1}/grid-levels", None)),
    "update_grid": (MANAGERS, 200, lambda g: ("PATCH", f"{V1}/grids/{g}",
                                              {"version": grid_version(g), "notes": "备注"})),
    "retire_grid": (ADMINS, 200, lambda g: (
        "POST", f"{V1}/grids/{(c := a_fresh_grid_under(g))}/retire",
        {"version": grid_version(c), "reason": "合并网格"})),
    "move_grid": (ADMINS, 202, lambda g: (
        "POST", f"{V1}/grids/{(c := a_fresh_grid_under(g))}/move",
        {"version": grid_version(c), "parent_code": NEIGHBOUR_VILLAGE})),
    "get_grid_move": (ADMINS, 200, lambda g: ("GET", f"{V1}/grid-moves/{_started_move(g)}",
                                              None)),
    "grid_counts": (EVERYONE, 200, lambda g: ("GET", f"{V1}/grids/{g}/counts", None)),
    "uncovered_micro_grids": (EVERYONE, 200, lambda g: ("GET", f"{V1}/grids/{g}/uncovered",
                                                        None)),
    "create_worker": (MANAGERS, 201, lambda g: ("POST", f"{V1}/workers", {
        "name": "新网格员", "phone": new_phone(), "kind": "volunteer", "grid_code": g})),
    "list_workers": (EVERYONE, 200, lambda g: ("GET", f"{V1}/workers?grid={g}", None)),
    "get_worker": (EVERYONE, 200, lambda g: (
        "GET", f"{V1}/workers/{shared_worker(g)['worker_id']}", None)),
    "update_worker": (MANAGERS, 200, lambda g: (
        "PATCH", f"{V1}/workers/{(w := a_worker_in(g))['worker_id']}",
        {"version": w["version"], "notes": "调整"})),
    "worker_leaves": (MANAGERS, 200, lambda g: (
        "POST", f"{V1}/workers/{(w := a_worker_in(g))['worker_id']}/leave",
        {"version": w["version"]})),
    "worker_assignments": (EVERYONE, 200, lambda g: (
        "GET", f"{V1}/workers/{shared_worker(g)['worker_id']}/assignments", None)),
    "assign_worker": (MANAGERS, 201, lambda g: (
        "POST", f"{V1}/workers/{a_worker_in(g)['worker_id']}/assignments",
        {"grid_code": micro_in(g)})),
    "end_assignment": (MANAGERS, 200, lambda g: (
        "POST", f"{V1}/assignments/{(a := an_assignment_in(g))['assignment_id']}/end",
        {"version": a["version"]})),
    "grid_assignments": (EVERYONE, 200, lambda g: ("GET", f"{V1}/grids/{g}/assignments",
                                                   None)),
    "hand_over": (MANAGERS, 201, lambda g: (
        "POST", f"{V1}/grids/{micro_in(g)}/handover",
        {"to_worker_id": a_worker_in(g)["worker_id"]})),
    "ledger_settings": (EVERYONE, 200, lambda g: ("GET", f"{V1}/ledger-settings", None)),
    "ledger_search_route": (EVERYONE, 200, lambda g: ("GET", f"{V1}/ledger-search?q=张&grid={g}",
                                                      None)),
    "create_household": (KEEPERS, 201, lambda g: ("POST", f"{V1}/households", {
        "grid_code": micro_in(g), "address": new_address(), "members": [resident_body()]})),
    "list_households": (EVERYONE, 200, lambda g: ("GET", f"{V1}/households?grid={g}", None)),
    "get_household": (EVERYONE, 200, lambda g: (
        "GET", f"{V1}/households/{shared_household(g)['household_id']}", None)),
    "update_household": (KEEPERS, 200, lambda g: (
        "PATCH", f"{V1}/households/{(h := a_household_in(g))['household_id']}",
        {"version": h["version"], "notes": "已走访"})),
    # A worker's scope is one micro-grid: there is nowhere for them to move a household to.
    "move_household": (KEEPERS, {"grid_worker": 400, "*": 200}, _household_move),
    "delete_household": (KEEPERS, 204, lambda g: (
        "DELETE", f"{V1}/households/{(h := a_household_in(g))['household_id']}"
        f"?version={h['version']}", None)),
    "add_resident": (KEEPERS, 201, lambda g: (
        "POST", f"{V1}/households/{a_household_in(g)['household_id']}/residents",
        resident_body(name="新成员"))),
    "list_residents": (EVERYONE, 200, lambda g: ("GET", f"{V1}/residents?grid={g}", None)),
    "get_resident": (EVERYONE, 200, lambda g: (
        "GET", f"{V1}/residents/{shared_resident(g)['resident_id']}", None)),
    "update_resident": (KEEPERS, 200, lambda g: (
        "PATCH", f"{V1}/residents/{(r := a_resident_in(g))['resident_id']}",
        {"version": r["version"], "tags": ["低保"]})),
    "delete_resident": (KEEPERS, 204, lambda g: (
        "DELETE", f"{V1}/residents/{(r := a_resident_in(g))['resident_id']}"
        f"?version={r['version']}", None)),
    "create_rental": (KEEPERS, 201, lambda g: ("POST", f"{V1}/rentals", {
        "grid_code": micro_in(g), "address": new_address(), "owner_name": "房东"})),
    "list_rentals": (EVERYONE, 200, lambda g: ("GET", f"{V1}/rentals?grid={g}", None)),
    "get_rental": (EVERYONE, 200, lambda g: (
        "GET", f"{V1}/rentals/{shared_rental(g)['rental_id']}", None)),
    "update_rental": (KEEPERS, 200, lambda g: (
        "PATCH", f"{V1}/rentals/{(r := a_rental_in(g))['rental_id']}",
        {"version": r["version"], "rooms": 3})),
    "delete_rental": (KEEPERS, 204, lambda g: (
        "DELETE", f"{V1}/rentals/{(r := a_rental_in(g))['rental_id']}?version={r['version']}",
        None)),
    "list_tenants": (EVERYONE, 200, lambda g: (
        "GET", f"{V1}/rentals/{shared_rental(g)['rental_id']}/tenants", None)),
    "add_tenant": (KEEPERS, 201, lambda g: (
        "POST", f"{V1}/rentals/{a_rental_in(g)['rental_id']}/tenants",
        {"name": "租户", "id_number": new_id_number(), "move_in": "2026-05-01"})),
    "get_tenant": (EVERYONE, 200, lambda g: (
        "GET", f"{V1}/tenants/{shared_tenant(g)['tenant_id']}", None)),
    "update_tenant": (KEEPERS, 200, lambda g: (
        "PATCH", f"{V1}/tenants/{(t := a_tenant_in(g))['tenant_id']}",
        {"version": t["version"], "move_out": "2026-11-01"})),
    "delete_tenant": (KEEPERS, 204, lambda g: (
        "DELETE", f"{V1}/tenants/{(t := a_tenant_in(g))['tenant_id']}?version={t['version']}",
        None)),
}


def _upload(grid):
    """An uploaded, valid household workbook with one household in the grid."""
    import io

    from chalicelib.schemas.ledger_files import UploadRequest
    from chalicelib.usecases import ledger_files
    from openpyxl import Workbook

    from tests.api.s3_forms import post_form

    if ledger_fixtures._pretending:
        return ledger_fixtures.NOWHERE
    book = Workbook()
    book.active.title = "住户"
    book.active.append(["户编号", "网格编码", "地址", "户主姓名", "备注"])
    book.active.append(["H1", micro_in(grid), new_address(), "张三", ""])
    book.create_sheet("居民").append(["户编号", "姓名", "身份证号", "联系电话", "人口类型", "重点人群",
                                     "与户主关系", "备注"])
    buffer = io.BytesIO()
    book.save(buffer)
    form = ledger_files.start_upload(system(grid), UploadRequest(
        kind="households", filename="a.xlsx", size=len(buffer.getvalue())))
    post_form(form.model_dump(), buffer.getvalue(), "a.xlsx", "application/xlsx")
    return form.upload_id


def _import_job(grid):
    from chalicelib.schemas.ledger_files import ImportRequest
    from chalicelib.usecases import ledger_files
    from chalicelib.web.access import Caller

    if ledger_fixtures._pretending:
        return ledger_fixtures.NOWHERE
    owner = Caller(user_id="test-system", role="county_admin", scope_code=grid)
    return ledger_files.start_import(owner, ImportRequest(
        upload_id=_upload(grid), kind="households", dry_run=True))[0].import_id


def _export_job(grid):
    from chalicelib.schemas.ledger_files import ExportRequest
    from chalicelib.usecases import ledger_files
    from chalicelib.web.access import Caller

    if ledger_fixtures._pretending:
        return ledger_fixtures.NOWHERE
    owner = Caller(user_id="test-system", role="county_admin", scope_code=grid)
    return ledger_files.start_export(owner, ExportRequest(kind="tenants", grid=micro_in(grid))
                                     ).export_id


EXPORTERS = KEEPERS | {"dispatcher"}
ROUTES |= {
    "ledger_template": (KEEPERS, 200, lambda g: ("GET", f"{V1}/ledger-templates/rentals", None)),
    "ledger_upload": (KEEPERS, 201, lambda g: ("POST", f"{V1}/ledger-uploads", {
        "kind": "households", "filename": "台账.xlsx", "size": 2048})),
    "ledger_import": (KEEPERS, 200, lambda g: ("POST", f"{V1}/ledger-imports", {
        "upload_id": _upload(g), "kind": "households", "dry_run": True})),
    "get_ledger_import": (KEEPERS, 200, lambda g: ("GET", f"{V1}/ledger-imports/{_import_job(g)}",
                                                  None)),
    # A grid worker exports only their own micro-grid; the row asks for the grid's own.
    "ledger_export": (EXPORTERS, 202, lambda g: ("POST", f"{V1}/ledger-exports",
                                                 {"kind": "rentals", "grid": g})),
    "get_ledger_export": (EXPORTERS, 200, lambda g: (
        "GET", f"{V1}/ledger-exports/{_export_job(g)}", None)),
}
# Upload forms and templates name no grid; an import reports rows outside the caller's
# scope as problems of the file (tests/api/test_ledger_files.py); a job is its owner's.
SCOPED = set(ROUTES) - {"grid_levels", "ledger_settings", "ledger_template", "ledger_upload",
                        "ledger_import"}
MACHINE_ROUTES = {"grid_levels", "grid_counts"}
