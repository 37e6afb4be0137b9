"""A real SMTP server (aiosmtpd) on a free port, collecting what it receives."""

from __future__ import annotations

import email
import socket
import threading
from email.policy import default as default_policy

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """An aiosmtpd handler: keeps each message, or refuses all with ``refuse``."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: str | None = None
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted"


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.handler = Collector()
        self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self):
        return self.handler.messages

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    """A running server; ``stop()`` and ``start()`` it to simulate an outage."""
    pytest.importorskip("aiosmtpd")
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_down():
    """A server that is not running yet (``start()`` it later)."""
    pytest.importorskip("aiosmtpd")
    server = SmtpServer(free_port())
    yield server
    server.stop()
