"""Use cases: what the API, the schedules and the CLI call."""

from chalicelib.domain import passwords
from chalicelib.settings import settings

passwords.configure(*settings.argon2_parameters)
