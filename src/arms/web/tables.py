"""The web app's lists as export tables (``arms.web.exports``): customers, invoices, payments, the statement,
notifications. Each takes the list's filtered queryset and streams every row of it."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from arms.domain.money import to_decimal
from arms.domain.terms import days_overdue
from arms.ledger.enums import DeliveryState
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table
from arms.web.templatetags.arms_web import entry_kind_label, person, statement_text

CHUNK = 2000


def customer_table(customers) -> Table:
    columns = [Column(_("Code")), Column(_("Name"), width=32), Column(_("Unified social credit code"), width=20),
               Column(_("Region")), Column(_("Industry")), Column(_("Salesperson")), Column(_("Collector")),
               Column(_("Status")), Column(_("Currency")), Column(_("Open amount"), AMOUNT),
               Column(_("Overdue"), AMOUNT)]
    rows = ([c.code, c.name, c.uscc, c.get_region_display(), c.get_industry_display(),
             person(c.salesperson) if c.salesperson_id else "", person(c.collector) if c.collector_id else "",
             c.get_status_display(), c.currency, to_decimal(c.open_minor, c.currency),
             to_decimal(c.overdue_minor, c.currency)] for c in customers.iterator(chunk_size=CHUNK))
    return Table(_("Customers"), columns, rows)


def _delivery_cells(invoice) -> list:
    """The delivery state columns of an invoice row annotated by ``ledger.selectors.with_delivery_state``."""
    state = getattr(invoice, "delivery_state", None)
    if state is None:
        return ["", None, None]
    return [str(DeliveryState(state).label), invoice.delivered_on, invoice.confirmed_on]


def invoice_table(invoices, *, today: date) -> Table:
    columns = [Column(_("Invoice")), Column(_("VAT invoice number")), Column(_("Customer code")),
               Column(_("Customer"), width=32), Column(_("Contract")), Column(_("Issue date"), DATE),
               Column(_("Due date"), DATE), Column(_("Days overdue"), INT), Column(_("Currency")),
               Column(_("Gross amount"), AMOUNT), Column(_("Open amount"), AMOUNT), Column(_("Delivery")),
               Column(_("Delivered on"), DATE), Column(_("Receipt confirmed on"), DATE)]
    rows = ([inv.number, inv.vat_invoice_number, inv.customer.code, inv.customer.name,
             inv.contract.number if inv.contract_id else "", inv.issue_date, inv.due_date,
             max(days_overdue(inv.due_date, today), 0) if inv.amount_open_minor else 0, inv.currency,
             to_decimal(inv.gross_minor, inv.currency), to_decimal(inv.amount_open_minor, inv.currency),
             *_delivery_cells(inv)]
            for inv in invoices.iterator(chunk_size=CHUNK))
    return Table(_("Invoices"), columns, rows)


def payment_table(payments) -> Table:
    columns = [Column(_("Receipt")), Column(_("Customer code")), Column(_("Customer"), width=32),
               Column(_("Received on"), DATE), Column(_("Method")), Column(_("Bank reference")), Column(_("Payer")),
               Column(_("Status")), Column(_("Currency")), Column(_("Amount"), AMOUNT),
               Column(_("Unallocated"), AMOUNT)]
    rows = ([p.number, p.customer.code, p.customer.name, p.received_date, p.get_method_display(), p.bank_reference,
             p.payer_name, p.get_status_display(), p.currency, to_decimal(p.amount_minor, p.currency),
             to_decimal(p.amount_unallocated_minor, p.currency)] for p in payments.iterator(chunk_size=CHUNK))
    return Table(_("Payments"), columns, rows)


def statement_table(customer, statements, offers=()) -> Table:
    """对账单: a line naming the customer, then per currency the opening, the movements and the closing; then the
    early-payment discounts that can still be earned (``offers``: invoice and how its discount reads)."""
    columns = [Column(_("Currency"), width=8), Column(_("Date"), DATE), Column(_("Type")),
               Column(_("Number"), width=20), Column(_("Description"), width=36), Column(_("Debit"), AMOUNT),
               Column(_("Credit"), AMOUNT), Column(_("Balance"), AMOUNT)]

    def rows():
        for statement in statements:
            cur = statement.currency
            yield [cur, statement.date_from, _("Opening balance"), "", "", None, None,
                   to_decimal(statement.opening_minor, cur)]
            for line in statement.lines:
                yield [cur, line.date, entry_kind_label(line.kind), line.number, statement_text(line.description),
                       to_decimal(line.debit_minor, cur) if line.debit_minor else None,
                       to_decimal(line.credit_minor, cur) if line.credit_minor else None,
                       to_decimal(line.balance_minor, cur)]
            yield [cur, statement.date_to, _("Closing balance"), "", "", to_decimal(statement.debit_total_minor, cur),
                   to_decimal(statement.credit_total_minor, cur), to_decimal(statement.closing_minor, cur)]
        for invoice, offer in offers:
            yield [invoice.currency, offer.until, _("Early-payment discount"), invoice.number, offer.text, None,
                   to_decimal(offer.discount_minor, invoice.currency), None]

    return Table(_("Statement"), columns, rows(), preamble=[[customer.code, customer.name]])


def notification_table(notifications) -> Table:
    columns = [Column(_("When"), DATETIME), Column(_("Subject"), width=32), Column(_("Message"), width=60),
               Column(_("Read at"), DATETIME)]
    rows = ([n.created_at, n.subject, n.body, n.read_at] for n in notifications.iterator(chunk_size=CHUNK))
    return Table(_("Notifications"), columns, rows)
