"""Settings parsed once from the environment at start-up."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    table_prefix: str
    dynamodb_endpoint: str | None
    max_body_bytes: int
    argon2_parameters: tuple[int, int, int]  # time cost, memory KiB, parallelism

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
        )

    def table_name(self, aggregate: str) -> str:
        return f"{self.table_prefix}{aggregate}"


settings = Settings.from_environment()
