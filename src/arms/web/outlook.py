"""Predicted payment dates on the pages that show open items (the invoice page, the collections case page and the
worklist), asked through the ``ledger.payment_outlook`` hook for the invoices of the page only, never the whole
book. Without a registered predictor (or an invoice it left out) nothing is shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Subquery

from arms.common import hooks
from arms.customers.models import Customer
from arms.ledger.models import Invoice


def payment_outlook(invoice_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """``{invoice_id: {"p50", "p90", "method", "method_label", ...}}`` for the invoices given that have one."""
    ids = list(invoice_ids)
    merged: dict[int, dict[str, Any]] = {}
    if not ids:
        return merged
    for result in hooks.run(hooks.PAYMENT_OUTLOOK, invoice_ids=ids):
        merged.update(result)
    return merged


def oldest_item_outlook(customer_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Per customer of a page, the outlook of its oldest open item (the earliest due)."""
    ids = list(customer_ids)
    if not ids:
        return {}
    oldest = (Invoice.objects.filter(customer_id=OuterRef("pk"), amount_open_minor__gt=0)
              .order_by("due_date", "pk").values("pk")[:1])
    pairs = dict(Customer.objects.filter(pk__in=ids).annotate(oldest=Subquery(oldest))
                 .exclude(oldest=None).values_list("pk", "oldest"))
    found = payment_outlook(pairs.values())
    return {customer: found[invoice] for customer, invoice in pairs.items() if invoice in found}
