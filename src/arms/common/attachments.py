"""attachment_store: keep a file as evidence once per SHA-256 (collection cases, invoice delivery scans);
attachments_store_many: the same for many files in two queries (bulk writes)."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from arms.common.models import Attachment


def attachment_store(*, content: bytes, name: str) -> Attachment:
    """Keep ``content`` once per SHA-256; the same file attached twice is stored once."""
    digest = hashlib.sha256(content).hexdigest()
    existing: Attachment | None = Attachment.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    content_type = _content_type(name)
    try:
        with transaction.atomic():
            made: Attachment = Attachment.objects.create(sha256=digest, size=len(content), content_type=content_type,
                                                         content=content)
            return made
    except IntegrityError:  # the same file stored by a concurrent call
        stored: Attachment = Attachment.objects.get(sha256=digest)
        return stored


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def attachments_store_many(files: Iterable[tuple[str, bytes]]) -> dict[str, Attachment]:
    """Keep each ``(name, content)`` once per SHA-256, as ``attachment_store`` does, in one insert and one read;
    returns the stored attachments by SHA-256 (without their content loaded)."""
    new: dict[str, Attachment] = {}
    for name, content in files:
        digest = hashlib.sha256(content).hexdigest()
        new.setdefault(digest, Attachment(sha256=digest, size=len(content), content_type=_content_type(name),
                                          content=content))
    if not new:
        return {}
    # a file stored before (or by a concurrent call) is kept as it is
    Attachment.objects.bulk_create(list(new.values()), batch_size=500, ignore_conflicts=True)
    return Attachment.objects.filter(sha256__in=list(new)).defer("content").in_bulk(field_name="sha256")
