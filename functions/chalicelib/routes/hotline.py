from chalice import Response

from chalicelib.domain.roles import ADMINS
from chalicelib.lazy import lazy
from chalicelib.schemas.base import CallbackId, TicketId
from chalicelib.schemas.hotline import (
    CallbackOut,
    CallbackPage,
    CallbackQuery,
    FollowUp,
    HotlineStatus,
    HotlineTicket,
)
from chalicelib.web import api, envelope
from chalicelib.web.access import Access, Caller, body_field, query_field

hotline = lazy("chalicelib.usecases.hotline")
hotline_callbacks = lazy("chalicelib.usecases.hotline_callbacks")

resource = api.Resource(__name__, tag="hotline")


@resource.post("/hotline/tickets", summary="A 12345 ticket becomes a registered case (once "
               "per ticket_id: 201 first, 200 on a retry)", body=HotlineTicket,
               response=HotlineStatus, status=201,
               access=Access(machine_operation="cases.create", scope=body_field("grid_code")),
               answers={200: "Received before: its case",
                        409: "Received before with other content"})
def receive_ticket(body: HotlineTicket, caller: Caller):
    result, created = hotline.receive(caller, body)
    if created:
        return result
    return Response(body=result.model_dump_json(), status_code=200,
                    headers=envelope.JSON_HEADERS)


@resource.get("/hotline/tickets/{ticket_id}", summary="The status of a ticket's case",
              response=HotlineStatus, access=Access(machine_operation="cases.read"))
def read_ticket(ticket_id: TicketId, caller: Caller) -> HotlineStatus:
    return hotline.read(caller, ticket_id)


@resource.post("/hotline/tickets/{ticket_id}/follow-up", summary="The follow-up call's "
               "satisfaction result (回访)", body=FollowUp, response=HotlineStatus,
               access=Access(machine_operation="cases.follow_up"),
               answers={409: "The case is not closed yet, or its follow-up is recorded"})
def follow_up_ticket(ticket_id: TicketId, body: FollowUp, caller: Caller) -> HotlineStatus:
    return hotline.follow_up(caller, ticket_id, body.result, body.note)


@resource.get("/hotline/callbacks", summary="Callbacks to the hotline by status (default: "
              "failed)", query=CallbackQuery, response=CallbackPage,
              access=Access(roles=ADMINS, scope=query_field("scope")))
def list_callbacks(query: CallbackQuery, caller: Caller) -> CallbackPage:
    return hotline_callbacks.list_callbacks(caller, query.status, query.scope,
                                            limit=query.limit, cursor=query.cursor)


@resource.post("/hotline/callbacks/{callback_id}/retry", summary="Queue a failed callback "
               "again", response=CallbackOut, access=Access(roles=ADMINS),
               answers={409: "Only a failed callback can be retried"})
def retry_callback(callback_id: CallbackId, caller: Caller) -> CallbackOut:
    return hotline_callbacks.retry_callback(caller, callback_id)
