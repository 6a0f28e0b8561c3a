"""The portal's own paper: the 对账单 of a period as PDF (the web page and its Excel show the same figures)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone, translation

from arms.common.pdf import render_pdf
from arms.customers.models import Customer
from arms.ledger.selectors import Statement


def render_statement_pdf(*, customer: Customer, statements: list[Statement], date_from: date, date_to: date) -> bytes:
    """The statement in the active language, on A4 (tests/portal/test_pdf.py reads it back)."""
    return render_pdf("portal/pdf/statement.html", {
        "customer": customer, "statements": statements, "date_from": date_from, "date_to": date_to,
        "today": timezone.localdate(), "LANGUAGE_CODE": translation.get_language()})
