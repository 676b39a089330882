"""The shapes of the ids the system gives out. An id of any other shape names
nothing, so it is refused before it reaches a store or an object key."""

from chalicelib.domain.grid_codes import LEVELS

# tokens.new_id() gives 32 lower-case hex digits. The demo town's loader gives
# its records readable ids instead (w000002, h000001, r0000011, t00001-1), and
# those live on in every demo database.
RECORD_ID = r"^(?:[0-9a-f]{32}|[a-z][0-9]{5,9}(?:-[0-9]{1,3})?)$"
API_KEY_ID = r"^[0-9a-f]{16}$"  # the first half of a new_id()
# A hotline callback is made per closing of a case: "{case_id}-close-{reopen_count}".
CALLBACK_ID = r"^[0-9a-f]{32}-close-[0-9]{1,4}$"
TICKET_ID = r"^[A-Za-z0-9_-]{1,64}$"  # the 12345 platform's own ticket numbers
# Digits, as long as one of the levels' codes, not starting with 00 (grid_codes).
GRID_CODE = r"^(?:0[1-9]|[1-9][0-9])(?:{})$".format(
    "|".join(f"[0-9]{{{level.length - 2}}}" for level in LEVELS))
