"""The local server (devtools/server.py) as browsers and a crowd of phones meet
it: each response sent whole over a kept-alive connection, and many clients
arriving at once all queued and answered."""

import http.client
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devtools.server import Server, make_server

CROWD = 60  # more than the 50 workers of a town reporting at month end
INDEX = b"<!doctype html><title>Wangge</title>"


class RecordingConnection(socket.socket):
    """An accepted connection that records each piece the server sends on it."""

    sent: list[bytes]

    def send(self, data, flags=0) -> int:
        self.sent.append(bytes(data))
        return super().send(data, flags)

    def sendall(self, data, flags=0) -> None:
        self.sent.append(bytes(data))
        return super().sendall(data, flags)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """The server, listening but not yet serving (a test starts it with `serve`)."""
    from app import app

    (tmp_path / "index.html").write_bytes(INDEX)
    server = make_server(app, "127.0.0.1", 0, static_root=tmp_path)
    yield server
    server.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[[Server], None]]:
    serving: list[Server] = []

    def start(server: Server) -> None:
        threading.Thread(target=server.serve_forever, name="test-server", daemon=True).start()
        serving.append(server)
    yield start
    for server in serving:
        server.shutdown()


def test_each_response_over_a_kept_alive_connection_is_sent_in_one_piece(server, serve):
    sent: list[bytes] = []
    accept = server.get_request

    def recording_accept():
        connection, address = accept()
        recorder = RecordingConnection(fileno=connection.detach())
        recorder.sent = sent
        return recorder, address
    server.get_request = recording_accept
    serve(server)
    client = http.client.HTTPConnection(*server.server_address, timeout=30)

    for method, path in [("GET", "/"), ("GET", "/api/v1/openapi.json"), ("HEAD", "/"),
                         ("GET", "/api/v1/no-such-route"), ("GET", "/")]:
        before = len(sent)
        client.request(method, path)
        response = client.getresponse()
        body = response.read()

        assert len(sent) == before + 1, (method, path, sent[before:])
        assert sent[-1].startswith(f"HTTP/1.1 {response.status} ".encode())
        assert sent[-1].endswith(b"\r\n\r\n" + body)
    assert not response.will_close  # one connection carried them all
    client.close()


def test_a_crowd_arriving_while_the_server_is_busy_is_queued_and_every_client_answered(server,
                                                                                      serve):
    # Not accepting yet, as a server busy with other requests when the crowd arrives:
    # each connection must wait in the queue, not have its attempts dropped.
    clients = [socket.socket() for _ in range(CROWD)]
    for client in clients:
        client.setblocking(False)
        client.connect_ex(server.server_address)
    connecting = list(clients)
    deadline = time.monotonic() + 20
    while connecting and time.monotonic() < deadline:
        _, connected, _ = select.select([], connecting, [], 0.5)
        connecting = [client for client in connecting if client not in connected]
    assert not connecting, f"{len(connecting)} of {CROWD} clients could not connect"

    serve(server)
    # Half to the app, half to the static files; the app's answer without a database
    # is its envelope for a route it does not have.
    expected = {"/": 200, "/api/v1/no-such-route": 404}
    paths = list(expected) * (CROWD // 2)
    for client, path in zip(clients, paths):
        assert client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
        client.setblocking(True)
        client.settimeout(30)
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: wangge\r\n\r\n".encode())
    for client, path in zip(clients, paths):
        response = http.client.HTTPResponse(client)
        response.begin()
        assert response.status == expected[path]
        assert response.read()
        client.close()


def test_a_client_that_asks_to_continue_is_told_before_it_sends_the_body(server, serve):
    serve(server)
    with socket.create_connection(server.server_address, timeout=30) as client:
        client.sendall(b"POST /api/v1/no-such-route HTTP/1.1\r\nHost: wangge\r\n"
                       b"Content-Type: application/json\r\nContent-Length: 2\r\n"
                       b"Expect: 100-continue\r\n\r\n")
        assert client.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n")
        client.sendall(b"{}")
        response = http.client.HTTPResponse(client)
        response.begin()
        assert response.status == 404
