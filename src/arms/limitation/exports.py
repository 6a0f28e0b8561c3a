"""The expiry report (the claims list) as Excel/CSV, through the one export helper (``arms.web.exports``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATE, Column, Table

CHUNK = 2000


def claim_table(claims: Any) -> Table:
    columns = [Column(_("Expires on"), DATE), Column(_("Status")), Column(_("Customer code")),
               Column(_("Customer"), width=32), Column(_("Collector")), Column(_("Invoice")),
               Column(_("Due date"), DATE), Column(_("Currency")), Column(_("Open amount"), AMOUNT),
               Column(_("Start"), DATE), Column(_("Last interruption"), DATE), Column(_("Interrupted by"))]
    rows = ([c.expires_on, c.get_status_display(), c.customer.code, c.customer.name,
             (c.customer.collector.get_full_name() or c.customer.collector.get_username())
             if c.customer.collector else "", c.invoice.number, c.invoice.due_date, c.invoice.currency,
             to_decimal(c.invoice.amount_open_minor, c.invoice.currency), c.start, c.last_interruption,
             c.get_last_kind_display()] for c in claims.iterator(chunk_size=CHUNK))
    return Table(_("Limitation expiry report"), columns, rows)
