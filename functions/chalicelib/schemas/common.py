from pydantic import Field

from chalicelib.schemas.base import Query, Schema


class PageQuery(Query):
    limit: int = Field(50, ge=1, le=200, description="Items per page")
    cursor: str | None = Field(None, max_length=2048,
                               description="next_cursor of the previous page")


class Health(Schema):
    status: str
    database: str
