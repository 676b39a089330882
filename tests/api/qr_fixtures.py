"""Codes printed for the QR tests: a rental's board and a worker's contact card,
issued through the use case a print job issues them with, and clients that call
from an address of their own (the public routes are limited per address)."""

import itertools
import random

from tests.conftest import ApiClient

SYSTEM_USER = "test-printer"
_addresses = itertools.count(random.randrange(1 << 20))


def printer(grid: str):
    from chalicelib.web.access import Caller

    return Caller(user_id=SYSTEM_USER, role="county_admin", scope_code=grid[:6])


def board_code(rental_id: str) -> tuple[str, str]:
    """(serial, token) of a new board for the rental, as it stands now."""
    from chalicelib.domain import qr_codes as codes
    from chalicelib.store import rentals
    from chalicelib.usecases import qr_codes

    rental = rentals.get_rental(rental_id)
    code, token = qr_codes.issue(printer(rental.grid_code), codes.RENTAL_BOARD, rental_id,
                                 rental.grid_code, codes.board_snapshot(
                                     rental.tenant_count, rental.responsible_worker_id))
    return code.serial, token


def card_code(assignment_id: str) -> tuple[str, str]:
    from chalicelib.domain import qr_codes as codes
    from chalicelib.store import workers
    from chalicelib.usecases import qr_codes

    assignment = workers.get_assignment(assignment_id)
    code, token = qr_codes.issue(printer(assignment.grid_code), codes.CONTACT_CARD,
                                 assignment_id, assignment.grid_code,
                                 codes.card_snapshot(assignment.worker_id))
    return code.serial, token


def client_at(address: str | None = None) -> ApiClient:
    """An anonymous client calling from `address` (a new one unless given)."""
    client = ApiClient()
    if address is None:
        number = next(_addresses)
        address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
    client.gateway.event_converter.LOCAL_SOURCE_IP = address
    client.address = address
    return client
