from chalicelib.domain.roles import GRID_MANAGERS, LEDGER_KEEPERS
from chalicelib.lazy import lazy
from chalicelib.schemas.base import RecordId
from chalicelib.schemas.qr_codes import (
    BoardsToReprint,
    ImageQuery,
    PrintJobOut,
    PrintRequest,
    QrCodeOut,
    QrImage,
    RentalBoard,
    ReprintQuery,
)
from chalicelib.web import api
from chalicelib.web.access import Access, Caller, body_field, query_field

qr_codes = lazy("chalicelib.usecases.qr_codes")
rentals = lazy("chalicelib.usecases.rentals")
print_sheets = lazy("chalicelib.usecases.print_sheets")

resource = api.Resource(__name__, tag="qr codes")

MANAGE_CODE = Access(roles=GRID_MANAGERS,
                     scope=lambda parts: qr_codes.scope_of_code(parts.path["serial"]))


@resource.get("/qr-codes/{serial}", summary="A printed code: what it opens, printed when and "
              "by whom, revoked", response=QrCodeOut, access=MANAGE_CODE)
def get_qr_code(serial: str) -> QrCodeOut:
    return qr_codes.get_code(serial)


@resource.post("/qr-codes/{serial}/revoke", summary="Revoke a code (once; again is the same)",
               response=QrCodeOut, access=MANAGE_CODE)
def revoke_qr_code(serial: str, caller: Caller) -> QrCodeOut:
    return qr_codes.revoke(caller, serial)


@resource.get("/qr-codes/{serial}/image", summary="A link to the code's QR symbol, SVG or PNG",
              query=ImageQuery, response=QrImage, access=MANAGE_CODE)
def qr_code_image(serial: str, query: ImageQuery) -> QrImage:
    return qr_codes.image(serial, query.format)


@resource.post("/print-sheets", summary="Print a subtree's rental boards or contact cards: "
               "a new code for each (revoking its old one), one A4 PDF (202; poll the job)",
               body=PrintRequest, response=PrintJobOut, status=202,
               access=Access(roles=GRID_MANAGERS, scope=body_field("grid_code")))
def start_print_sheet(body: PrintRequest, caller: Caller) -> PrintJobOut:
    return print_sheets.start(caller, body)


@resource.get("/print-sheets/{job_id}", summary="A print job: how far it got, its PDF once done",
              response=PrintJobOut, access=Access(roles=GRID_MANAGERS))
def get_print_sheet(job_id: RecordId, caller: Caller) -> PrintJobOut:
    return print_sheets.get(caller, job_id)


@resource.get("/rentals/to-reprint", summary="Rentals of a subtree whose board no longer shows "
              "their tenant count or worker, or that have no board", query=ReprintQuery,
              response=BoardsToReprint,
              access=Access(roles=LEDGER_KEEPERS, scope=query_field("grid")))
def boards_to_reprint(query: ReprintQuery, caller: Caller) -> BoardsToReprint:
    return qr_codes.boards_to_reprint(caller, query)


@resource.get("/rentals/{rental_id}/board", summary="A rental's board: its current code, "
              "the way to the code's page", response=RentalBoard,
              access=Access(roles=GRID_MANAGERS,
                            scope=lambda parts: rentals.scope_of_rental(parts.path["rental_id"])))
def rental_board(rental_id: RecordId) -> RentalBoard:
    return qr_codes.board_of_rental(rental_id)
