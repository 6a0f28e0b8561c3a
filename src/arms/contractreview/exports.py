"""Contract lists as export tables (``arms.web.exports``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATE, Column, Table

CHUNK = 2000


def contract_table(contracts) -> Table:
    """Annotated contracts (``selectors.with_figures``): each row its terms and figures in its currency."""
    columns = [Column(_("Contract number")), Column(_("Customer code")), Column(_("Customer"), width=30),
               Column(_("Title"), width=30), Column(_("Status")), Column(_("Signed on"), DATE),
               Column(_("Ends"), DATE), Column(_("Next review"), DATE), Column(_("Currency")),
               Column(_("Amount"), AMOUNT), Column(_("Invoiced"), AMOUNT), Column(_("Paid"), AMOUNT),
               Column(_("Open"), AMOUNT), Column(_("Overdue"), AMOUNT)]
    rows = ([c.number, c.customer.code, c.customer.name, c.title, c.get_status_display(), c.signed_date,
             c.end_date, c.review_date, c.currency, to_decimal(c.amount_minor, c.currency),
             to_decimal(c.invoiced_minor, c.currency), to_decimal(c.paid_minor, c.currency),
             to_decimal(c.open_minor, c.currency), to_decimal(c.overdue_minor, c.currency)]
            for c in contracts.iterator(chunk_size=CHUNK))
    return Table(_("Contracts"), columns, rows)
