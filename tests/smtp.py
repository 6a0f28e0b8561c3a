"""A real SMTP server (aiosmtpd) on a free local port, for tests that send e-mail the way production does."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class _Handler:
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: int = 0  # refuse this many DATA commands with 451 (a temporary failure), then accept again
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                return "451 4.3.0 try again later"
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            self.messages.append(msg)
        return "250 OK"


class SmtpServer:
    """``messages`` holds every accepted message, parsed; ``refuse_next(n)`` makes the next n sends fail."""

    def __init__(self) -> None:
        self.handler = _Handler()
        self.port = _free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def refuse_next(self, n: int) -> None:
        self.handler.refuse = n

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def body_text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part else ""


def attachments(msg: EmailMessage) -> dict[str, bytes]:
    return {part.get_filename(): part.get_payload(decode=True) for part in msg.iter_attachments()}
