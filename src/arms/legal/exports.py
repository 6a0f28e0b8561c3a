"""Legal lists as export tables (``arms.web.exports``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATE, INT, Column, Table

CHUNK = 2000


def letter_table(letters) -> Table:
    columns = [Column(_("Date"), DATE), Column(_("Customer"), width=30), Column(_("Currency")),
               Column(_("Open amount"), AMOUNT), Column(_("Pay by"), DATE), Column(_("Review")),
               Column(_("Reviewed by")), Column(_("Comment"), width=40)]
    rows = ([a.as_of, a.customer.name, a.currency, to_decimal(a.open_minor, a.currency), a.deadline,
             a.get_review_status_display(), a.reviewed_by.get_username() if a.reviewed_by else "", a.review_note]
            for a in letters.iterator(chunk_size=CHUNK))
    return Table(_("Lawyer's letters for review"), columns, rows)


def case_table(cases) -> Table:
    columns = [Column(_("Case")), Column(_("Customer"), width=30), Column(_("Kind")),
               Column(_("Court or commission"), width=30), Column(_("Case number")), Column(_("Status")),
               Column(_("Currency")), Column(_("Claim amount"), AMOUNT), Column(_("Date filed"), DATE),
               Column(_("Recovered"), AMOUNT), Column(_("Costs (CNY)"), AMOUNT), Column(_("Invoices"), INT)]
    rows = ([c.reference, c.customer.name, c.get_kind_display(), c.forum, c.case_number, c.get_status_display(),
             c.currency, to_decimal(c.claim_minor, c.currency), c.filed_on, to_decimal(c.recovered_minor, c.currency),
             to_decimal(c.costs_minor, "CNY"), c.claim_count] for c in cases.iterator(chunk_size=CHUNK))
    return Table(_("Legal cases"), columns, rows)


def mandate_table(mandates) -> Table:
    columns = [Column(_("Agency"), width=30), Column(_("Customer"), width=30), Column(_("Handed over on"), DATE),
               Column(_("Fee share (basis points)"), INT), Column(_("Status")), Column(_("Currency")),
               Column(_("Collected"), AMOUNT),
               Column(_("Fee due"), AMOUNT)]
    rows = ([m.agency_name, m.customer.name, m.handed_over_on, m.fee_share_bp, m.get_status_display(), m.currency,
             to_decimal(m.collected_minor, m.currency), to_decimal(m.fee_due_minor, m.currency)]
            for m in mandates.iterator(chunk_size=CHUNK))
    return Table(_("Collection agency mandates"), columns, rows)


def settlement_table(settlements) -> Table:
    columns = [Column(_("Customer"), width=30), Column(_("Invoice")), Column(_("Currency")),
               Column(_("Interest waived"), AMOUNT), Column(_("Penalty waived"), AMOUNT),
               Column(_("Principal waived"), AMOUNT), Column(_("Status")), Column(_("Terms"), width=40)]
    rows = ([s.customer.name, s.invoice.number, s.currency, to_decimal(s.waived_interest_minor, s.currency),
             to_decimal(s.waived_penalty_minor, s.currency), to_decimal(s.waived_principal_minor, s.currency),
             s.get_status_display(), s.terms] for s in settlements.iterator(chunk_size=CHUNK))
    return Table(_("Settlement agreements"), columns, rows)


def asset_table(assets) -> Table:
    columns = [Column(_("Customer"), width=30), Column(_("Kind")), Column(_("Description"), width=40),
               Column(_("Location or registry"), width=30), Column(_("Estimated value (CNY)"), AMOUNT),
               Column(_("Encumbrances"), width=30), Column(_("Source")), Column(_("Date of the fact"), DATE)]
    rows = ([a.customer.name, a.get_kind_display(), a.description, a.location,
             to_decimal(a.estimated_value_minor, "CNY"), a.encumbrances, a.source, a.fact_date]
            for a in assets.iterator(chunk_size=CHUNK))
    return Table(_("Debtor assets"), columns, rows)
