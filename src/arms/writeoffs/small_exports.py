"""Small-balance lists as export tables (``arms.web.exports``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from arms.domain.money import BASE_CURRENCY, to_decimal
from arms.ledger.models import Invoice, SmallBalanceBatch, SmallBalanceBatchItem
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table

CHUNK = 2000


def residue_table(rows: QuerySet[Invoice]) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=30), Column(_("Invoice")),
               Column(_("Due date"), DATE), Column(_("Currency")), Column(_("Gross amount"), AMOUNT),
               Column(_("Open amount"), AMOUNT)]
    data = ([inv.customer.code, inv.customer.name, inv.number, inv.due_date, inv.currency,
             to_decimal(inv.gross_minor, inv.currency), to_decimal(inv.amount_open_minor, inv.currency)]
            for inv in rows.iterator(chunk_size=CHUNK))
    return Table(_("Small balances"), columns, data)


def batch_table(rows: QuerySet[SmallBalanceBatch]) -> Table:
    columns = [Column(_("Batch")), Column(_("Status")), Column(_("Write-off date"), DATE), Column(_("Account")),
               Column(_("Items"), INT), Column(_("Total (CNY)"), AMOUNT), Column(_("Posted"), INT),
               Column(_("Requested by")), Column(_("Requested at"), DATETIME), Column(_("Decided by")),
               Column(_("Decided at"), DATETIME), Column(_("Note"), width=40)]
    data = ([b.reference, b.get_status_display(), b.on, b.get_account_display(), b.items_count,
             to_decimal(b.total_base_minor, BASE_CURRENCY), b.posted_count,
             b.requested_by.get_username() if b.requested_by else "", b.requested_at,
             b.decided_by.get_username() if b.decided_by else "", b.decided_at, b.note]
            for b in rows.iterator(chunk_size=CHUNK))
    return Table(_("Small-balance write-offs"), columns, data)


def item_table(batch: SmallBalanceBatch, rows: QuerySet[SmallBalanceBatchItem]) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=30), Column(_("Invoice")),
               Column(_("Currency")), Column(_("Amount"), AMOUNT), Column(_("Posted at"), DATETIME),
               Column(_("Skipped"), width=40)]
    data = ([i.invoice.customer.code, i.invoice.customer.name, i.invoice.number, i.currency,
             to_decimal(i.amount_minor, i.currency), i.posted_at, i.skipped]
            for i in rows.iterator(chunk_size=CHUNK))
    return Table(_("Small-balance write-off %(reference)s") % {"reference": batch.reference}, columns, data)
