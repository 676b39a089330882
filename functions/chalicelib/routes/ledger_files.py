from chalice import Response

from chalicelib.domain.roles import LEDGER_KEEPERS
from chalicelib.errors import InvalidInput
from chalicelib.lazy import lazy
from chalicelib.schemas.base import RecordId
from chalicelib.schemas.ledger_files import (
    ExportJob,
    ExportRequest,
    ImportJob,
    ImportRequest,
    LedgerTemplate,
    UploadForm,
    UploadRequest,
)
from chalicelib.web import api
from chalicelib.web.access import Access, Caller, body_field
from chalicelib.web.envelope import JSON_HEADERS

ledger_files = lazy("chalicelib.usecases.ledger_files")

resource = api.Resource(__name__, tag="ledger files")

KEEPERS = Access(roles=LEDGER_KEEPERS)


@resource.get("/ledger-templates/{kind}", summary="The .xlsx template of a ledger "
              "(households or rentals), with its filling-in notes", response=LedgerTemplate,
              access=KEEPERS)
def ledger_template(kind: str) -> LedgerTemplate:
    if kind not in ("households", "rentals"):
        raise InvalidInput("kind", "households or rentals")
    return ledger_files.template(kind)


@resource.post("/ledger-uploads", summary="A form to upload an .xlsx ledger straight to "
               "storage", body=UploadRequest, response=UploadForm, status=201, access=KEEPERS)
def ledger_upload(body: UploadRequest, caller: Caller) -> UploadForm:
    return ledger_files.start_upload(caller, body)


@resource.post("/ledger-imports", summary="Check an uploaded ledger (dry run: 200, every "
               "problem) or import it (202, a job; a file with problems: 400)",
               body=ImportRequest, response=ImportJob, access=KEEPERS,
               answers={202: "Importing: a job to poll"})
def ledger_import(body: ImportRequest, caller: Caller) -> Response:
    job, status = ledger_files.start_import(caller, body)
    return Response(body=job.model_dump_json(), status_code=status, headers=JSON_HEADERS)


@resource.get("/ledger-imports/{import_id}", summary="An import and how far it has got",
              response=ImportJob, access=KEEPERS)
def get_ledger_import(import_id: RecordId, caller: Caller) -> ImportJob:
    return ledger_files.get_import(caller, import_id)


@resource.post("/ledger-exports", summary="Export a subtree's ledger to .xlsx (202; poll for "
               "the link)", body=ExportRequest, response=ExportJob, status=202,
               access=Access(roles=LEDGER_KEEPERS | {"dispatcher"},
                             scope=body_field("grid")))
def ledger_export(body: ExportRequest, caller: Caller) -> ExportJob:
    return ledger_files.start_export(caller, body)


@resource.get("/ledger-exports/{export_id}", summary="An export; its link once done",
              response=ExportJob, access=Access(roles=LEDGER_KEEPERS | {"dispatcher"}))
def get_ledger_export(export_id: RecordId, caller: Caller) -> ExportJob:
    return ledger_files.get_export(caller, export_id)
