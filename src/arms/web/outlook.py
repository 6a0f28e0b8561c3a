"""Predicted payment dates on the pages that show open items (the invoice page, the collections case page and the
worklist), asked through the ``ledger.payment_outlook`` hook for the invoices of the page only, never the whole
book. Without a registered predictor (or an invoice it left out) nothing is shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from arms.common import hooks


def payment_outlook(invoice_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """``{invoice_id: {"p50", "p90", "method", "method_label", ...}}`` for the invoices given that have one."""
    ids = list(invoice_ids)
    merged: dict[int, dict[str, Any]] = {}
    if not ids:
        return merged
    for result in hooks.run(hooks.PAYMENT_OUTLOOK, invoice_ids=ids):
        merged.update(result)
    return merged


def oldest_item_outlook(customers: Iterable[Any]) -> dict[int, dict[str, Any]]:
    """Per customer of a page, the outlook of its oldest open item (the earliest due), named by the customers'
    ``oldest_open_invoice_id`` annotation (the worklist selects it with the customers)."""
    pairs = {customer.pk: customer.oldest_open_invoice_id for customer in customers
             if getattr(customer, "oldest_open_invoice_id", None)}
    found = payment_outlook(pairs.values())
    return {customer: found[invoice] for customer, invoice in pairs.items() if invoice in found}
