"""Record that claims' limitation periods were interrupted (民法典 第一百九十五条).

The published interface (Interface B of issue 14; legal calls it when a case is filed)::

    arms.limitation.services.interruption_record(*, actor, invoices, kind, on, source="", note="", evidence=None)
        -> list[LimitationInterruption]
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.bounds import MAX_NOTE, text_check
from arms.common.errors import ValidationFailed
from arms.common.models import Attachment
from arms.ledger.models import Invoice
from arms.limitation.enums import InterruptionKind
from arms.limitation.models import LimitationInterruption
from arms.limitation.services.clocks import clocks_recompute
from arms.limitation.services.settings import limitation_settings_for

if TYPE_CHECKING:
    from arms.customers.models import Company

MAX_SOURCE = 60
MAX_INVOICES = 1_000


def interruption_audit(row: LimitationInterruption) -> dict[str, Any]:
    return {
        "invoice": row.invoice_id, "customer": row.customer_id, "kind": row.kind, "date": row.date,
        "source": row.source, "note": row.note,
        "evidence_sha256": row.evidence.sha256 if row.evidence is not None else "",
    }


def _checked_invoices(invoices: Sequence[Any]) -> list[Invoice]:
    if not invoices:
        raise ValidationFailed(_("Name at least one invoice."), field="invoices")
    if len(invoices) > MAX_INVOICES:
        raise ValidationFailed(_("At most %(n)s invoices at once.") % {"n": MAX_INVOICES}, field="invoices")
    found = sorted({inv.pk: inv for inv in invoices if isinstance(inv, Invoice)}.values(), key=lambda i: i.pk)
    if len(found) != len({getattr(inv, "pk", None) for inv in invoices}) or any(i.pk is None for i in found):
        raise ValidationFailed(_("Name invoices that are posted."), field="invoices")
    first = found[0]
    for invoice in found:
        if invoice.customer_id != first.customer_id or invoice.company_id != first.company_id:
            raise ValidationFailed(
                _("Invoice %(number)s belongs to another customer.") % {"number": invoice.number}, field="invoices")
    return found


@transaction.atomic
def interruption_record(*, actor: Any, invoices: Sequence[Invoice], kind: str, on: date, source: str = "",
                        note: str = "", evidence: Attachment | None = None) -> list[LimitationInterruption]:
    """Record that the limitation period of each invoice (all of one customer) was interrupted on ``on``, and
    recompute their clocks. Idempotent: an invoice that already has this (kind, source), or this (kind, day)
    when ``source`` is empty, keeps its row, which is returned. Refused naming the field, writing nothing, for an
    unknown kind, a day in the future or before an invoice was issued, invoices of several customers."""
    if kind not in InterruptionKind.values:
        raise ValidationFailed(_("%(value)s is not one of: %(choices)s.")
                               % {"value": kind, "choices": ", ".join(InterruptionKind.values)}, field="kind")
    if not isinstance(on, date):
        raise ValidationFailed(_("A date like 2026-10-31."), field="on")
    if on > timezone.localdate():
        raise ValidationFailed(_("An interruption cannot be in the future."), field="on")
    if not isinstance(source, str) or len(source) > MAX_SOURCE:
        raise ValidationFailed(_("At most %(n)s characters.") % {"n": MAX_SOURCE}, field="source")
    text_check(note, field="note", limit=MAX_NOTE)
    if evidence is not None and (not isinstance(evidence, Attachment) or evidence.pk is None):
        raise ValidationFailed(_("Attach a stored file."), field="evidence")
    chosen = _checked_invoices(invoices)
    for invoice in chosen:
        if on < invoice.issue_date:
            raise ValidationFailed(
                _("Invoice %(number)s was issued on %(day)s, after this day.")
                % {"number": invoice.number, "day": invoice.issue_date}, field="on")
    ids = [invoice.pk for invoice in chosen]
    key = Q(kind=kind, source=source) if source else Q(kind=kind, source="", date=on)
    company = chosen[0].company
    existing = set(LimitationInterruption.objects.filter(key, invoice__customer_id=chosen[0].customer_id)
                   .values_list("invoice_id", flat=True))
    user = actor if getattr(actor, "is_authenticated", False) else None
    LimitationInterruption.objects.bulk_create(
        [LimitationInterruption(company_id=company.pk, customer_id=invoice.customer_id, invoice=invoice, kind=kind,
                                date=on, source=source, note=note, evidence=evidence, recorded_by=user)
         for invoice in chosen if invoice.pk not in existing],
        ignore_conflicts=True,
    )
    rows = list(LimitationInterruption.objects.filter(key, invoice__customer_id=chosen[0].customer_id)
                .select_related("evidence").order_by("invoice_id"))
    rows = [row for row in rows if row.invoice_id in set(ids)]
    for row in rows:
        if row.invoice_id not in existing:
            audit_record(actor=actor, action="limitation_interrupted", subject=row, after=interruption_audit(row))
    _recompute(company, ids)
    return rows


def _recompute(company: Company, ids: list[int]) -> None:
    """Recompute the clocks of the few invoices just interrupted (bounded by MAX_INVOICES)."""
    clocks_recompute(company=company, invoice_filter=Q(pk__in=ids), today=timezone.localdate(),
                     settings=limitation_settings_for(company))
