"""The workbench's lists as export tables (``arms.web.exports``): statement lines, learned payers, unapplied cash
and the bank reconciliation. Each streams every row of its filtered queryset."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from arms.bank import selectors
from arms.bank.enums import LineStatus
from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table
from arms.web.templatetags.arms_web import person

CHUNK = 2000


def line_table(lines) -> Table:
    columns = [Column(_("Booked on"), DATE), Column(_("Bank account")), Column(_("Bank reference")),
               Column(_("Payer"), width=32), Column(_("Payer account")), Column(_("Remittance text"), width=40),
               Column(_("Currency")), Column(_("Amount"), AMOUNT), Column(_("Status")), Column(_("Confidence"), INT),
               Column(_("Customer code")), Column(_("Customer"), width=32)]
    rows = ([line.booking_date, line.account.name, line.bank_reference, line.counterparty_name,
             line.counterparty_account, line.remittance, line.currency, to_decimal(line.amount_minor, line.currency),
             LineStatus(line.status).label if line.status in LineStatus.values else line.status,
             line.confidence if line.status not in (LineStatus.NEW, LineStatus.IGNORED) else None,
             line.customer.code if line.customer_id else "", line.customer.name if line.customer_id else ""]
            for line in lines.iterator(chunk_size=CHUNK))
    return Table(_("Bank statement lines"), columns, rows)


def alias_table(aliases) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=32), Column(_("Kind")),
               Column(_("Payer account or name"), width=32), Column(_("Learned at"), DATETIME),
               Column(_("Confirmed by"))]
    rows = ([a.customer.code, a.customer.name, a.get_kind_display(), a.value, a.created_at,
             person(a.created_by) if a.created_by_id else ""] for a in aliases.iterator(chunk_size=CHUNK))
    return Table(_("Learned payers"), columns, rows)


def unapplied_table(payments, *, today: date, bucket_label) -> Table:
    columns = [Column(_("Receipt")), Column(_("Customer code")), Column(_("Customer"), width=32),
               Column(_("Received on"), DATE), Column(_("Days since received"), INT), Column(_("Age")),
               Column(_("Bank reference")), Column(_("Payer")), Column(_("Currency")), Column(_("Amount"), AMOUNT),
               Column(_("Unapplied"), AMOUNT)]

    def rows():
        for p in payments.iterator(chunk_size=CHUNK):
            age = selectors.age_in_days(p.received_date, today)
            yield [p.number, p.customer.code, p.customer.name, p.received_date, age, bucket_label(age),
                   p.bank_reference, p.payer_name, p.currency, to_decimal(p.amount_minor, p.currency),
                   to_decimal(p.amount_unallocated_minor, p.currency)]

    return Table(_("Unapplied cash"), columns, rows())


def reconciliation_table(rec, bank_only, book_only) -> Table:
    """The 银行余额调节表: the figures first, then one row per item explaining the difference."""
    cur = rec.currency
    columns = [Column(_("Side")), Column(_("Date"), DATE), Column(_("Reference"), width=20),
               Column(_("Counterparty"), width=32), Column(_("Description"), width=40), Column(_("Amount"), AMOUNT)]
    preamble = [
        [_("Bank account"), f"{rec.account.name} {rec.account.account_number}"],
        [_("As of"), rec.on.isoformat()],
        [_("Statement balance"), to_decimal(rec.statement_balance_minor, cur)],
        [_("Add: in the books, not yet in the bank"), to_decimal(rec.book_only_minor, cur)],
        [_("Adjusted statement balance"), to_decimal(rec.adjusted_statement_minor, cur)],
        [_("Book balance"), to_decimal(rec.book_balance_minor, "CNY")],
        [_("Add: in the bank, not yet in the books"), to_decimal(rec.bank_only_minor, cur)],
        [_("Adjusted book balance"), to_decimal(rec.adjusted_book_minor, cur)],
        [_("Unexplained difference"), to_decimal(rec.unexplained_minor, cur)],
    ]

    def rows():
        bank_side, book_side = _("In the bank, not in the books"), _("In the books, not in the bank")
        for line in bank_only.iterator(chunk_size=CHUNK):
            yield [bank_side, line.booking_date, line.bank_reference, line.counterparty_name, line.remittance,
                   to_decimal(line.amount_minor, line.currency)]
        for item in selectors.book_only_items(book_only.iterator(chunk_size=CHUNK)):
            yield [book_side, item.date, "", item.customer_name, item.memo, to_decimal(item.amount_minor, "CNY")]

    return Table(_("Bank reconciliation"), columns, rows(), preamble=preamble)
