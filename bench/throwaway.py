"""A throwaway DynamoDB Local for one bench run: the app's settings point at it
(set before the app is imported), and it is stopped when the run ends."""

from collections.abc import Iterator
from contextlib import contextmanager

from devtools import dynamodb_local, environment


@contextmanager
def database(fast_password_hashing: bool = False) -> Iterator[None]:
    port = dynamodb_local.free_port()
    environment.configure(f"http://127.0.0.1:{port}", stage="bench",
                          table_prefix="wangge-bench-",
                          fast_password_hashing=fast_password_hashing)
    server = dynamodb_local.start(port)
    try:
        yield
    finally:
        server.stop()
