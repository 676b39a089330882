"""Every table of the system, in one list: DynamoDB Local set-up, the tests and
infra/ all derive the schema from these models."""

from chalicelib.store.api_keys import ApiKeyModel
from chalicelib.store.audit import AuditModel
from chalicelib.store.case_callbacks import CallbackModel
from chalicelib.store.case_categories import CaseCategoryModel
from chalicelib.store.cases import CaseEventModel, CaseKeyModel, CaseModel
from chalicelib.store.counters import CounterModel
from chalicelib.store.grid_moves import GridMoveModel
from chalicelib.store.grids import GridModel
from chalicelib.store.households import HouseholdModel, ResidentModel
from chalicelib.store.idempotency import IdempotencyModel
from chalicelib.store.ledger_jobs import LedgerJobModel
from chalicelib.store.print_jobs import PrintJobModel
from chalicelib.store.qr_codes import BoardMarkModel, QrCodeModel
from chalicelib.store.rate_limits import RateLimitModel
from chalicelib.store.rentals import RentalModel, TenantModel
from chalicelib.store.sweep_marks import SweepMarkModel
from chalicelib.store.uniques import UniqueModel
from chalicelib.store.users import LoginThrottleModel, SessionModel, UserModel, UserPhoneModel
from chalicelib.store.workers import AssignmentModel, WorkerModel

ALL_MODELS = (GridModel, WorkerModel, UserModel, UserPhoneModel, SessionModel,
              LoginThrottleModel, ApiKeyModel, AuditModel, IdempotencyModel, CounterModel)
ALL_MODELS += (AssignmentModel, HouseholdModel, ResidentModel, RentalModel, TenantModel,
               UniqueModel, GridMoveModel, LedgerJobModel)
ALL_MODELS += (CaseModel, CaseEventModel, CaseKeyModel, CallbackModel, CaseCategoryModel,
               SweepMarkModel)
ALL_MODELS += (QrCodeModel, RateLimitModel, PrintJobModel, BoardMarkModel)
# Attributes DynamoDB expires items by (the infra enables TTL on them).
TTL_ATTRIBUTES = {SessionModel: "expires_at", LoginThrottleModel: "expires_at",
                  IdempotencyModel: "expiration", RateLimitModel: "expires_at"}


def ping() -> None:
    """One real round trip to DynamoDB; raises when it cannot be reached."""
    GridModel.count("__health__", limit=1)
