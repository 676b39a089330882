"""How a case reads in the API: its summary (the reporter masked unless
revealed) and its photos, each with a download link."""

from chalicelib.domain import case_flow
from chalicelib.domain.case_flow import Case
from chalicelib.domain.personal_data import mask_phone
from chalicelib.schemas.cases import AttachmentOut, CaseOut
from chalicelib.settings import settings
from chalicelib.store import objects

DOWNLOAD_SECONDS = 15 * 60


def mask_name(name: str | None) -> str | None:
    return name[0] + "*" * (len(name) - 1) if name else name


def case_out(case: Case, *, reveal: bool = False) -> CaseOut:
    return CaseOut(
        case_id=case.case_id, category=case.category, source=case.source,
        description=case.description, priority=case.priority, state=case.state,
        version=case.version, location_grid=case.location_grid,
        handling_grid=case.handling_grid, lat=case.lat, lng=case.lng, address=case.address,
        reporter_name=case.reporter_name if reveal else mask_name(case.reporter_name),
        reporter_phone=case.reporter_phone if reveal else mask_phone(case.reporter_phone),
        handler_worker_id=case.handler_worker_id, handler_name=case.handler_name,
        reported_at=case.reported_at, registered_at=case.registered_at,
        closed_at=case.closed_at, updated_at=case.updated_at,
        stage=case_flow.STAGE_OF.get(case.state), due_at=case.due_at,
        due_estimated=case.due_estimated, overdue=case.overdue, late_stages=case.late_stages,
        close_due_at=case.close_due_at, rework_count=case.rework_count,
        escalation_count=case.escalation_count, reopen_count=case.reopen_count,
        escalated=case.escalated, ticket_id=case.ticket_id,
        first_contact_at=case.first_contact_at, satisfaction=case.satisfaction,
        attachment_count=len(case.attachments))


def attachment_out(attachment: dict) -> AttachmentOut:
    url = objects.download_link(settings.attachments_bucket, attachment["key"],
                                DOWNLOAD_SECONDS)
    return AttachmentOut(attachment_id=attachment["attachment_id"],
                         content_type=attachment["content_type"], size=attachment["size"],
                         uploaded_by=attachment["uploaded_by"],
                         uploaded_at=attachment["uploaded_at"], url=url)
