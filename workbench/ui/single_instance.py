"""One running app per user: a second start (a double-click on another project in the file
manager, `workbench-gui FILE`) hands its project to the app that is already running, which
opens it in a window of its own, and exits.

The two talk over a local socket (QLocalServer: a socket file only this user can open on
Unix, a named pipe on Windows) whose name is derived from the user's data folder, so two
users, or two data folders, never meet. The message is one JSON line, {"open": [path, ...]}
("" stands for the demo project), answered by "ok".
"""

from __future__ import annotations

import getpass
import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 500
REPLY_TIMEOUT_MS = 3000


def server_name(data_dir: Path) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    digest = hashlib.sha256(f"{user}\0{data_dir.resolve()}".encode()).hexdigest()[:16]
    return f"annotation-workbench-{digest}"


def send_to_running(name: str, paths: list[str]) -> bool:
    """Ask the running app to open `paths`; True when it said it will."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(json.dumps({"open": paths}).encode("utf-8") + b"\n")
    socket.flush()
    answered = socket.waitForReadyRead(REPLY_TIMEOUT_MS)
    reply = bytes(socket.readAll().data()) if answered else b""
    socket.disconnectFromServer()
    return reply.strip() == b"ok"


class InstanceServer(QObject):
    """Listens for later starts of the app and emits the projects they hand over."""

    open_requested = Signal(str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        # Nobody answered on this name (send_to_running failed first), so the socket file
        # is left over from an app that crashed: take it over.
        QLocalServer.removeServer(self.name)
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        self._buffers[socket] = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in self._buffers[socket]:
            return
        line = self._buffers[socket].split(b"\n", 1)[0]
        try:
            message = json.loads(line.decode("utf-8"))
            paths = [str(p) for p in message.get("open", [])]
        except (ValueError, AttributeError, TypeError):
            socket.write(b"error\n")
            socket.disconnectFromServer()
            return
        socket.write(b"ok\n")
        socket.flush()
        for path in paths:
            self.open_requested.emit(path)

    def _forget(self, socket: QLocalSocket) -> None:
        # The socket is the server's child and goes with it. No deleteLater here: a socket
        # also says "disconnected" while it is being destroyed (when the server goes), and a
        # deletion posted then reaches freed memory later (a crash in the next event loop).
        self._buffers.pop(socket, None)
