"""Sales–finance reconciliation lists as export tables (``arms.web.exports``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.domain.money import BASE_CURRENCY, to_decimal
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table

CHUNK = 2000


def reconciliation_table(reconciliations) -> Table:
    columns = [Column(_("Month")), Column(_("Salesperson")), Column(_("Balances as of"), DATE),
               Column(_("Customers"), INT), Column(_("Total (CNY)"), AMOUNT), Column(_("Status")),
               Column(_("Differences"), INT), Column(_("Open differences"), INT),
               Column(_("Signed off at"), DATETIME), Column(_("Signed off by")), Column(_("Snapshot hash"), width=66)]
    rows = ([f"{r.period:%Y-%m}", r.salesperson.get_full_name() or r.salesperson.get_username(), r.as_of,
             r.customers, to_decimal(r.total_base_minor, BASE_CURRENCY), r.get_status_display(), r.difference_count,
             r.open_difference_count, r.signed_off_at,
             r.signed_off_by.get_username() if r.signed_off_by else "", r.snapshot_sha256]
            for r in reconciliations.iterator(chunk_size=CHUNK))
    return Table(_("Sales–finance reconciliations"), columns, rows)
