"""Access rows of the printed codes and of the public scan (see
tests/api/test_access_matrix.py)."""

from tests.api import ledger_fixtures
from tests.api.access_rows import ADMINS
from tests.api.ledger_fixtures import a_rental_in, micro_in

MANAGERS = ADMINS | {"grid_leader"}
KEEPERS = MANAGERS | {"grid_worker"}
V1 = "/api/v1"
# A serial of the shape the system gives that no code has.
NO_SERIAL = "0" * 12


def _board_in(grid: str) -> tuple[str, str]:
    """(serial, token) of a board printed for a new rental in `grid`."""
    from tests.api.qr_fixtures import board_code

    if ledger_fixtures._pretending:
        return NO_SERIAL, "0" * 26
    return board_code(a_rental_in(grid)["rental_id"])


def _serial_in(grid: str) -> str:
    return _board_in(grid)[0]


def _unlimited_token_in(grid: str) -> str:
    """A board's token, and the local address's counts of this minute forgotten:
    the matrix calls the public routes once for every role, from one address."""
    from chalicelib import clock
    from chalicelib.store.rate_limits import RateLimitModel, window_of

    window = window_of(clock.now())
    for what in ("scan", "report"):
        RateLimitModel(f"{what}#127.0.0.1#{window}").delete()
    return _board_in(grid)[1]


def _micro(grid: str) -> str:
    """A micro-grid of the subtree: a sheet of its few cards is quick to print."""
    return grid if ledger_fixtures._pretending else micro_in(grid)


def _print_job_in(grid: str) -> str:
    from chalicelib.schemas.qr_codes import PrintRequest
    from chalicelib.usecases import print_sheets

    from tests.api.ledger_fixtures import system

    if ledger_fixtures._pretending:
        return ledger_fixtures.NOWHERE
    return print_sheets.start(system(grid), PrintRequest(
        kind="contact_cards", grid_code=_micro(grid))).job_id


ROUTES = {
    "get_qr_code": (MANAGERS, 200, lambda g: ("GET", f"{V1}/qr-codes/{_serial_in(g)}", None)),
    "revoke_qr_code": (MANAGERS, 200, lambda g: (
        "POST", f"{V1}/qr-codes/{_serial_in(g)}/revoke", None)),
    "qr_code_image": (MANAGERS, 200, lambda g: (
        "GET", f"{V1}/qr-codes/{_serial_in(g)}/image?format=svg", None)),
    "rental_board": (MANAGERS, 200, lambda g: (
        "GET", f"{V1}/rentals/{a_rental_in(g)['rental_id']}/board", None)),
    "scan_code": (None, 200, lambda g: (
        "GET", f"{V1}/public/codes/{_unlimited_token_in(g)}", None)),
    "report_from_code": (None, 201, lambda g: (
        "POST", f"{V1}/public/codes/{_unlimited_token_in(g)}/reports", {"text": "路灯坏了"})),
    "start_print_sheet": (MANAGERS, 202, lambda g: (
        "POST", f"{V1}/print-sheets", {"kind": "contact_cards", "grid_code": _micro(g)})),
    "get_print_sheet": (MANAGERS, 200, lambda g: (
        "GET", f"{V1}/print-sheets/{_print_job_in(g)}", None)),
    "boards_to_reprint": (KEEPERS, 200, lambda g: (
        "GET", f"{V1}/rentals/to-reprint?grid={g}", None)),
}
SCOPED = {"get_qr_code", "rental_board", "revoke_qr_code", "qr_code_image", "start_print_sheet",
          "get_print_sheet", "boards_to_reprint"}
