"""Write-off lists as export tables (``arms.web.exports``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.domain.money import BASE_CURRENCY, to_decimal
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table

CHUNK = 2000


def request_table(requests) -> Table:
    columns = [Column(_("Number")), Column(_("Customer code")), Column(_("Customer"), width=30), Column(_("Reason")),
               Column(_("Status")), Column(_("Total (CNY)"), AMOUNT), Column(_("Net written off (CNY)"), AMOUNT),
               Column(_("Recovered (CNY)"), AMOUNT), Column(_("Sign-offs"), INT),
               Column(_("Requested at"), DATETIME), Column(_("Requested by")), Column(_("Posted on"), DATE),
               Column(_("Filed with the tax office on"), DATE), Column(_("Tax filing reference"))]
    rows = ([r.number, r.customer.code, r.customer.name, r.get_reason_display(), r.get_status_display(),
             to_decimal(r.total_base_minor, BASE_CURRENCY), to_decimal(r.net_base_minor, BASE_CURRENCY),
             to_decimal(r.recovered_base_minor, BASE_CURRENCY), r.sign_off_count, r.requested_at,
             r.requested_by.get_username() if r.requested_by else "", r.posted_on, r.tax_filed_on, r.tax_reference]
            for r in requests.iterator(chunk_size=CHUNK))
    return Table(_("Write-off requests"), columns, rows)
