"""The core's domain objects without a database: grids, grid moves, workers and
their assignments, accounts, API keys and hotline callbacks."""

from datetime import UTC, date, datetime, timedelta

import pytest
from chalicelib.domain import api_keys, case_callbacks, grid_moves, grids, users, workers
from chalicelib.domain.callers import Caller
from chalicelib.errors import Conflict, Forbidden, InvalidInput, Unauthorized

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
VILLAGE, MICRO = "140825102201", "1408251022010101"
TOWN_ADMIN = Caller(user_id="u-admin", role="town_admin", scope_code="140825102")


def a_grid(code: str = MICRO, version: int = 3) -> grids.Grid:
    grid = grids.Grid.new(code, "一号网格", NOW)
    grid.version = version
    return grid


def test_a_grid_knows_its_place_from_its_code():
    grid = a_grid()
    assert (grid.level, grid.parent_code, grid.depth) == ("micro", MICRO[:14], 4)
    assert a_grid("140825").parent_code is None


def test_an_edit_names_the_version_it_was_made_on_and_reports_what_changed():
    grid = a_grid()
    with pytest.raises(Conflict) as stale:
        grid.edit(2, NOW, name="新名")
    assert stale.value.code == "version_conflict"
    changes = grid.edit(3, NOW + timedelta(hours=1), name="新名", notes="",
                        party_members=[grids.PartyMember(name="张三", position="组长")])
    assert set(changes) == {"name", "party_members"}
    assert (grid.name, grid.notes, grid.updated_at) == ("新名", None, NOW + timedelta(hours=1))


def test_a_bad_boundary_is_refused_naming_the_field():
    with pytest.raises(InvalidInput):
        a_grid().edit(3, NOW, boundary={"type": "Point", "coordinates": [111.2, 35.6]})


def test_a_grid_is_retired_only_once_it_holds_nothing():
    grid = a_grid()
    with pytest.raises(Conflict) as children:
        grid.retire(3, NOW, active_children=2, held={})
    assert children.value.code == "grid_not_empty"
    with pytest.raises(Conflict) as held:
        grid.retire(3, NOW, active_children=0, held={"households": 1, "cases_open": 4})
    assert "households 1" in held.value.message and "cases_open" not in held.value.message
    grid.retire(3, NOW, active_children=0, held={"households": 0, "cases_open": 4})
    assert grid.retired and not grid.is_open
    with pytest.raises(Conflict) as again:
        grid.retire(3, NOW, active_children=0, held={})
    assert again.value.code == "already_retired"


@pytest.mark.parametrize("parent_code, message", [
    ("140826102201", "within its county"),
    (MICRO[:14] + "01", "below itself"),
    (MICRO[:14], "already"),
    ("140825102202", "moves under a grid"),
])
def test_a_move_needs_a_parent_one_level_up_elsewhere_in_the_county(parent_code, message):
    with pytest.raises(InvalidInput) as refused:
        a_grid().check_move_under(3, parent_code)
    assert message in refused.value.message
    a_grid().check_move_under(3, "14082510220102")


def test_a_grid_copied_for_a_move_is_new_and_marked_as_moving():
    grid = a_grid()
    copy = grid.copy_to("1408251022020101", "m1", NOW + timedelta(days=1))
    assert (copy.code, copy.moving, copy.version, copy.created_at) == (
        "1408251022020101", "m1", 0, NOW)
    assert grid.moving is None and not copy.is_open


def test_a_move_renames_every_code_of_its_subtree():
    move = grid_moves.GridMove(move_id="m1", old_code=VILLAGE, new_code="140825103205",
                               old_parent_code="140825102", created_by="u1", created_at=NOW)
    assert move.renamed(MICRO) == "1408251032050101"
    assert (move.next_step, move.scope_code, move.done) == ("copy", "140825102", False)


def a_worker(**fields) -> workers.Worker:
    return workers.Worker(**{"worker_id": "w1", "name": "李四", "phone": "10000000002",
                             "kind": "full_time", "grid_code": MICRO, "created_at": NOW,
                             "version": 1, **fields})


def test_a_worker_leaves_once():
    worker = a_worker()
    worker.leave(1, NOW)
    assert worker.status == workers.LEFT
    with pytest.raises(Conflict) as again:
        worker.leave(1, NOW)
    assert again.value.code == "already_left"


def test_an_assignment_begins_for_an_active_worker_in_scope_once():
    begin = {"today": TODAY, "now": NOW, "by": TOWN_ADMIN}
    assignment = workers.Assignment.begin("a1", a_worker(), MICRO, TODAY, of_worker=[], **begin)
    assert (assignment.active, assignment.created_by) == (True, "u-admin")
    with pytest.raises(Conflict) as twice:
        workers.Assignment.begin("a2", a_worker(), MICRO, TODAY, of_worker=[assignment], **begin)
    assert twice.value.code == "already_assigned"
    with pytest.raises(Conflict) as left:
        workers.Assignment.begin("a3", a_worker(status=workers.LEFT), MICRO, TODAY,
                                 of_worker=[], **begin)
    assert left.value.code == "worker_left"
    with pytest.raises(Forbidden):
        workers.Assignment.begin("a4", a_worker(), "1408251032010101", TODAY, of_worker=[],
                                 **begin)
    with pytest.raises(InvalidInput):
        workers.Assignment.begin("a5", a_worker(), MICRO, TODAY + timedelta(days=1),
                                 of_worker=[], **begin)


def test_an_assignment_ends_once_and_not_before_it_began():
    assignment = workers.Assignment(assignment_id="a1", worker_id="w1", grid_code=MICRO,
                                    start_date=TODAY - timedelta(days=10), created_by="u",
                                    created_at=NOW)
    with pytest.raises(InvalidInput) as early:
        assignment.end(TODAY - timedelta(days=11), today=TODAY, by="u")
    assert early.value.code == "end_before_start"
    assignment.end(TODAY, today=TODAY, by="u2")
    assert (assignment.active, assignment.ended_by) == (False, "u2")
    with pytest.raises(Conflict) as again:
        assignment.end(TODAY, today=TODAY, by="u2")
    assert again.value.code == "already_ended"


def test_the_worker_assigned_most_recently_takes_over_else_nobody():
    def assigned(assignment_id: str, worker_id: str, start: date) -> workers.Assignment:
        return workers.Assignment(assignment_id=assignment_id, worker_id=worker_id,
                                  grid_code=MICRO, start_date=start, created_by="u",
                                  created_at=NOW)
    active = [assigned("a1", "w-leaving", TODAY), assigned("a2", "w-old", date(2025, 1, 1)),
              assigned("a3", "w-new", date(2026, 3, 1))]
    assert workers.successor(active, "w-leaving") == "w-new"
    assert workers.successor(active[:1], "w-leaving") is None


def a_user(**fields) -> users.User:
    return users.User(**{"user_id": "u-viewer", "phone": "10088880007", "name": "查看员",
                         "role": "viewer", "scope_code": "140825102", "password_hash": "x",
                         "created_at": NOW, "updated_at": NOW, "version": 2, **fields})


def test_an_admin_changes_an_account_of_their_rank_or_below_but_never_their_own_standing():
    user = a_user()
    user.check_change(TOWN_ADMIN, 2, account_changes=True)
    assert user.change(role="dispatcher", status=users.DISABLED) == {
        "role": "dispatcher", "scope_code": "140825102", "status": "disabled"}
    assert user.disabled and user.status == users.DISABLED
    with pytest.raises(Forbidden) as own:
        a_user(user_id="u-admin").check_change(TOWN_ADMIN, 2, account_changes=True)
    assert own.value.code == "self_change"
    with pytest.raises(Forbidden) as higher:
        a_user(role="county_admin").check_change(TOWN_ADMIN, 2, account_changes=False)
    assert higher.value.code == "role_denied"
    with pytest.raises(Conflict):
        user.check_change(TOWN_ADMIN, 1, account_changes=False)


def test_a_password_change_needs_the_current_one_and_a_new_one():
    user = users.User.new(user_id="u1", phone="10088880007", name="甲", role="viewer",
                          scope_code="140825102", password="Wangge#2026", password_field="password",
                          worker_id=None, must_change_password=True, created_by=None, now=NOW)
    with pytest.raises(Unauthorized):
        user.change_password("wrong", "Another#2027")
    with pytest.raises(InvalidInput) as same:
        user.change_password("Wangge#2026", "Wangge#2026")
    assert same.value.code == "weak_password"
    user.change_password("Wangge#2026", "Another#2027")
    assert not user.must_change_password


def test_a_session_starts_with_a_token_it_keeps_only_the_digest_of():
    session, refresh_token = users.Session.start("u1", NOW)
    assert refresh_token not in session.token_digest
    assert session.usable(NOW) and not session.usable(session.expires_at)


def test_an_api_key_is_issued_for_known_operations_and_accepts_its_secret_until_revoked():
    with pytest.raises(InvalidInput) as unknown:
        api_keys.ApiKey.issue(name="k", scope_code="140825", operations=["grids.write"],
                              created_by="u", now=NOW)
    assert unknown.value.details[0]["field"] == "operations"
    key, presented = api_keys.ApiKey.issue(name="k", scope_code="140825",
                                           operations=["cases.create"], created_by="u", now=NOW)
    key_id, secret = api_keys.key_id_and_secret(presented)
    assert key_id == key.key_id and key.accepts(secret) and not key.accepts(secret + "x")
    key.revoked = True
    assert not key.accepts(secret)
    assert api_keys.key_id_and_secret("Bearer xyz") is None


def test_a_callback_is_due_claimed_and_ended():
    callback = case_callbacks.Callback.owed(callback_id="c1-close-0", case_id="c1",
                                            ticket_id="T1", url="https://example.invalid/",
                                            payload="{}", grid_code=MICRO, now=NOW)
    assert callback.is_due(NOW) and not callback.is_due(NOW - timedelta(seconds=1))
    callback.take_attempt(NOW + timedelta(minutes=1))
    assert (callback.attempts, callback.is_due(NOW)) == (1, False)
    callback.attempt_ended(case_callbacks.FAILED, "HTTP 502", NOW)
    assert (callback.next_attempt_at, callback.last_error) == (None, "HTTP 502")
    callback.requeue(NOW)
    assert callback.is_due(NOW)
    callback.attempt_ended(case_callbacks.DELIVERED, None, NOW)
    assert callback.delivered_at == NOW and not callback.is_due(NOW)
