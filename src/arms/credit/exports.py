"""Credit lists as export tables (``arms.web.exports``): credit files (grade, score, limit) and limit requests."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATE, DATETIME, INT, Column, Table
from arms.web.templatetags.arms_web import person

CHUNK = 2000


def _name(user) -> str:
    return person(user) if user is not None else ""


def credit_file_table(customers) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=32), Column(_("Grade")), Column(_("Score"), INT),
               Column(_("Prepayment only")), Column(_("Currency")), Column(_("Credit limit"), AMOUNT),
               Column(_("Payment terms (days)"), INT), Column(_("Next review"), DATE), Column(_("Salesperson"))]

    def rows():
        for customer in customers.iterator(chunk_size=CHUNK):
            profile = getattr(customer, "credit_profile", None)
            if profile is None:
                yield [customer.code, customer.name, "", None, "", customer.currency, None, None, None,
                       _name(customer.salesperson)]
                continue
            yield [customer.code, customer.name, profile.grade, profile.score,
                   _("Yes") if profile.prepayment_only else "", profile.currency,
                   None if profile.limit_minor is None else to_decimal(profile.limit_minor, profile.currency),
                   profile.payment_terms_days, profile.next_review_on, _name(customer.salesperson)]

    return Table(_("Credit files"), columns, rows())


def limit_request_table(requests) -> Table:
    columns = [Column("#", INT, width=8), Column(_("Customer code")), Column(_("Customer"), width=32),
               Column(_("Source")), Column(_("Status")), Column(_("Currency")), Column(_("Before"), AMOUNT),
               Column(_("Requested"), AMOUNT), Column(_("Justification"), width=40), Column(_("Requested by")),
               Column(_("Requested at"), DATETIME), Column(_("Credit manager")), Column(_("Finance manager")),
               Column(_("Decided at"), DATETIME), Column(_("Decision note"), width=30)]
    rows = ([r.pk, r.customer.code, r.customer.name, r.get_source_display(), r.get_status_display(), r.currency,
             None if r.current_limit_minor is None else to_decimal(r.current_limit_minor, r.currency),
             to_decimal(r.requested_limit_minor, r.currency), r.justification, _name(r.requested_by), r.requested_at,
             _name(r.credit_approved_by), _name(r.finance_approved_by), r.decided_at, r.decision_note]
            for r in requests.iterator(chunk_size=CHUNK))
    return Table(_("Credit limit requests"), columns, rows)


def guarantee_table(guarantees) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=32), Column(_("Guarantor"), width=28),
               Column(_("Guarantee type")), Column(_("Currency")), Column(_("Amount"), AMOUNT),
               Column(_("Valid from"), DATE), Column(_("Expires on"), DATE), Column(_("Reference")),
               Column(_("Contract")), Column(_("Status")), Column(_("Note"), width=40)]
    rows = ([g.customer.code, g.customer.name, g.guarantor, g.get_kind_display(), g.currency,
             to_decimal(g.amount_minor, g.currency), g.valid_from, g.expiry_date, g.reference,
             g.contract.number if g.contract_id else "", g.get_status_display(), g.note]
            for g in guarantees.iterator(chunk_size=CHUNK))
    return Table(_("Guarantees"), columns, rows)
