"""What differs between the stages and regions, read from the CDK context
(`cdk deploy -c stage=prod -c region=cn-north-1 -c key=value ...`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

STAGES = ("dev", "prod")
DEFAULT_REGION = "cn-north-1"
CHINA_REGIONS = ("cn-north-1", "cn-northwest-1")


@dataclass(frozen=True)
class StageSettings:
    stage: str
    region: str
    # Data that must survive a mistaken `cdk destroy` or a replaced resource.
    retain_data: bool
    deletion_protection: bool
    log_retention_days: int
    # Throttling alarms on every table: each metric an alarm watches is
    # billed, and dev carries no load worth them.
    table_alarms: bool
    # The API function: API Gateway gives up after 29 s, so the function may not run longer.
    api_memory_mb: int = 1024
    api_timeout_seconds: int = 29
    # Every other (scheduled) function, unless functions/.chalice/config.json
    # sets its own under "lambda_functions": sweeps read what is due page by page.
    worker_memory_mb: int = 1024
    worker_timeout_seconds: int = 900
    # API Gateway stage-wide throttling, in front of DynamoDB on demand.
    api_rate_limit: int = 200
    api_burst_limit: int = 400
    # Alarms go to an SNS topic; an e-mail address subscribes to it when given.
    alarm_email: str | None = None
    # The site's own domain (in the China regions the only way CloudFront
    # serves it, with an ICP recordal) and its certificate: an ACM certificate
    # ARN in us-east-1 (not in China), or the ID of a certificate uploaded to IAM.
    domain_name: str | None = None
    certificate_arn: str | None = None
    iam_certificate_id: str | None = None

    @property
    def is_china(self) -> bool:
        return self.region in CHINA_REGIONS

    @property
    def signing_keys_parameter(self) -> str:
        """The SSM SecureString with the token signing keys (created before the first deploy)."""
        return f"/wangge/{self.stage}/jwt-signing-keys"

    @property
    def qr_keys_parameter(self) -> str:
        """The SSM SecureString with the QR codes' signing keys (created before the
        first deploy; functions/chalicelib/qr_keys.py says its shape)."""
        return f"/wangge/{self.stage}/qr-signing-keys"


def from_context(get: Callable[[str], Any], default_region: str | None = None) -> StageSettings:
    """StageSettings from `get(key)` (the CDK app's try_get_context)."""
    stage = get("stage") or "dev"
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {', '.join(STAGES)}, not {stage!r}")
    region = get("region") or default_region or DEFAULT_REGION
    prod = stage == "prod"
    settings = StageSettings(
        stage=stage,
        region=region,
        retain_data=prod,
        deletion_protection=prod,
        log_retention_days=365 if prod else 30,
        table_alarms=prod,
        alarm_email=get("alarm_email") or None,
        domain_name=get("domain_name") or None,
        certificate_arn=get("certificate_arn") or None,
        iam_certificate_id=get("iam_certificate_id") or None,
    )
    if settings.certificate_arn and settings.is_china:
        raise ValueError("CloudFront in the China regions takes no ACM certificate: upload the "
                         "certificate to IAM and pass -c iam_certificate_id=...")
    if settings.certificate_arn and settings.iam_certificate_id:
        raise ValueError("pass certificate_arn or iam_certificate_id, not both")
    has_certificate = bool(settings.certificate_arn or settings.iam_certificate_id)
    if bool(settings.domain_name) != has_certificate:
        raise ValueError("domain_name and its certificate (certificate_arn or "
                         "iam_certificate_id) go together")
    return settings
