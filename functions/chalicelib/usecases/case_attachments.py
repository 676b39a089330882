"""Photos of a case, uploaded by the phone straight to S3 with a presigned POST
form (the API never carries the bytes), then attached to the case, which
appends them to its timeline.

The form fixes the object key, the content type and the largest size, and
expires after a quarter of an hour; attaching checks that the object is there.
"""

from datetime import timedelta
from typing import Any

from chalicelib import clock
from chalicelib.domain import tokens
from chalicelib.domain.callers import Caller
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.schemas.cases import CaseDetail, Upload, UploadRequest
from chalicelib.settings import settings
from chalicelib.store import cases as case_store
from chalicelib.store import objects
from chalicelib.usecases import cases

UPLOAD_SECONDS = 15 * 60
MAX_ATTACHMENTS = 30


def object_key(case_id: str, attachment_id: str) -> str:
    return f"cases/{case_id}/{attachment_id}"


def _check_may_attach(caller: Caller, case: Any) -> None:
    cases.may_comment(caller)(case)
    if len(case.attachments) >= MAX_ATTACHMENTS:
        raise Conflict(f"A case holds at most {MAX_ATTACHMENTS} attachments",
                       code="too_many_attachments")


def start_upload(caller: Caller, case_id: str, request: UploadRequest) -> Upload:
    _check_may_attach(caller, case_store.get(case_id).case)
    attachment_id = tokens.new_id()
    form = objects.upload_form(settings.attachments_bucket, object_key(case_id, attachment_id),
                               request.content_type, request.size, UPLOAD_SECONDS)
    return Upload(attachment_id=attachment_id, url=form["url"], fields=form["fields"],
                  expires_at=clock.now() + timedelta(seconds=UPLOAD_SECONDS))


def confirm(caller: Caller, case_id: str, attachment_id: str) -> CaseDetail:
    case = case_store.get(case_id).case
    if any(a["attachment_id"] == attachment_id for a in case.attachments):
        return cases.get_case(caller, case_id)  # a retried confirmation
    _check_may_attach(caller, case)
    key = object_key(case_id, attachment_id)
    head = objects.head(settings.attachments_bucket, key)
    if head is None:
        raise InvalidInput("attachment_id", "Nothing was uploaded for this attachment")
    attachment = {"attachment_id": attachment_id, "key": key,
                  "content_type": head.get("ContentType", "application/octet-stream"),
                  "size": int(head["ContentLength"]), "uploaded_by": caller.user_id,
                  "uploaded_at": clock.now().isoformat()}

    def check(case: Any) -> None:
        if any(a["attachment_id"] == attachment_id for a in case.attachments):
            raise Conflict("Attached already", code="already_attached")
        _check_may_attach(caller, case)

    try:
        cases.annotate(caller, case_id, "attachment", check=check,
                       data={"attachment": attachment})
    except Conflict as exc:
        if exc.code != "already_attached":  # else a concurrent retry attached it first
            raise
    return cases.get_case(caller, case_id)
