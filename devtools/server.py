"""The local HTTP server: the Chalice app object behind Chalice's own local
API Gateway emulation under /api/, and the static frontend on the same origin.

API Gateway answers an unknown route itself; on AWS infra/ maps that answer to
the error envelope, and here `EnvelopeGateway` does the same.
"""

import io
import json
import mimetypes
import socket
import uuid
from functools import partial
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from chalice.config import Config
from chalice.local import ChaliceRequestHandler, ForbiddenError, LocalGateway, ThreadedHTTPServer

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"


def frontend_root() -> Path:
    built = FRONTEND / "dist"
    return built if (built / "index.html").exists() else FRONTEND / "public"


class EnvelopeGateway(LocalGateway):
    def handle_request(self, method: str, path: str, headers: dict, body: bytes | None) -> dict:
        try:
            return super().handle_request(method, path, headers, body)
        except ForbiddenError:
            request_id = uuid.uuid4().hex
            envelope = {"error": {"code": "not_found",
                                  "message": f"No route {method} {path.split('?')[0]}",
                                  "details": [], "request_id": request_id}}
            return {"statusCode": 404, "multiValueHeaders": {},
                    "headers": {"Content-Type": "application/json", "X-Request-Id": request_id},
                    "body": json.dumps(envelope)}


def with_request_per_thread(app_object: Any) -> Any:
    """The Chalice app with its current request kept per thread, as `chalice local`
    makes it: the local server answers on several threads, and a request must not
    see another's query string or body (on Lambda each process serves one at a time)."""
    from chalice.local import CustomLocalChalice, LocalChalice

    if not isinstance(app_object, LocalChalice):
        CustomLocalChalice.__bases__ = (LocalChalice, app_object.__class__)
        app_object.__class__ = CustomLocalChalice
    return app_object


def local_config(stage: str = "local") -> Config:
    return Config.create(chalice_stage=stage, lambda_timeout=30, lambda_memory_size=512)


class WholeResponses(io.BufferedIOBase):
    """A connection's output, kept until flushed and then sent in one piece.

    The standard handler sends the status line and headers, then the body, each
    as it comes; on a kept-alive connection the second small send waits (Nagle)
    for the client's delayed ACK of the first, some 40 ms a request.
    BaseHTTPRequestHandler flushes once a response is complete."""

    def __init__(self, connection: socket.socket) -> None:
        self._connection = connection
        self._pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        self._pending += data
        return len(data)

    def flush(self) -> None:
        if self._pending:
            # Emptied first: a client that hung up must not get it again at close.
            whole, self._pending = bytes(self._pending), bytearray()
            self._connection.sendall(whole)


class Handler(ChaliceRequestHandler):
    static_root: Path = FRONTEND

    def __init__(self, request: Any, client_address: Any, server: Any, app_object: Any,
                 config: Config) -> None:
        self.local_gateway = EnvelopeGateway(app_object, config)
        BaseHTTPRequestHandler.__init__(self, request, client_address, server)

    def setup(self) -> None:
        super().setup()
        self.wfile = WholeResponses(self.connection)

    def handle_expect_100(self) -> bool:
        super().handle_expect_100()
        self.wfile.flush()  # the client waits for it before it sends the body
        return True

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the app logs requests
        pass

    def _generic_handle(self) -> None:
        if self.path == "/api" or self.path.startswith("/api/"):
            return super()._generic_handle()
        if self.command not in ("GET", "HEAD"):
            return self._send_http_response(405, {"Allow": "GET, HEAD"}, b"")
        return self._serve_static()

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _generic_handle

    def _serve_static(self) -> None:
        root = self.static_root.resolve()
        relative = self.path.split("?")[0].split("#")[0].lstrip("/") or "index.html"
        target = (root / relative).resolve()
        if relative.startswith("q/") and (root / "scan.html").is_file():
            target = root / "scan.html"  # a QR code's link: the resident's scan page
        elif not target.is_relative_to(root) or not target.is_file():
            # The single-page app routes in the browser: unknown pages get the shell.
            target = root / "index.html"
            if "." in Path(relative).name or not target.is_file():
                return self._send_http_response(404, {"Content-Type": "text/plain"}, b"Not found")
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        # Hashed assets never change; the shell and service worker must revalidate.
        immutable = "/assets/" in f"/{relative}"
        headers = {"Content-Type": content_type,
                   "Cache-Control": "public, max-age=31536000, immutable" if immutable
                   else "no-cache"}
        body = target.read_bytes()
        if self.command == "HEAD":
            headers["Content-Length"] = str(len(body))
            return self._send_http_response_no_body(200, headers)
        return self._send_http_response(200, headers, body)


class Server(ThreadedHTTPServer):
    # A town's workers reporting at month end arrive together: beyond the standard
    # library's queue of 5 connections not yet accepted, their attempts are dropped.
    request_queue_size = 128


def make_server(app_object: Any, host: str, port: int, static_root: Path | None = None
                ) -> Server:
    handler = type("WanggeHandler", (Handler,), {"static_root": static_root or frontend_root()})
    return Server((host, port), partial(
        handler, app_object=with_request_per_thread(app_object), config=local_config()))
