"""The audit log is only added to: an entry is never written over, whether it is
put alone or in the transaction of the change it records. (No function may
update or delete one either: tests/infra check the roles.)"""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

AT = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def audit(database, monkeypatch):
    """The audit store with every entry's key drawn alike: two entries of one
    moment then share a key."""
    from chalicelib import clock
    from chalicelib.store import audit

    monkeypatch.setattr(audit, "secrets", SimpleNamespace(token_hex=lambda _: "00c0ffee"))
    monkeypatch.setattr(clock, "now", lambda: AT)
    return audit


def _stored_action(audit, entry) -> str:
    return audit.AuditModel.get(entry.county, entry.at_id, consistent_read=True).action


def test_an_entry_put_alone_is_not_written_over(audit, county_code):
    from pynamodb.exceptions import PutError

    entry = {"at": AT, "actor_id": "u1", "actor_name": "管理员", "actor_role": "county_admin",
             "record": "user#u1", "scope_code": county_code, "fields": None, "source_ip": None}
    first = audit.append(action="reveal", **entry)
    with pytest.raises(PutError):
        audit.append(action="update", **entry)
    assert _stored_action(audit, first) == "reveal"


def test_an_entry_put_with_its_change_is_not_written_over(audit, county_code):
    from chalicelib.store.unit_of_work import UnitOfWork
    from pynamodb.exceptions import TransactWriteError

    def commit_entry(action: str) -> None:
        work = UnitOfWork()
        work.audit(action=action, record="resident#r1", scope_code=county_code)
        work.commit()

    commit_entry("create")
    with pytest.raises(TransactWriteError):
        commit_entry("update")
    (entry,) = audit.AuditModel.query(county_code)
    assert entry.action == "create"
