"""A rental's responsible worker follows the micro-grid: a handover gives the
outgoing worker's rentals there to the incoming one; a worker who leaves or stops
covering a grid hands them to whoever still covers it, or leaves them uncovered."""

import pytest

from tests.api.ledger_fixtures import new_address
from tests.api.ledger_tree import build
from tests.api.test_workers import a_worker, uncovered


@pytest.fixture
def tree(county_admin):
    return build(county_admin)


def assigned(client, worker, grid, start="2026-01-05"):
    response = client.post(f"/api/v1/workers/{worker['worker_id']}/assignments",
                           {"grid_code": grid, "start_date": start})
    assert response.status == 201, response.body
    return response.json


def a_rental(client, grid, worker=None):
    response = client.post("/api/v1/rentals", {
        "grid_code": grid, "address": new_address(), "owner_name": "房东",
        **({"responsible_worker_id": worker["worker_id"]} if worker else {})})
    assert response.status == 201, response.body
    return response.json["rental_id"]


def responsible_for(client, rental_id):
    response = client.get(f"/api/v1/rentals/{rental_id}")
    assert response.status == 200, response.body
    return response.json["responsible_worker_id"]


def rentals_of(client, worker):
    response = client.get(
        f"/api/v1/rentals?responsible_worker_id={worker['worker_id']}&limit=200")
    assert response.status == 200, response.body
    return {r["rental_id"] for r in response.json["items"]}


def test_a_handover_gives_the_outgoing_workers_rentals_there_to_the_incoming_one(
        county_admin, tree):
    api = county_admin
    outgoing, incoming = a_worker(api, tree.village_a), a_worker(api, tree.village_a)
    assigned(api, outgoing, tree.micro_a1)
    assigned(api, outgoing, tree.micro_a2)
    handed = a_rental(api, tree.micro_a1, outgoing)
    elsewhere = a_rental(api, tree.micro_a2, outgoing)
    nobodys = a_rental(api, tree.micro_a1)
    response = api.post(f"/api/v1/grids/{tree.micro_a1}/handover", {
        "from_worker_id": outgoing["worker_id"], "to_worker_id": incoming["worker_id"]})
    assert response.status == 201, response.body
    assert responsible_for(api, handed) == incoming["worker_id"]
    assert responsible_for(api, elsewhere) == outgoing["worker_id"]
    assert responsible_for(api, nobodys) is None
    logged = api.get(f"/api/v1/audit?record=rental%23{handed}").json["items"]
    assert logged[0]["action"] == "update"
    assert "responsible_worker_id" in logged[0]["changes"]

    ended = api.post(f"/api/v1/assignments/{response.json['assignment_id']}/end",
                     {"version": response.json["version"]})
    assert ended.status == 200, ended.body
    assert responsible_for(api, handed) is None
    assert tree.micro_a1 in uncovered(api, tree.town)


def test_a_worker_who_leaves_hands_rentals_to_who_still_covers_the_grid_or_to_nobody(
        county_admin, tree):
    api = county_admin
    leaving, staying, newest = (a_worker(api, tree.village_a) for _ in range(3))
    assigned(api, leaving, tree.micro_a1)
    assigned(api, leaving, tree.micro_a2)
    assigned(api, staying, tree.micro_a2, start="2026-02-01")
    assigned(api, newest, tree.micro_a2, start="2026-03-01")
    alone = a_rental(api, tree.micro_a1, leaving)
    shared = a_rental(api, tree.micro_a2, leaving)
    # Responsible by the village rule without covering the micro-grid.
    unassigned_grid = a_rental(api, tree.micro_a1, leaving)
    left = api.post(f"/api/v1/workers/{leaving['worker_id']}/leave",
                    {"version": leaving["version"]})
    assert left.status == 200, left.body
    assert responsible_for(api, shared) == newest["worker_id"]
    assert responsible_for(api, alone) is None and responsible_for(api, unassigned_grid) is None
    assert rentals_of(api, leaving) == set()
    still_uncovered = uncovered(api, tree.town)
    assert tree.micro_a1 in still_uncovered and tree.micro_a2 not in still_uncovered


def stored_rentals(grid, worker, number):
    """Rentals put in the store directly: more than one transaction holds."""
    from chalicelib import clock
    from chalicelib.domain import tokens
    from chalicelib.store import records
    from chalicelib.store.rentals import RentalModel

    now = clock.now()
    rentals = []
    for _ in range(number):
        rental = RentalModel(rental_id=tokens.new_id(), address=new_address(),
                             owner_name="房东", responsible_worker_id=worker["worker_id"],
                             tenant_count=0, created_at=now, updated_at=now, version=1)
        rental.address_key = f"{rental.address}#{rental.rental_id}"
        records.place(rental, grid, rental.rental_id)
        rentals.append(rental)
    with RentalModel.batch_write() as batch:
        for rental in rentals:
            batch.save(rental)
    return {rental.rental_id for rental in rentals}


def test_a_handover_of_more_rentals_than_a_transaction_holds_finishes_when_sent_again(
        county_admin, tree, monkeypatch):
    from chalicelib.errors import Unavailable
    from chalicelib.store.unit_of_work import UnitOfWork

    api = county_admin
    outgoing, incoming = a_worker(api, tree.village_a), a_worker(api, tree.village_a)
    assigned(api, outgoing, tree.micro_a1)
    rentals = stored_rentals(tree.micro_a1, outgoing, 70)
    commit, commits = UnitOfWork.commit, []

    def cut_short_after_the_first(work):
        commits.append(work)
        if len(commits) > 1:
            raise Unavailable("the request was cut short")
        commit(work)

    monkeypatch.setattr(UnitOfWork, "commit", cut_short_after_the_first)
    body = {"from_worker_id": outgoing["worker_id"], "to_worker_id": incoming["worker_id"]}
    cut = api.post(f"/api/v1/grids/{tree.micro_a1}/handover", body)
    assert cut.status == 503, cut.body
    handed_so_far = rentals_of(api, incoming)
    assert handed_so_far and handed_so_far < rentals
    assert rentals_of(api, outgoing) == rentals - handed_so_far
    assert uncovered(api, tree.town).count(tree.micro_a1) == 0
    monkeypatch.setattr(UnitOfWork, "commit", commit)

    again = api.post(f"/api/v1/grids/{tree.micro_a1}/handover", body)
    assert again.status == 201, again.body
    assert rentals_of(api, incoming) == rentals and rentals_of(api, outgoing) == set()
    active = api.get(f"/api/v1/grids/{tree.micro_a1}/assignments?active=true").json["items"]
    assert [a["worker_id"] for a in active] == [incoming["worker_id"]]
