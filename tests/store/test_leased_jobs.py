"""A leased job is run by one runner at a time, is taken over when its runner's
lease runs out, and leaves the running index when it ends: for every kind of job."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

AT = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def _grid_move():
    from types import SimpleNamespace

    from chalicelib.domain import tokens
    from chalicelib.domain.grid_moves import GridMove
    from chalicelib.store import grid_moves, leased_jobs

    job = GridMove(move_id=tokens.new_id(), old_code="140825102201", new_code="140825103201",
                   old_parent_code="140825102", created_by="u1", created_at=AT)
    grid_moves.to_item(job).save()
    # The lease operations work on stored items; the store's readers give domain moves.
    items = SimpleNamespace(
        get=lambda move_id: leased_jobs.get(grid_moves.GridMoveModel, move_id, "Grid move"),
        running=lambda: leased_jobs.running(grid_moves.GridMoveModel))
    return items, job.move_id


def _ledger_job():
    from types import SimpleNamespace

    from chalicelib.domain import tokens
    from chalicelib.domain.ledger_jobs import LedgerJob
    from chalicelib.store import leased_jobs, ledger_jobs

    job = LedgerJob(job_id=tokens.new_id(), job_type="export", kind="households",
                    scope_code="140825", status="running", created_by="u1",
                    created_role="county_admin", created_at=AT)
    ledger_jobs.save(job)
    items = SimpleNamespace(
        get=lambda job_id: leased_jobs.get(ledger_jobs.LedgerJobModel, job_id, "Job"),
        running=lambda: leased_jobs.running(ledger_jobs.LedgerJobModel))
    return items, job.job_id


@pytest.fixture(params=[_grid_move, _ledger_job], ids=["grid move", "ledger job"])
def new_job(request, database):
    """Makes a running job of one kind: its store module and its id. The jobs
    are deleted after the test, or the sweeps of later tests would run them."""
    made = []

    def make():
        made.append(request.param())
        return made[-1]

    yield make
    for store, job_id in made:
        store.get(job_id).delete()


def _running_ids(store) -> set[str]:
    return {job.move_id if hasattr(job, "move_id") else job.job_id for job in store.running()}


def test_of_two_runners_racing_for_a_lease_only_one_gets_it(new_job):
    from chalicelib.store import leased_jobs

    store, job_id = new_job()
    copies = [store.get(job_id), store.get(job_id)]
    both_ready = threading.Barrier(len(copies))

    def race(job) -> bool:
        both_ready.wait()
        return leased_jobs.take_lease(job, AT, AT + LEASE)

    with ThreadPoolExecutor(max_workers=len(copies)) as pool:
        taken = list(pool.map(race, copies))
    assert sorted(taken) == [False, True]
    held = store.get(job_id)
    assert held.lease_until == AT + LEASE
    if isinstance(held, leased_jobs.CountsAttempts):
        assert held.attempts == 1  # the runner that lost made no attempt


def test_a_lease_is_taken_over_once_it_has_run_out(new_job):
    from chalicelib.store import leased_jobs

    store, job_id = new_job()
    assert leased_jobs.take_lease(store.get(job_id), AT, AT + LEASE)
    assert not leased_jobs.take_lease(store.get(job_id), AT + LEASE / 2, AT + LEASE * 1.5)
    assert leased_jobs.take_lease(store.get(job_id), AT + LEASE * 2, AT + LEASE * 3)
    assert store.get(job_id).lease_until == AT + LEASE * 3


def test_a_released_lease_may_be_taken_at_once(new_job):
    from chalicelib.store import leased_jobs

    store, job_id = new_job()
    assert leased_jobs.take_lease(store.get(job_id), AT, AT + LEASE)
    leased_jobs.release(store.get(job_id))
    assert leased_jobs.take_lease(store.get(job_id), AT, AT + LEASE)


def test_a_finished_job_leaves_the_running_index(new_job):
    from chalicelib.store import leased_jobs

    store, finished_id = new_job()
    _, running_id = new_job()
    assert {finished_id, running_id} <= _running_ids(store)
    leased_jobs.take_lease(store.get(finished_id), AT, AT + LEASE)
    leased_jobs.finish(store.get(finished_id), "done", AT + LEASE / 2)
    running = _running_ids(store)
    assert running_id in running and finished_id not in running
    finished = store.get(finished_id)
    assert (finished.status, finished.finished_at, finished.running, finished.lease_until) == (
        "done", AT + LEASE / 2, None, None)

