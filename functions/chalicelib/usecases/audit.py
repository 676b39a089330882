"""Writing and reading the audit trail."""

from datetime import timedelta

from chalicelib import clock
from chalicelib.domain import roles
from chalicelib.domain.callers import Caller
from chalicelib.errors import Forbidden, InvalidInput
from chalicelib.schemas.users import AuditEntry, AuditPage, AuditQuery
from chalicelib.store import audit as audit_store


def record(caller: Caller, *, action: str, record: str, scope_code: str,
           fields: str | None = None, changes: dict | None = None) -> None:
    audit_store.append(at=clock.now(), actor_id=caller.user_id, actor_name=caller.name,
                       actor_role=caller.role, action=action, record=record,
                       scope_code=scope_code, fields=fields, source_ip=caller.source_ip,
                       changes=changes)


def check_may_reveal(caller: Caller) -> None:
    """Only roles that need personal data may read it unmasked."""
    if caller.role not in roles.MAY_REVEAL_PERSONAL_DATA:
        raise Forbidden("Your role may not read personal data unmasked", code="reveal_denied")


def reveal(caller: Caller, *, what: str, scope_code: str, fields: str) -> None:
    """An unmasked read of personal data (`what`: e.g. resident#<id>): allowed by
    role, and always logged."""
    check_may_reveal(caller)
    record(caller, action="reveal", record=what, scope_code=scope_code, fields=fields)


def list_entries(caller: Caller, query: AuditQuery) -> AuditPage:
    scope = query.scope or caller.scope_code
    if not caller.can_see(scope):
        raise Forbidden("Outside your grid scope", code="out_of_scope")
    until = query.until or clock.now()
    since = query.since or until - timedelta(days=30)
    if since > until:
        raise InvalidInput("from", "from must not be later than to")
    items, cursor = audit_store.query(scope_code=scope, actor_id=query.user_id,
                                      record=query.record, since=since, until=until,
                                      limit=query.limit, cursor=query.cursor)
    return AuditPage(items=[AuditEntry(at=e.at, actor_id=e.actor_id,
                                       actor_name=e.actor_name or "", actor_role=e.actor_role,
                                       action=e.action, record=e.record, scope_code=e.scope_code,
                                       fields=e.fields, source_ip=e.source_ip,
                                       changes=e.changes.as_dict() if e.changes else None)
                                for e in items], next_cursor=cursor)
