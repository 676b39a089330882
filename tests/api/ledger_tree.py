"""A small grid tree of one's own, for ledger tests: a town with two villages,
a comprehensive grid in each, two micro-grids in the first and one in the second."""

from dataclasses import dataclass

from tests.conftest import ApiClient, new_phone


@dataclass
class Tree:
    county: str
    town: str
    village_a: str
    village_b: str
    grid_a: str
    grid_b: str
    micro_a1: str
    micro_a2: str
    micro_b: str


def build(admin: ApiClient) -> Tree:
    county = admin.county
    town = f"{county}101"
    village_a, village_b = f"{town}201", f"{town}202"
    grid_a, grid_b = f"{village_a}01", f"{village_b}01"
    tree = Tree(county, town, village_a, village_b, grid_a, grid_b, f"{grid_a}01", f"{grid_a}02",
                f"{grid_b}01")
    for code in (town, village_a, village_b, grid_a, grid_b, tree.micro_a1, tree.micro_a2,
                 tree.micro_b):
        response = admin.post("/api/v1/grids", {"code": code, "parent_code": code[:-3]
                                                if len(code) <= 12 else code[:-2], "name": "网格"})
        assert response.status == 201, response.body
    return tree


def user_in(scope: str, role: str) -> ApiClient:
    from chalicelib.usecases import bootstrap

    phone = new_phone()
    bootstrap.ensure_user(phone=phone, name="测试用户", role=role, scope_code=scope,
                          password="Tester#2026", must_change_password=False)
    return ApiClient().login(phone, "Tester#2026")


def counts(client: ApiClient, code: str) -> dict:
    response = client.get(f"/api/v1/grids/{code}/counts")
    assert response.status == 200, response.body
    return response.json["grid"]["counts"]


def rental_with_tenant(admin: ApiClient, grid: str) -> dict:
    from tests.api.ledger_fixtures import new_address, new_id_number

    rental = admin.post("/api/v1/rentals", {"grid_code": grid, "address": new_address(),
                                            "owner_name": "房东"}).json
    admin.post(f"/api/v1/rentals/{rental['rental_id']}/tenants", {
        "name": "租户", "id_number": new_id_number(), "move_in": "2026-02-01"})
    return rental


def assigned_worker(admin: ApiClient, grid: str) -> dict:
    worker = admin.post("/api/v1/workers", {"name": "随迁网格员", "phone": new_phone(),
                                            "kind": "full_time", "grid_code": grid}).json
    admin.post(f"/api/v1/workers/{worker['worker_id']}/assignments", {"grid_code": grid})
    return worker
