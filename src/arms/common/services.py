"""Helpers every service uses: document numbers and idempotent create calls."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils.translation import gettext as _

from arms.common.errors import Conflict, ErrorCode
from arms.common.locks import qs_for_update
from arms.common.models import DocumentSequence, IdempotencyRecord

if TYPE_CHECKING:
    from arms.common.typing import JsonDict
    from arms.customers.models import Company  # the tenant every numbered document belongs to

M = TypeVar("M", bound=Model)


def sequence_next(*, company: Company, series: str, prefix: str | None = None, width: int = 6) -> str:
    """Take the next gap-free number of ``series``; the row stays locked until the caller commits."""
    return sequence_take(company=company, series=series, count=1, prefix=prefix, width=width)[0]


def sequence_take(*, company: Company, series: str, count: int, prefix: str | None = None,
                  width: int = 6) -> list[str]:
    """Take the next ``count`` gap-free numbers of ``series`` in one step (the bulk path): the same numbers
    ``count`` calls of ``sequence_next`` would give, the row locked until the caller commits."""
    if count <= 0:
        return []
    DocumentSequence.objects.get_or_create(company=company, series=series)
    row = qs_for_update(DocumentSequence.objects.all()).get(company=company, series=series)
    first = row.next_value
    DocumentSequence.objects.filter(pk=row.pk).update(next_value=F("next_value") + count)
    return [f"{prefix or series}-{value:0{width}d}" for value in range(first, first + count)]


def fingerprint(payload: JsonDict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def idempotent(
    *, scope: str, key: str | None, payload: JsonDict, model: type[M], create: Callable[[], M]
) -> tuple[M, bool]:
    """Run ``create`` once per (scope, key). Returns (object, created).

    A retry with the same key and the same payload gets the first object back; the same key with a
    different payload is refused, because silently returning the old object would hide a client bug.
    """
    if not key:
        return create(), True
    digest = fingerprint(payload)
    existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                obj = create()
                IdempotencyRecord.objects.create(scope=scope, key=key, fingerprint=digest, object_id=obj.pk)
            return obj, True
        except IntegrityError:
            # A concurrent call with the same key won the race; fall through and answer with its result.
            existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
            if existing is None:
                raise
    if existing.fingerprint != digest:
        raise Conflict(
            _("The idempotency key %(key)s was already used with different data.") % {"key": key},
            field="idempotency_key",
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
        )
    return model._default_manager.get(pk=existing.object_id), False
