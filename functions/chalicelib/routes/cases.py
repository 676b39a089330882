from chalicelib.domain.case_flow import CHECKERS, REPORTERS
from chalicelib.domain.roles import COUNTY_ADMIN, EVERYONE
from chalicelib.lazy import lazy
from chalicelib.schemas.base import GridCode, RecordId
from chalicelib.schemas.cases import (
    AttachmentConfirm,
    CaseCreate,
    CaseDetail,
    CaseListQuery,
    CaseOut,
    CasePage,
    CategoryList,
    CategoryOut,
    CategoryQuery,
    CategoryUpdate,
    CommentCreate,
    IndicatorQuery,
    Indicators,
    SatisfactionCreate,
    Transition,
    Upload,
    UploadRequest,
    WaitingCounts,
    WaitingQuery,
)
from chalicelib.schemas.users import RevealQuery
from chalicelib.web import api
from chalicelib.web.access import Access, Caller, body_field, path_param, query_field

case_attachments = lazy("chalicelib.usecases.case_attachments")
case_catalogue = lazy("chalicelib.usecases.case_catalogue")
case_statistics = lazy("chalicelib.usecases.case_statistics")
cases = lazy("chalicelib.usecases.cases")

resource = api.Resource(__name__, tag="cases")

# Who may act on a case by id is the domain's call (case_flow): its grid, its
# handler, the step; the route only lets in the roles that might.
CASE_READERS = Access(roles=EVERYONE)
CASE_ACTORS = Access(roles=REPORTERS)


@resource.post("/cases", summary="Report a case (Idempotency-Key honoured)", body=CaseCreate,
               response=CaseOut, status=201, idempotent=True,
               access=Access(roles=REPORTERS, scope=body_field("grid_code")))
def create_case(body: CaseCreate, caller: Caller) -> CaseOut:
    return cases.create_case(caller, body)


@resource.get("/cases", summary="Inboxes: mine, a subtree's by state, overdue, escalated to "
              "my grid, to verify", query=CaseListQuery, response=CasePage,
              access=Access(roles=EVERYONE, scope=query_field("scope")))
def list_cases(query: CaseListQuery, caller: Caller) -> CasePage:
    return cases.list_cases(caller, query)


@resource.get("/cases/{case_id}", summary="A case with its timeline and the actions open to "
              "the caller; ?reveal=true unmasks the reporter (audited)", query=RevealQuery,
              response=CaseDetail, access=CASE_READERS)
def get_case(case_id: RecordId, query: RevealQuery, caller: Caller) -> CaseDetail:
    return cases.get_case(caller, case_id, reveal=query.reveal)


@resource.post("/cases/{case_id}/transitions", summary="Take a step of the loop: register, "
               "reject, dispatch, accept, handle, verify, send_back, close, escalate, reopen",
               body=Transition, response=CaseDetail, access=CASE_ACTORS, idempotent=True)
def take_transition(case_id: RecordId, body: Transition, caller: Caller) -> CaseDetail:
    return cases.take_transition(caller, case_id, body)


@resource.post("/cases/{case_id}/comments", summary="Add a comment to the timeline",
               body=CommentCreate, response=CaseDetail, status=201, access=CASE_ACTORS,
               idempotent=True)
def comment_case(case_id: RecordId, body: CommentCreate, caller: Caller) -> CaseDetail:
    return cases.comment(caller, case_id, body.note)


@resource.post("/cases/{case_id}/first-contact", summary="Record the first contact with the "
               "reporter (首次联系)", response=CaseDetail, access=CASE_ACTORS, idempotent=True)
def record_first_contact(case_id: RecordId, caller: Caller) -> CaseDetail:
    return cases.first_contact(caller, case_id)


@resource.post("/cases/{case_id}/satisfaction", summary="Record the follow-up call (回访)",
               body=SatisfactionCreate, response=CaseDetail,
               access=Access(roles=CHECKERS), idempotent=True)
def record_satisfaction(case_id: RecordId, body: SatisfactionCreate, caller: Caller) -> CaseDetail:
    cases.rate(caller, case_id, body.result, body.note)
    return cases.get_case(caller, case_id)


@resource.post("/cases/{case_id}/attachments/uploads", summary="Get a presigned form to "
               "upload a photo straight to storage", body=UploadRequest, response=Upload,
               status=201, access=CASE_ACTORS,
               answers={409: "The case holds as many attachments as it may"})
def start_upload(case_id: RecordId, body: UploadRequest, caller: Caller) -> Upload:
    return case_attachments.start_upload(caller, case_id, body)


@resource.post("/cases/{case_id}/attachments", summary="Attach an uploaded photo to the case",
               body=AttachmentConfirm, response=CaseDetail, status=201, access=CASE_ACTORS,
               answers={409: "Attached already, or the case holds as many as it may"})
def confirm_attachment(case_id: RecordId, body: AttachmentConfirm, caller: Caller) -> CaseDetail:
    return case_attachments.confirm(caller, case_id, body.attachment_id)


@resource.get("/case-categories", summary="The case categories and their time limits",
              query=CategoryQuery, response=CategoryList, access=Access(roles=EVERYONE))
def list_categories(query: CategoryQuery, caller: Caller) -> CategoryList:
    return case_catalogue.list_categories(caller, query.county)


@resource.put("/case-categories/{county}/{code}", summary="Set a county's category and its "
              "time limits", body=CategoryUpdate, response=CategoryOut,
              access=Access(roles=frozenset({COUNTY_ADMIN}), scope=path_param("county")),
              answers={409: "Changed by someone else since it was read: reload and retry"})
def put_category(county: GridCode, code: str, body: CategoryUpdate, caller: Caller) -> CategoryOut:
    return case_catalogue.put_category(caller, county, code, body)


@resource.get("/case-indicators", summary="Case indicators of a subtree for an Asia/Shanghai "
              "month, from counters", query=IndicatorQuery, response=Indicators,
              access=Access(roles=EVERYONE, scope=query_field("grid")))
def get_indicators(query: IndicatorQuery, caller: Caller) -> Indicators:
    return case_statistics.indicators(query.grid or caller.scope_code, query.month)


@resource.get("/case-waiting", summary="The caller's waiting work, from counters: a subtree's "
              "open cases by state, overdue, escalated to it, and those dispatched to the "
              "caller's worker", query=WaitingQuery, response=WaitingCounts,
              access=Access(roles=EVERYONE, scope=query_field("scope")))
def get_waiting(query: WaitingQuery, caller: Caller) -> WaitingCounts:
    return case_statistics.waiting(caller, query.scope)
