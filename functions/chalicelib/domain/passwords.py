"""Password rules for field staff and argon2 hashing."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from chalicelib.errors import InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 64
# The passwords people actually pick, in China as elsewhere; compared without case.
COMMON = frozenset("""
123456 12345678 123456789 1234567890 111111 11111111 000000 00000000 888888 88888888
666666 66666666 5201314 52013141 woaini1314 woaini520 iloveyou password password1 passw0rd
qwerty qwerty123 qwertyuiop abc123 abc12345 abcd1234 a123456 a1234567 a12345678 aa123456
1q2w3e4r 1qaz2wsx qazwsx123 zxcvbnm 147258369 123123123 123321 654321 987654321 112233
admin123 admin888 root1234 test1234 wangge123 wangge2026 welcome1 iloveyou1 sunshine1
""".split())

_hasher = PasswordHasher()


def configure(time_cost: int, memory_cost_kib: int, parallelism: int) -> None:
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost_kib,
                             parallelism=parallelism)


def check_rules(password: str, phone: str, field: str = "new_password") -> None:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise InvalidInput(field, f"Use {MIN_LENGTH} to {MAX_LENGTH} characters",
                           code="weak_password")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        raise InvalidInput(field, "Use letters and digits", code="weak_password")
    if phone and (phone in password or phone[-8:] in password):
        raise InvalidInput(field, "Do not use the phone number", code="weak_password")
    if password.lower() in COMMON:
        raise InvalidInput(field, "This password is too common", code="weak_password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verified against when the phone is unknown, so both answers take as long.
_DUMMY_HASH = None


def verify_nobody(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash("no-such-user-0")
    verify(_DUMMY_HASH, password)
