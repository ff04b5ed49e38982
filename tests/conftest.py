"""Shared by the whole suite: the network is off.

Tracker never talks to the network, and the tests prove it: from the moment this file is
imported, any attempt to open an internet (IPv4 or IPv6) connection or to look up a name that
isn't local raises :class:`NetworkDisabled`, in every test, the Pilot tests included. Unix
sockets and ``socket.socketpair`` (which asyncio and Textual use) keep working, and so do local
servers' ``bind`` and ``listen``.

A test that really needs a connection (the meeting-feed import test, which serves its feed from
a local server) says so with ``@pytest.mark.allow_network``.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_INTERNET = (socket.AF_INET, socket.AF_INET6)


class NetworkDisabled(RuntimeError):
    """Raised instead of touching the network. Not an OSError, so no code can quietly
    swallow it as an ordinary connection failure."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"The network is off in tests ({what}). Tracker never needs it; a test that serves "
            "its own local server can opt in with @pytest.mark.allow_network."
        )


class _Guard:
    allowed = False


_real: dict[str, Any] = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "sendto": socket.socket.sendto,
    "create_connection": socket.create_connection,
    "getaddrinfo": socket.getaddrinfo,
    "gethostbyname": socket.gethostbyname,
    "gethostbyname_ex": socket.gethostbyname_ex,
}


def _is_local_name(host: Any) -> bool:
    """Names that never need a resolver: none, localhost, or an address written out."""
    if host is None:
        return True
    if isinstance(host, bytes | bytearray):
        host = bytes(host).decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip().rstrip(".").lower()
    if name in ("", *LOCAL_NAMES):
        return True
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _blocked_socket(sock: Any) -> bool:
    return not _Guard.allowed and sock.family in _INTERNET


def _connect(self: Any, address: Any) -> None:
    if _blocked_socket(self):
        raise NetworkDisabled(f"connect to {address!r}")
    return _real["connect"](self, address)


def _connect_ex(self: Any, address: Any) -> int:
    if _blocked_socket(self):
        raise NetworkDisabled(f"connect_ex to {address!r}")
    return _real["connect_ex"](self, address)


def _sendto(self: Any, *args: Any) -> int:
    if _blocked_socket(self):
        raise NetworkDisabled(f"sendto {args[-1]!r}")
    return _real["sendto"](self, *args)


def _create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
    if not _Guard.allowed:
        raise NetworkDisabled(f"create_connection to {address!r}")
    return _real["create_connection"](address, *args, **kwargs)


def _lookup(name: str) -> Any:
    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _Guard.allowed and not _is_local_name(host):
            raise NetworkDisabled(f"{name}({host!r})")
        return _real[name](host, *args, **kwargs)

    lookup.__name__ = name
    return lookup


def install_network_guard() -> None:
    """Switch the network off for this process (done when this file is imported)."""
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = _sendto  # type: ignore[method-assign]
    socket.create_connection = _create_connection
    socket.getaddrinfo = _lookup("getaddrinfo")
    socket.gethostbyname = _lookup("gethostbyname")
    socket.gethostbyname_ex = _lookup("gethostbyname_ex")


install_network_guard()


@pytest.fixture(autouse=True)
def _network_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """Off for every test; on only for a test marked ``allow_network``."""
    allowed = request.node.get_closest_marker("allow_network") is not None
    _Guard.allowed = allowed
    try:
        yield
    finally:
        _Guard.allowed = False


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Show the crash test's summary (tests/test_crash.py) at the end of the run."""
    lines: list[str] = []
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if name == "crash summary" and getattr(report, "when", "") == "call":
                    lines.append(str(value))
    if lines:
        terminalreporter.section("crash test summary")
        header = lines[0].splitlines()[0]
        terminalreporter.write_line(header)
        for value in lines:
            for line in value.splitlines()[1:]:
                terminalreporter.write_line(line)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """A permissive umask, as many systems have: files must still come out private."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)
