"""The confirmation lists as Excel/CSV, through the one export helper (``arms.web.exports``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table

CHUNK = 2000


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def run_table(runs) -> Table:
    columns = [Column(_("Period end"), DATE), Column(_("Status")), Column(_("Customers"), INT),
               Column(_("Prepared"), INT), Column(_("Sent"), INT), Column(_("Confirmed"), INT),
               Column(_("Disputed"), INT), Column(_("Started at"), DATETIME), Column(_("Started by"))]
    rows = ([r.period_end, r.get_status_display(), r.customer_count, r.prepared_count, r.sent_count,
             r.confirmed_count, r.disputed_count, r.created_at, _name(r.created_by)] for r in runs)
    return Table(_("Confirmation runs"), columns, rows)


def confirmation_list_table(confirmations) -> Table:
    columns = [Column(_("Period end"), DATE), Column(_("Customer code")), Column(_("Customer"), width=32),
               Column(_("Frequency")), Column(_("Currency")), Column(_("Opening balance"), AMOUNT),
               Column(_("Closing balance"), AMOUNT), Column(_("Status")), Column(_("Sent at"), DATETIME),
               Column(_("Answered at"), DATETIME), Column(_("Answer channel")), Column(_("Reminders"), INT),
               Column(_("SHA-256"), width=66)]
    rows = ([c.period_end, c.customer.code, c.customer.name, c.get_frequency_display(), c.currency,
             to_decimal(c.opening_minor, c.currency), to_decimal(c.closing_minor, c.currency),
             c.get_status_display(), c.sent_at, c.answered_at, c.get_answer_channel_display(), c.reminder_count,
             c.sha256] for c in confirmations.iterator(chunk_size=CHUNK))
    return Table(_("Balance confirmations"), columns, rows)


def difference_table(differences) -> Table:
    columns = [Column(_("Deadline"), DATE), Column(_("Raised on"), DATE), Column(_("Customer code")),
               Column(_("Customer"), width=32), Column(_("Period end"), DATE), Column(_("Invoice")),
               Column(_("Kind")), Column(_("Currency")), Column(_("Amount"), AMOUNT),
               Column(_("Their explanation"), width=40), Column(_("Owner")), Column(_("Status")),
               Column(_("Resolution")), Column(_("Explanation"), width=40)]
    rows = ([d.deadline, d.raised_on, d.customer.code, d.customer.name, d.confirmation.period_end,
             d.invoice.number if d.invoice_id else "", d.get_kind_display(), d.currency,
             to_decimal(d.amount_minor, d.currency), d.description, _name(d.owner), d.get_status_display(),
             d.get_resolution_display(), d.explanation] for d in differences.iterator(chunk_size=CHUNK))
    return Table(_("Confirmation differences"), columns, rows)
