"""E-mail written to files instead of sent, for a machine without a mail server (development, the demo).

Django's own file backend appends every message of a connection to one ``.log`` file, which no mail client
opens. ``EmlFileBackend`` writes each message as its own RFC 5322 file ending in ``.eml`` (headers, body and
attachments exactly as they would have gone over SMTP), so a letter and its PDF open in any mail client.

``new_message_id`` is the one way ARMS names a message it sends.
"""

from __future__ import annotations

import os
import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


def mail_domain() -> str:
    """The domain of ``DEFAULT_FROM_EMAIL`` (``localhost`` when it has none), the right side of a Message-ID."""
    address = settings.DEFAULT_FROM_EMAIL
    domain = address.rsplit("@", 1)[-1].strip(" >") if "@" in address else "localhost"
    return domain or "localhost"


def new_message_id(tag: str) -> str:
    """A unique Message-ID, ``<tag.random@domain>``: the tag says what sent it (``dunning137``), 64 random bits make
    it unique. A header longer than 78 characters is folded before the id, and RFC 5322 lets the id carry that
    whitespace (``[CFWS] "<" … ">"``): whoever compares a received Message-ID with a stored one strips it first."""
    return f"<{tag}.{secrets.token_hex(8)}@{mail_domain()}>"


class EmlFileBackend(BaseEmailBackend):
    """One ``<time>-<random>.eml`` file per message under ``EMAIL_FILE_PATH`` (created when missing)."""

    def __init__(self, *, file_path: str | os.PathLike | None = None, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        # set by the settings that choose this backend (local, demo); the type stubs' Settings do not know it
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)  # type: ignore[misc]

    def send_messages(self, email_messages) -> int:
        written = 0
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                if not message.recipients():
                    continue
                name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
                partial = self.directory / f".{name}.part"
                partial.write_bytes(message.message().as_bytes())
                partial.replace(self.directory / name)  # a reader never sees half a message
                written += 1
        except OSError:
            if not self.fail_silently:
                raise
        return written
