"""Bank lists as export tables (``arms.web.exports``): accounts, statements and a statement's lines."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table

CHUNK = 2000


def _amount(minor: int | None, currency: str):
    return None if minor is None else to_decimal(minor, currency)


def account_table(accounts) -> Table:
    columns = [Column(_("Name")), Column(_("Bank")), Column(_("Branch"), width=24),
               Column(_("Account number"), width=24), Column(_("Currency")), Column(_("Ledger sub-account")),
               Column(_("Export layout")), Column(_("Active"))]
    rows = ([a.name, a.bank, a.branch, a.account_number, a.currency, a.ledger_account, a.profile_key,
             _("Yes") if a.active else _("No")] for a in accounts.iterator(chunk_size=CHUNK))
    return Table(_("Bank accounts"), columns, rows)


def statement_table(statements) -> Table:
    columns = [Column(_("Imported at"), DATETIME), Column(_("Bank account")), Column(_("Account number"), width=24),
               Column(_("File"), width=30), Column(_("Format")), Column(_("From"), DATE), Column(_("To"), DATE),
               Column(_("Currency")), Column(_("Opening balance"), AMOUNT), Column(_("Closing balance"), AMOUNT),
               Column(_("Gap"), AMOUNT), Column(_("Lines in file"), INT), Column(_("New lines"), INT),
               Column(_("Lines seen before"), INT)]
    rows = ([s.imported_at, s.account.name, s.account.account_number, s.filename, s.format, s.first_date,
             s.last_date, s.account.currency, _amount(s.opening_balance_minor, s.account.currency),
             _amount(s.closing_balance_minor, s.account.currency), _amount(s.gap_minor, s.account.currency),
             s.lines_in_file, s.lines_new, s.lines_seen] for s in statements.iterator(chunk_size=CHUNK))
    return Table(_("Bank statements"), columns, rows)


def line_table(lines) -> Table:
    columns = [Column(_("Booked on"), DATE), Column(_("Value date"), DATE), Column(_("Bank reference"), width=22),
               Column(_("Payer"), width=30), Column(_("Payer account"), width=22), Column(_("Payer bank"), width=24),
               Column(_("Remittance text"), width=40), Column(_("Currency")), Column(_("Amount"), AMOUNT),
               Column(_("Balance after"), AMOUNT), Column(_("Status")), Column(_("Line in file"), INT)]
    rows = ([ln.booking_date, ln.value_date, ln.bank_reference, ln.counterparty_name, ln.counterparty_account,
             ln.counterparty_bank, ln.remittance, ln.currency, to_decimal(ln.amount_minor, ln.currency),
             _amount(ln.balance_after_minor, ln.currency), ln.get_status_display(), ln.source_line]
            for ln in lines.iterator(chunk_size=CHUNK))
    return Table(_("Statement lines"), columns, rows)
