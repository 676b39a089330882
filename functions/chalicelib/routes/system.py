from chalicelib import errors
from chalicelib.lazy import lazy
from chalicelib.observability import logger
from chalicelib.schemas.common import Health
from chalicelib.web import api, openapi
from chalicelib.web.access import PUBLIC

tables = lazy("chalicelib.store.tables")

resource = api.Resource(__name__, tag="system")


@resource.get("/health", summary="Liveness with a real round trip to DynamoDB",
              response=Health, access=PUBLIC)
def health() -> Health:
    try:
        tables.ping()
    except Exception as exc:  # any failure to reach the database means unhealthy
        logger.warning("health check failed", extra={"error": repr(exc)})
        raise errors.Unavailable("Database unreachable", code="database_unavailable") from None
    return Health(status="ok", database="ok")


@resource.get("/openapi.json", summary="This API's OpenAPI 3 document",
              response=openapi.Document, access=PUBLIC)
def openapi_document() -> dict:
    return openapi.build(api.OPERATIONS)
