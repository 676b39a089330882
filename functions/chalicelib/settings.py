"""Settings parsed once from the environment at start-up."""

import os
from dataclasses import dataclass

AWS_READ_TIMEOUT_SECONDS = 5
# DynamoDB Local is a JVM on the same machine as everything else: on a busy laptop
# or CI machine one call can take seconds that DynamoDB never needs.
LOCAL_READ_TIMEOUT_SECONDS = 10
LOCAL_STAGES = ("local", "test", "bench")


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    table_prefix: str
    dynamodb_endpoint: str | None
    max_body_bytes: int
    argon2_parameters: tuple[int, int, int]  # time cost, memory KiB, parallelism
    attachments_bucket: str = "wangge-local-attachments"
    exports_bucket: str = "wangge-local-exports"  # ledger imports, exports and templates
    s3_endpoint: str | None = None  # a local S3-compatible server; unset on AWS
    case_reopen_days: int = 15  # a supervisor may reopen a closed case this long
    # Every call to DynamoDB or S3 gives up within attempts × (connect + read) plus
    # botocore's back-off between attempts: a database that is down, stuck or
    # throttling is answered 503 (about 18 s for one that never answers) before
    # API Gateway cuts the request off at 29 s.
    connect_timeout_seconds: float = 2
    read_timeout_seconds: float = AWS_READ_TIMEOUT_SECONDS
    call_attempts: int = 3
    # The names of the five grid levels, county to micro-grid (网格层级), and the
    # key groups (重点人群) the resident ledger tracks: both differ between places.
    grid_level_names: tuple[str, ...] | None = None
    key_groups: tuple[str, ...] | None = None
    # Where the web app is served: a QR code's URL is <site_url>/q/<token>.
    # Only `make run`'s address is assumed; a deployed stage is told its own.
    site_url: str | None = None
    # What one client (source IP) may ask of the public scan in a minute.
    public_reads_per_minute: int = 10
    public_reports_per_minute: int = 3

    @classmethod
    def from_environment(cls) -> "Settings":
        stage = os.environ.get("WANGGE_STAGE", "local")
        return cls(
            stage=stage,
            region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
            or "cn-north-1",
            table_prefix=os.environ.get("WANGGE_TABLE_PREFIX", f"wangge-{stage}-"),
            dynamodb_endpoint=os.environ.get("DYNAMODB_ENDPOINT") or None,
            max_body_bytes=int(os.environ.get("WANGGE_MAX_BODY_BYTES", str(1024 * 1024))),
            argon2_parameters=tuple(  # type: ignore[arg-type]
                int(part) for part in os.environ.get("WANGGE_ARGON2", "3,65536,4").split(",")),
            grid_level_names=_list(os.environ.get("WANGGE_GRID_LEVEL_NAMES")),
            key_groups=_list(os.environ.get("WANGGE_KEY_GROUPS")),
            attachments_bucket=os.environ.get("WANGGE_ATTACHMENTS_BUCKET",
                                              f"wangge-{stage}-attachments"),
            exports_bucket=os.environ.get("WANGGE_EXPORTS_BUCKET", f"wangge-{stage}-exports"),
            s3_endpoint=os.environ.get("S3_ENDPOINT") or None,
            case_reopen_days=int(os.environ.get("WANGGE_CASE_REOPEN_DAYS", "15")),
            connect_timeout_seconds=float(os.environ.get("WANGGE_CONNECT_TIMEOUT", "2")),
            read_timeout_seconds=float(os.environ.get("WANGGE_READ_TIMEOUT") or (
                LOCAL_READ_TIMEOUT_SECONDS if os.environ.get("DYNAMODB_ENDPOINT")
                else AWS_READ_TIMEOUT_SECONDS)),
            call_attempts=int(os.environ.get("WANGGE_CALL_ATTEMPTS", "3")),
            site_url=os.environ.get("WANGGE_SITE_URL") or (
                f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
                if stage in LOCAL_STAGES else None),
            public_reads_per_minute=int(os.environ.get("WANGGE_PUBLIC_READS_PER_MINUTE", "10")),
            public_reports_per_minute=int(
                os.environ.get("WANGGE_PUBLIC_REPORTS_PER_MINUTE", "3")),
        )

    def table_name(self, aggregate: str) -> str:
        return f"{self.table_prefix}{aggregate}"


def _list(value: str | None) -> tuple[str, ...] | None:
    """A comma-separated setting (Chinese commas too); None when unset."""
    if not value:
        return None
    return tuple(part.strip() for part in value.replace("，", ",").split(",") if part.strip())


settings = Settings.from_environment()
