"""attachment_store: keep a file as evidence once per SHA-256 (collection cases, invoice delivery scans)."""

from __future__ import annotations

import hashlib
import mimetypes

from django.db import IntegrityError, transaction

from arms.common.models import Attachment


def attachment_store(*, content: bytes, name: str) -> Attachment:
    """Keep ``content`` once per SHA-256; the same file attached twice is stored once."""
    digest = hashlib.sha256(content).hexdigest()
    existing: Attachment | None = Attachment.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        with transaction.atomic():
            made: Attachment = Attachment.objects.create(sha256=digest, size=len(content), content_type=content_type,
                                                         content=content)
            return made
    except IntegrityError:  # the same file stored by a concurrent call
        stored: Attachment = Attachment.objects.get(sha256=digest)
        return stored
