"""Helpers every service uses: document numbers and idempotent create calls."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
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
    first = _sequence_advance(company.pk, series, count)
    if first is None:  # the series' first number: make its row, then take from it as from any other
        DocumentSequence.objects.get_or_create(company=company, series=series)
        first = _sequence_advance(company.pk, series, count)
        if first is None:
            raise RuntimeError(f"document sequence {series!r} has no row after it was made")
    return [f"{prefix or series}-{value:0{width}d}" for value in range(first, first + count)]


#: moves a series on and answers where it stood, in one statement (``sequence_take`` runs once per numbered
#: document, or bulk call, so it is sent as SQL, not built by the ORM each time); ``None`` without a row
_ADVANCE_SQL = (f"UPDATE {DocumentSequence._meta.db_table} SET next_value = next_value + %s "
                "WHERE company_id = %s AND series = %s RETURNING next_value")


def _update_returns() -> bool:
    """Whether the database answers an ``UPDATE … RETURNING`` (PostgreSQL; SQLite from 3.35, as Django's own
    feature flag for ``INSERT … RETURNING`` says)."""
    return bool(connection.features.can_return_columns_from_insert)


def _sequence_advance(company_id: int, series: str, count: int) -> int | None:
    """Advance the series by ``count`` and return the first value taken, or ``None`` when it has no row yet. The
    ``UPDATE`` locks the row until the caller commits, as ``SELECT … FOR UPDATE`` followed by an update did, and
    reads the value it moved past under that lock: a second caller waits, then takes the numbers after."""
    if not _update_returns():
        row_before = (qs_for_update(DocumentSequence.objects.all()).filter(company_id=company_id, series=series)
                      .values_list("pk", "next_value").first())
        if row_before is None:
            return None
        DocumentSequence.objects.filter(pk=row_before[0]).update(next_value=row_before[1] + count)
        return int(row_before[1])
    with connection.cursor() as cursor:
        cursor.execute(_ADVANCE_SQL, [count, company_id, series])
        row = cursor.fetchone()
    return None if row is None else int(row[0]) - count


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
