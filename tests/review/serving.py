"""The console served by uvicorn on a free loopback port, as `baosong serve` serves it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

from baosong.cli.console import web_server

STARTUP_SECONDS = 20


def serve(console) -> Iterator[str]:  # noqa: ANN001 - a FastAPI app
    """Yields the console's base URL while it runs (for a fixture: `yield from serve(app)`)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = web_server(console, "127.0.0.1", port)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=STARTUP_SECONDS)
