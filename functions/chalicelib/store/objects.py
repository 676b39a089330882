"""Files in S3 (or, locally, the S3-compatible server devtools/s3_local.py
starts): presigned forms for uploads straight from the browser, presigned links
for downloads, and the few reads and writes the functions make themselves."""

from functools import lru_cache
from typing import Any

from chalicelib.settings import settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@lru_cache(maxsize=1)
def client() -> Any:
    import boto3
    from botocore.config import Config

    from chalicelib.store.base import client_config

    config = client_config().merge(Config(signature_version="s3v4"))
    options: dict[str, Any] = {"region_name": settings.region, "config": config}
    if settings.s3_endpoint:
        options.update(endpoint_url=settings.s3_endpoint, aws_access_key_id="local",
                       aws_secret_access_key="local",
                       config=config.merge(Config(s3={"addressing_style": "path"})))
    return boto3.client("s3", **options)


_ensured: set[str] = set()


def _bucket(bucket: str) -> str:
    # On AWS the buckets are infra/'s; the local server makes them on first use.
    if settings.s3_endpoint and bucket not in _ensured:
        from botocore.exceptions import ClientError

        try:
            client().head_bucket(Bucket=bucket)
        except ClientError:
            client().create_bucket(Bucket=bucket)
        _ensured.add(bucket)
    return bucket


def upload_form(bucket: str, key: str, content_type: str, max_size: int,
                expires_seconds: int) -> dict:
    return client().generate_presigned_post(
        _bucket(bucket), key, Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_size]],
        ExpiresIn=expires_seconds)


def download_link(bucket: str, key: str, expires_seconds: int,
                  filename: str | None = None) -> str:
    """A link to read the object; with `filename`, browsers save it under that name."""
    from urllib.parse import quote

    params = {"Bucket": _bucket(bucket), "Key": key}
    if filename:
        params["ResponseContentDisposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return client().generate_presigned_url("get_object", Params=params,
                                           ExpiresIn=expires_seconds)


def read(bucket: str, key: str, max_size: int) -> bytes | None:
    """The object's bytes; None when it is missing or larger than `max_size`."""
    from botocore.exceptions import ClientError

    try:
        response = client().get_object(Bucket=_bucket(bucket), Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise
    if response["ContentLength"] > max_size:
        return None
    return response["Body"].read()


def write(bucket: str, key: str, body: bytes, content_type: str) -> None:
    client().put_object(Bucket=_bucket(bucket), Key=key, Body=body, ContentType=content_type)


def head(bucket: str, key: str) -> dict | None:
    """The object's metadata (ContentType, ContentLength); None when there is none."""
    from botocore.exceptions import ClientError

    try:
        return client().head_object(Bucket=_bucket(bucket), Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise


def exists(bucket: str, key: str) -> bool:
    return head(bucket, key) is not None
