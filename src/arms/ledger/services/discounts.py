"""Early-payment discounts (现金折扣): the terms fixed on an invoice at posting, and the discount credit note granted
when money received inside the window settles the invoice.

One place grants the discount: ``discount_grant_locked``, called by the allocation service for every line it
allocates from a payment (manual allocation, ``payment_auto_allocate``, automatic and manual cash application and an
approved allocation all pass there). The rule is ``arms.domain.discount.discount_earned``: the payment was received on
or before the invoice's discount date and what it left open is no more than the discount; then a credit note of kind
DISCOUNT for exactly what is left settles the invoice, journal Dr 6603 财务费用 / Cr 1122 at the invoice's rate.
Revenue and output VAT are not reduced: a cash discount is a finance cost, not a sales allowance, and does not
reduce the VAT base in China.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common import hooks
from arms.common.actors import user_or_none
from arms.common.errors import ValidationFailed
from arms.common.services import sequence_next
from arms.contracts.models import Contract
from arms.domain import journal as postings
from arms.domain.discount import WHOLE_BP, discount_earned, percent_text
from arms.domain.discount import discount_until as window_end
from arms.ledger.enums import EntryKind
from arms.ledger.models import Allocation, CreditNote, CreditNoteKind, Invoice, Payment
from arms.ledger.seal import journal_seals
from arms.ledger.services.common import create_numbered, receivable_relieved
from arms.ledger.services.journal import journal_write

if TYPE_CHECKING:
    from arms.common.typing import Actor
    from arms.customers.models import Customer


#: ``discount_terms_for(policy=...)`` not given: the customer's policy is read through the hook.
POLICY_UNREAD: Any = object()


def customer_discount_policy(customer: Customer) -> tuple[int, int] | None:
    """The customer's credit policy's early-payment discount as ``(basis points, days)`` (the ``ledger.discount_terms``
    hook), or None. The bulk path reads it once per customer and hands it to ``discount_terms_for``."""
    for terms in hooks.run(hooks.DISCOUNT_TERMS, customer=customer):
        if terms:
            points, days = terms
            return int(points), int(days)
    return None


def customer_discount_policies(customers: list[Customer]) -> dict[int, tuple[int, int] | None]:
    """``customer_discount_policy`` of many customers in one read (the ``ledger.discount_terms_many`` hook)."""
    found: dict[int, tuple[int, int]] = {}
    for terms in hooks.run(hooks.DISCOUNT_TERMS_MANY, customer_ids=[customer.pk for customer in customers]):
        for customer_id, (points, days) in terms.items():
            found.setdefault(customer_id, (int(points), int(days)))
    return {customer.pk: found.get(customer.pk) for customer in customers}


def discount_terms_for(*, customer: Customer, contract: Contract | None, issue_date: date, due_date: date,
                       basis_points: int | None = None, until: date | None = None,
                       policy: tuple[int, int] | None = POLICY_UNREAD) -> tuple[int, date | None]:
    """The discount an invoice is posted with, as ``(basis points, last day)``: given explicitly (bounded: 0..10000
    basis points, a day from the issue date to the due date), else the contract's when it has one, else the
    customer's credit policy's (``policy`` when the caller read it already: ``customer_discount_policy``), else
    none."""
    if basis_points is not None or until is not None:
        if basis_points is None or isinstance(basis_points, bool) or not 0 <= basis_points <= WHOLE_BP:
            raise ValidationFailed(_("The discount is 0 to 10000 basis points of the gross (200 = 2%)."),
                                   field="discount_bp")
        if basis_points == 0:
            return 0, None
        if until is None:
            raise ValidationFailed(_("Give the last day on which paying earns the discount."), field="discount_until")
        if until < issue_date or until > due_date:
            raise ValidationFailed(_("The discount date falls between the issue date and the due date."),
                                   field="discount_until")
        return basis_points, until
    if contract is not None and contract.discount_pct > 0:
        return int(contract.discount_pct * 100), window_end(issue_date, due_date, contract.discount_days)
    if policy is POLICY_UNREAD:
        policy = customer_discount_policy(customer)
    if policy is not None:
        points, days = policy
        return points, window_end(issue_date, due_date, days)
    return 0, None


def discount_grant_locked(*, actor: Actor, customer: Customer, invoice: Invoice, payment: Payment,
                          on: date) -> CreditNote | None:
    """After ``payment`` was allocated to ``invoice`` (both locked by the caller): grant the early-payment discount
    when the payment earned it, as a DISCOUNT credit note dated ``on`` for what is left open. None when not earned."""
    amount = discount_earned(gross=invoice.gross_minor, basis_points=invoice.discount_bp, until=invoice.discount_until,
                             received=payment.received_date, open_after=invoice.amount_open_minor)
    if not amount:
        return None
    receivable = receivable_relieved(invoice, open_after=invoice.amount_open_minor - amount)
    if receivable <= 0:  # a few won worth less than a fen: nothing to book, the item stays open for a clerk
        return None
    number = sequence_next(company=customer.company, series="CN")
    note = create_numbered(
        CreditNote, constraint="credit_note_number_unique_per_company", label=_("Credit note"),
        company=customer.company, customer=customer, invoice=invoice, number=number, date=on,
        currency=invoice.currency, net_minor=amount, tax_minor=0, gross_minor=amount, fx_rate=invoice.fx_rate,
        gross_base_minor=receivable, net_base_minor=receivable, tax_base_minor=0, kind=CreditNoteKind.DISCOUNT,
        reason=(_("Early-payment discount %(percent)s%% for payment %(payment)s received by %(until)s")
                % {"percent": percent_text(invoice.discount_bp), "payment": payment.number,
                   "until": invoice.discount_until})[:300],
        posted_by=user_or_none(actor),
    )
    allocation = Allocation.objects.create(
        company=customer.company, invoice=invoice, credit_note=note, amount_minor=amount, date=on,
        receivable_base_minor=receivable, cash_base_minor=0, created_by=user_or_none(actor),
    )
    before_open = invoice.amount_open_minor
    invoice.amount_open_minor -= amount
    invoice.save(update_fields=["amount_open_minor"])
    entry = journal_write(
        company=customer.company, customer=customer, on=on, kind=EntryKind.CREDIT_NOTE, credit_note=note,
        invoice=invoice, allocation=allocation, actor=actor, lines=postings.discount_lines(receivable=receivable),
        memo=_("Early-payment discount %(number)s on %(invoice)s") % {"number": number, "invoice": invoice.number},
    )
    audit_record(
        actor=actor, action=AuditAction.DISCOUNT_GRANTED, subject=note,
        before={"invoice": invoice.number, "invoice_open_minor": before_open},
        after={"invoice": invoice.number, "payment": payment.number, "credit_note": number, "amount_minor": amount,
               "discount_bp": invoice.discount_bp, "discount_until": invoice.discount_until,
               "received": payment.received_date, "invoice_open_minor": invoice.amount_open_minor},
        seals=journal_seals(entry),
    )
    return note
