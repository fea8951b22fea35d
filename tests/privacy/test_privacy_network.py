"""No network use anywhere: the whole demo runs with sockets refused, and no module can reach a network."""

from __future__ import annotations

import ast
import socket
from pathlib import Path

import pytest

from app.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"
#: Modules whose only job is talking to a network; none belongs in this program.
NETWORK_MODULES = ("socket", "ssl", "http", "urllib.request", "urllib3", "requests", "httpx", "aiohttp",
                   "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc", "websocket",
                   "PySide6.QtNetwork", "PySide6.QtWebEngineCore")


class Tripwire:
    """Every attempt to open an internet socket or resolve a name is recorded and refused.

    Unix-domain sockets (``socketpair``, used inside asyncio and multiprocessing) stay allowed:
    they never leave the machine.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        real = socket.socket
        trip = self

        class GuardedSocket(real):
            def __init__(self, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None) -> None:
                if fileno is None and family != socket.AF_UNIX:
                    trip.calls.append(f"socket(family={family})")
                    raise OSError("network use is not allowed")
                super().__init__(family, type, proto, fileno)

        def refuse(name: str):  # noqa: ANN202
            def call(*args: object, **kwargs: object) -> None:
                trip.calls.append(f"{name}{args[:2]}")
                raise OSError(f"{name}: network use is not allowed")
            return call

        monkeypatch.setattr(socket, "socket", GuardedSocket)
        for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
                     "create_server", "getfqdn"):
            monkeypatch.setattr(socket, name, refuse(name))


def test_the_tripwire_catches_a_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    wire = Tripwire(monkeypatch)
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80))
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    a, b = socket.socketpair()                       # AF_UNIX: allowed, and not recorded
    a.close(), b.close()
    assert wire.calls == ["create_connection(('example.org', 80),)", f"socket(family={socket.AF_INET})"]


def test_the_whole_demo_runs_offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    wire = Tripwire(monkeypatch)
    assert main(["demo", "--out", str(tmp_path)]) == 0
    assert wire.calls == []
    written = {p.suffix for p in tmp_path.rglob("*") if p.is_file()}
    assert {".xlsx", ".docx", ".html"} <= written       # it did the whole job, offline
    capsys.readouterr()


def test_no_module_imports_a_network_library() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                if any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES):
                    offenders.append(f"{path.relative_to(SRC)}: {name}")
    assert offenders == []
