"""The shapes of Open311 GeoReport v2 answers (https://wiki.open311.org/GeoReport_v2),
errors included: GeoReport answers lists, not the envelope."""

from pydantic import BaseModel, ConfigDict, Field, RootModel


class GeoReportShape(BaseModel):
    """GeoReport's answers, documented only: nothing a client sends is read into them."""

    model_config = ConfigDict(extra="forbid")


class Service(GeoReportShape):
    service_code: str
    service_name: str
    description: str
    metadata: bool = Field(description="Whether the service has a definition to read")
    type: str = Field(description="realtime, batch or blackbox")
    keywords: str
    group: str


class Services(RootModel[list[Service]]):
    pass


class Attribute(GeoReportShape):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str
    order: int
    description: str
    values: list[dict[str, str]]


class ServiceDefinition(GeoReportShape):
    service_code: str
    attributes: list[Attribute]


class Receipt(GeoReportShape):
    service_request_id: str
    service_notice: str | None
    account_id: str | None


class Receipts(RootModel[list[Receipt]]):
    pass


class ServiceRequest(GeoReportShape):
    service_request_id: str
    status: str = Field(description="open or closed")
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    service_notice: str | None
    requested_datetime: str | None = Field(description="W3C, with the Asia/Shanghai offset")
    updated_datetime: str | None
    expected_datetime: str | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class ServiceRequests(RootModel[list[ServiceRequest]]):
    pass


class GeoReportError(GeoReportShape):
    code: int = Field(description="The HTTP status")
    description: str


class GeoReportErrors(RootModel[list[GeoReportError]]):
    pass
