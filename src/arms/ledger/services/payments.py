"""payment_record and payment_reverse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.bounds import date_check
from arms.common.errors import ValidationFailed
from arms.common.locks import invoices_qs_for_update, lock_customer, payment_qs_for_update
from arms.common.services import idempotent, sequence_next
from arms.domain import journal as postings
from arms.ledger.enums import BILL_METHODS, PAYMENT_METHOD_CODES, EntryKind, PaymentMethod, PaymentStatus
from arms.ledger.errors import AlreadyReversed
from arms.ledger.models import JournalEntry, Payment
from arms.ledger.seal import journal_seals
from arms.ledger.services.allocations import auto_allocate_locked, reverse_allocations_locked
from arms.ledger.services.common import (
    bookable_or_error,
    create_numbered,
    currency_or_error,
    duplicate_number,
    not_negative_or_error,
    positive_or_error,
)
from arms.ledger.services.fx import exchange_rate_on, to_base
from arms.ledger.services.journal import entry_lines, journal_write

if TYPE_CHECKING:
    from arms.common.typing import Actor, JsonDict
    from arms.contracts.models import Contract
    from arms.customers.models import Customer


def payment_snapshot(payment: Payment) -> JsonDict:
    snapshot = {
        "number": payment.number,
        "customer": payment.customer_id,
        "received_date": payment.received_date,
        "currency": payment.currency,
        "amount_minor": payment.amount_minor,
        "amount_unallocated_minor": payment.amount_unallocated_minor,
        "method": payment.method,
        "status": payment.status,
        "bill_number": payment.bill_number,
        "bill_maturity_date": payment.bill_maturity_date,
        "bank_reference": payment.bank_reference,
    }
    if payment.charge_minor:  # a bank charge the payer deducted (cash application's short payments)
        snapshot["charge_minor"] = payment.charge_minor
    if payment.contract_id:  # the deposit for a contract
        snapshot["contract"] = payment.contract_id
    return snapshot


def payment_payload(*, customer: Customer, received_date: date, amount_minor: int, currency: str | None, method: str,
                    number: str | None, bill_number: str, bill_maturity_date: date | None, payer_name: str,
                    bank_reference: str, auto_allocate: bool, charge_minor: int,
                    contract: Contract | None) -> JsonDict:
    """What an idempotency key of ``payment.record`` stands for (the single and the bulk path)."""
    return {
        "customer": customer.pk, "date": received_date, "amount": amount_minor, "currency": currency,
        "method": method, "number": number, "bill": bill_number, "maturity": bill_maturity_date,
        "payer": payer_name, "ref": bank_reference, "auto": auto_allocate, "charge": charge_minor,
        **({"contract": contract.pk} if contract is not None else {}),
    }


def payment_checked(locked: Customer, *, received_date: date, amount_minor: int, currency: str | None, method: str,
                    bill_number: str, bill_maturity_date: date | None, charge_minor: int,
                    contract: Contract | None) -> str:
    """Every rule a payment must pass before it is numbered, for the locked customer (the single and the bulk
    path); returns its currency."""
    date_check(received_date, field="received_date")
    date_check(bill_maturity_date, field="bill_maturity_date")
    positive_or_error(amount_minor, "amount_minor")
    not_negative_or_error(charge_minor, "charge_minor")
    if charge_minor >= amount_minor:
        raise ValidationFailed(_("The bank charge must be less than the amount."), field="charge_minor")
    if charge_minor and method in BILL_METHODS:
        raise ValidationFailed(_("An acceptance bill has no bank charge."), field="charge_minor")
    pay_currency = currency_or_error(currency or locked.currency)
    if method not in PAYMENT_METHOD_CODES:
        raise ValidationFailed(_("Unknown payment method %(method)s.") % {"method": method}, field="method")
    if method in BILL_METHODS:
        if bill_maturity_date is None:
            raise ValidationFailed(_("An acceptance bill needs its maturity date."), field="bill_maturity_date")
        if bill_maturity_date < received_date:
            raise ValidationFailed(
                _("The bill cannot mature before it was received."), field="bill_maturity_date"
            )
        if not bill_number.strip():
            raise ValidationFailed(_("An acceptance bill needs its number."), field="bill_number")
    if contract is not None:
        if contract.customer_id != locked.pk:
            raise ValidationFailed(_("The contract belongs to another customer: a deposit is the contract "
                                     "customer's money."), field="contract")
        if contract.currency != pay_currency:
            raise ValidationFailed(_("A deposit is paid in the contract's currency (%(currency)s).") % {
                "currency": contract.currency}, field="contract")
    return pay_currency


def payment_base_amounts(*, amount_minor: int, charge_minor: int, currency: str, rate: Decimal) -> tuple[int, int]:
    """(amount, bank charge) in the base currency at ``rate``; refuses a payment worth less than a fen."""
    amount_base = bookable_or_error(to_base(amount_minor, currency, rate), minor=amount_minor,
                                    currency=currency, field="amount_minor")
    charge_base = to_base(charge_minor, currency, rate)
    if charge_base >= amount_base:
        raise ValidationFailed(_("The bank charge must be less than the amount."), field="charge_minor")
    return amount_base, charge_base


def payment_memo(number: str) -> str:
    return payment_memos()(number)


def payment_memos() -> Callable[[str], str]:
    """``payment_memo`` for many numbers: the memo translated once, formatted per number (the bulk path)."""
    template = _("Payment %(number)s")
    return lambda number: template % {"number": number}


@transaction.atomic
def payment_record(
    *,
    actor: Actor,
    customer: Customer,
    received_date: date,
    amount_minor: int,
    currency: str | None = None,
    method: str = PaymentMethod.BANK_TRANSFER,
    number: str | None = None,
    bill_number: str = "",
    bill_maturity_date: date | None = None,
    payer_name: str = "",
    bank_reference: str = "",
    auto_allocate: bool = False,
    idempotency_key: str | None = None,
    # the part of amount_minor the payer's bank deducted (or a cash discount): the bank received the rest, the
    # charge is booked to 6603 财务费用 on its own journal line, and the whole amount settles invoices
    charge_minor: int = 0,
    # the contract this money is the deposit (保证金/预付款) for: the same customer and currency; it sits as unapplied
    # cash (2203) like any advance, and counts towards the deposit the contract's first invoice waits for
    contract: Contract | None = None,
) -> Payment:
    """Record money received. It starts as unapplied cash; ``auto_allocate`` settles the open item equal to
    the amount, else the oldest items first."""
    payload = payment_payload(
        customer=customer, received_date=received_date, amount_minor=amount_minor, currency=currency, method=method,
        number=number, bill_number=bill_number, bill_maturity_date=bill_maturity_date, payer_name=payer_name,
        bank_reference=bank_reference, auto_allocate=auto_allocate, charge_minor=charge_minor, contract=contract)

    def create() -> Payment:
        locked = lock_customer(customer.pk)
        pay_currency = payment_checked(
            locked, received_date=received_date, amount_minor=amount_minor, currency=currency, method=method,
            bill_number=bill_number, bill_maturity_date=bill_maturity_date, charge_minor=charge_minor,
            contract=contract)
        doc_number = (number or "").strip() or sequence_next(company=locked.company, series="RCV")
        duplicate_number(Payment, company=locked.company, number=doc_number, label=_("Payment"))
        rate = exchange_rate_on(pay_currency, received_date)
        amount_base, charge_base = payment_base_amounts(amount_minor=amount_minor, charge_minor=charge_minor,
                                                        currency=pay_currency, rate=rate)
        payment = create_numbered(
            Payment, constraint="payment_number_unique_per_company", label=_("Payment"),
            company=locked.company, customer=locked, number=doc_number, received_date=received_date,
            currency=pay_currency, amount_minor=amount_minor, amount_unallocated_minor=amount_minor,
            method=method, bill_number=bill_number.strip(), bill_maturity_date=bill_maturity_date,
            payer_name=payer_name, bank_reference=bank_reference, fx_rate=rate, amount_base_minor=amount_base,
            charge_minor=charge_minor, charge_base_minor=charge_base, posted_by=user_or_none(actor),
            contract=contract,
        )
        entry = journal_write(
            company=locked.company, customer=locked, on=received_date, kind=EntryKind.PAYMENT, payment=payment,
            lines=postings.payment_lines(amount=amount_base, to_notes=method in BILL_METHODS, charge=charge_base),
            actor=actor,
            memo=payment_memo(doc_number),
        )
        audit_record(actor=actor, action=AuditAction.PAYMENT_RECORDED, subject=payment, after=payment_snapshot(payment),
                     seals=journal_seals(entry))
        if auto_allocate:
            auto_allocate_locked(actor=actor, customer=locked, payment_id=payment.pk, on=received_date)
            payment.refresh_from_db()
        return payment

    payment, _created = idempotent(
        scope="payment.record", key=idempotency_key, payload=payload, model=Payment, create=create
    )
    return payment


@transaction.atomic
def payment_reverse(*, actor: Actor, payment: Payment, reason: str, on: date | None = None) -> Payment:
    """Reverse a payment (bounced, wrong customer): undo its allocations, then the receipt itself."""
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the payment is reversed."), field="reason")
    customer = lock_customer(payment.customer_id)
    invoice_ids = sorted(
        payment.allocations.filter(reverses__isnull=True, reversed_by__isnull=True).values_list("invoice_id", flat=True)
    )

    list(invoices_qs_for_update(invoice_ids))
    locked: Payment = payment_qs_for_update().get(pk=payment.pk)
    if locked.status == PaymentStatus.REVERSED:
        raise AlreadyReversed(
            _("Payment %(number)s is already reversed.") % {"number": locked.number}, field="payment"
        )
    live = list(locked.allocations.filter(reverses__isnull=True, reversed_by__isnull=True).order_by("pk"))
    last_allocated = max((allocation.date for allocation in live), default=locked.received_date)
    on = date_check(on or max(timezone.localdate(), locked.received_date, last_allocated), field="date")
    if on < locked.received_date:
        raise ValidationFailed(_("A reversal cannot predate the payment."), field="date")
    if on < last_allocated:
        raise ValidationFailed(
            _("The payment is allocated on %(date)s; its reversal cannot be earlier.") % {"date": last_allocated},
            field="date",
        )
    before = payment_snapshot(locked)
    reverse_allocations_locked(actor=actor, customer=customer, allocations=live, on=on, reason=reason.strip())
    locked.refresh_from_db()
    original = JournalEntry.objects.get(payment=locked, kind=EntryKind.PAYMENT)
    locked.status = PaymentStatus.REVERSED
    locked.amount_unallocated_minor = 0
    locked.reversed_at = timezone.now()
    locked.reversal_date = on
    locked.reversal_reason = reason.strip()
    locked.save(update_fields=["status", "amount_unallocated_minor", "reversed_at", "reversal_date", "reversal_reason"])
    entry = journal_write(
        company=customer.company, customer=customer, on=on, kind=EntryKind.PAYMENT_REVERSAL, payment=locked,
        lines=postings.reversed_lines(entry_lines(original)), actor=actor,
        memo=_("Reversal of payment %(number)s") % {"number": locked.number},
    )
    audit_record(actor=actor, action=AuditAction.PAYMENT_REVERSED, subject=locked, before=before,
                 after={**payment_snapshot(locked), "reason": locked.reversal_reason}, seals=journal_seals(entry))
    return locked
