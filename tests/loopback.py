"""A TCP listener on 127.0.0.1 whose accept loop runs in a thread: the base of the scripted
servers and proxies the fault tests put between baosong and its mail servers."""

from __future__ import annotations

import socket
import threading


class LoopbackListener:
    """Accepts connections until the `with` block ends; each one goes to `on_connection`."""

    def __init__(self, port: int = 0) -> None:
        self._listener = socket.create_server(("127.0.0.1", port))
        self._listener.settimeout(0.2)  # how quickly the accept loop notices the end
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self):  # noqa: ANN204 - the subclass itself
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.on_connection(connection)

    def on_connection(self, connection: socket.socket) -> None:
        raise NotImplementedError
