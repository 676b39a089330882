"""Every table of the system, in one list: DynamoDB Local set-up, the tests and
infra/ all derive the schema from these models."""

from chalicelib.store.grids import GridModel
from chalicelib.store.workers import WorkerModel

ALL_MODELS = (GridModel, WorkerModel)


def ping() -> None:
    """One real round trip to DynamoDB; raises when it cannot be reached."""
    GridModel.count("__health__", limit=1)
