"""Making grids and ledger records directly through the use cases, for tests
that need one to exist (the access matrix, scope tests)."""

import functools
import itertools
import random
from contextlib import contextmanager
from datetime import date, timedelta

from tests.conftest import new_phone

_pretending = False
# What the record makers hand out while pretending: ids of the system's shape that
# exist nowhere.
NOWHERE = "0" * 32
PLACEHOLDER = {"household_id": NOWHERE, "resident_id": NOWHERE, "rental_id": NOWHERE,
               "tenant_id": NOWHERE, "worker_id": NOWHERE, "assignment_id": NOWHERE,
               "version": 1}


@contextmanager
def pretend(enabled: bool = True):
    """Within it, the record makers write nothing and return placeholder ids: for a
    request that must be refused before any record is read."""
    global _pretending
    previous, _pretending = _pretending, enabled
    try:
        yield
    finally:
        _pretending = previous


def maker(function):
    """A record maker that honours `pretend`."""
    @functools.wraps(function)
    def make(grid: str, *args, **kwargs):
        if _pretending:
            return {**PLACEHOLDER, "members": [PLACEHOLDER]}
        return function(grid, *args, **kwargs)
    return make


def shared(function):
    """One record per grid, for requests that only read it."""
    made: dict[str, dict] = {}

    @functools.wraps(function)
    def get(grid: str) -> dict:
        if _pretending:
            return function(grid)
        if grid not in made:
            made[grid] = function(grid)
        return made[grid]
    return get


def system(grid: str):
    from chalicelib.web.access import Caller

    return Caller(user_id="test-system", role="county_admin", scope_code=grid[:6])


def ensure_grid(code: str, name: str = "测试网格") -> str:
    from chalicelib.store import grids

    if grids.find(code) is None:
        grids.create(grids.build(code, name))
    return code


def micro_in(grid: str) -> str:
    """A micro-grid in the subtree of a village or micro-grid (made when missing)."""
    if len(grid) == 16:
        return grid
    assert len(grid) in (12, 14), grid
    code = ensure_grid(grid)
    while len(code) < 16:
        code = ensure_grid(code + "01")
    return code


# ID numbers are unique across the deployment, so the tests' are handed out in
# turn (birth day, then sequence, in a region the demo data never uses) rather
# than drawn: a few thousand random draws would meet now and then. The start is
# random so reruns against one database do not meet either.
_BIRTH_DAYS = (date(2005, 12, 31) - date(1950, 1, 1)).days
_id_number_counter = itertools.count(random.randrange(_BIRTH_DAYS * 1000))


def new_id_number() -> str:
    from chalicelib.domain import id_numbers

    number = next(_id_number_counter) % (_BIRTH_DAYS * 1000)
    birth = date(1950, 1, 1) + timedelta(days=number % _BIRTH_DAYS)
    return id_numbers.make("420102", birth, number // _BIRTH_DAYS)


def new_address() -> str:
    return f"测试村{random.randint(1, 99)}组{random.randint(1, 10**9)}号"


def resident_body(**fields) -> dict:
    return {"name": "张三", "id_number": new_id_number(), "phone": new_phone(),
            "resident_type": "registered", **fields}


@maker
def a_household_in(grid: str, members: int = 1) -> dict:
    from chalicelib.schemas.ledgers import HouseholdCreate
    from chalicelib.usecases import households

    request = HouseholdCreate(grid_code=micro_in(grid), address=new_address(), head_name="张三",
                              members=[resident_body() for _ in range(members)])
    return households.create_household(system(grid), request).model_dump()


def a_resident_in(grid: str) -> dict:
    return a_household_in(grid)["members"][0]



@maker
def a_rental_in(grid: str) -> dict:
    from chalicelib.schemas.ledgers import RentalCreate
    from chalicelib.usecases import rentals

    request = RentalCreate(grid_code=micro_in(grid), address=new_address(), owner_name="李四",
                           owner_phone=new_phone())
    return rentals.create_rental(system(grid), request).model_dump()


@maker
def a_tenant_in(grid: str) -> dict:
    from chalicelib.schemas.ledgers import TenantIn
    from chalicelib.usecases import rentals

    rental = a_rental_in(grid)
    request = TenantIn(name="王五", id_number=new_id_number(), phone=new_phone(),
                       move_in=date(2026, 3, 1))
    return rentals.add_tenant(system(grid), rental["rental_id"], request).model_dump()


@maker
def a_worker_in(grid: str, kind: str = "part_time") -> dict:
    from chalicelib.schemas.workers import WorkerCreate
    from chalicelib.usecases import workers

    request = WorkerCreate(name="赵六", phone=new_phone(), kind=kind, grid_code=grid)
    return workers.create_worker(system(grid), request).model_dump()


@maker
def an_assignment_in(grid: str) -> dict:
    from chalicelib.schemas.workers import AssignmentCreate
    from chalicelib.usecases import workers

    worker = a_worker_in(grid)
    return workers.assign(system(grid), worker["worker_id"],
                          AssignmentCreate(grid_code=micro_in(grid))).model_dump()


def a_fresh_grid_under(grid: str) -> str:
    """A new, empty comprehensive grid under the village of `grid`."""
    from chalicelib.schemas.grids import GridCreate
    from chalicelib.usecases import grids

    if _pretending:
        return grid[:12] + "99"
    return grids.create_grid(GridCreate(parent_code=grid[:12], name="新网格")).code


def grid_version(code: str) -> int:
    from chalicelib.store import grids

    if _pretending:
        return 1
    return grids.get(code).version

shared_household = shared(a_household_in)
shared_resident = shared(a_resident_in)
shared_rental = shared(a_rental_in)
shared_tenant = shared(a_tenant_in)
shared_worker = shared(a_worker_in)
