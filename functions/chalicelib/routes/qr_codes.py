from chalicelib.domain.roles import GRID_MANAGERS
from chalicelib.lazy import lazy
from chalicelib.schemas.qr_codes import ImageQuery, QrCodeOut, QrImage
from chalicelib.web import api
from chalicelib.web.access import Access, Caller

qr_codes = lazy("chalicelib.usecases.qr_codes")

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
