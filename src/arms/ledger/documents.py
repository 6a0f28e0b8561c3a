"""What the ledger puts on paper: the invoice copy (应收账款通知) a clerk downloads, e-mails or posts.

Everything here reads; the delivery services record what was sent.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from arms.common.pdf import render_pdf
from arms.ledger.models import Allocation, Invoice
from arms.ledger.selectors import delivery_status


def invoice_pdf_context(invoice: Invoice) -> dict[str, Any]:
    allocations = list(
        Allocation.objects.filter(invoice=invoice).select_related("payment", "credit_note").order_by("date", "id"))
    return {
        "invoice": invoice,
        "company": invoice.company,
        "customer": invoice.customer,
        "contract": invoice.contract,
        "currency": invoice.currency,
        "allocations": allocations,
        "settled_minor": invoice.gross_minor - invoice.amount_open_minor,
        "delivery": delivery_status(invoice),
        "printed_on": timezone.localdate(),
    }


def invoice_pdf_filename(invoice: Invoice) -> str:
    return f"invoice-{invoice.number}.pdf"


def render_invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice copy as PDF (A4): company, customer, numbers, dates, net / VAT / gross, what was applied to
    it and what is still open."""
    invoice = Invoice.objects.select_related("company", "customer", "contract").get(pk=invoice.pk)
    return render_pdf("ledger/pdf/invoice.html", invoice_pdf_context(invoice))
