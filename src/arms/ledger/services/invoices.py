"""invoice_post and credit_note_post."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common import hooks
from arms.common.actors import user_or_none
from arms.common.bounds import amount_check, date_check
from arms.common.errors import ValidationFailed
from arms.common.locks import invoices_qs_for_update, lock_customer
from arms.common.services import idempotent, sequence_next
from arms.contracts.models import Contract, ContractStatus
from arms.customers.enums import CustomerStatus
from arms.domain import journal as postings
from arms.domain.money import format_money
from arms.ledger.enums import EntryKind
from arms.ledger.errors import CurrencyMismatch, OverAllocation
from arms.ledger.models import Allocation, CreditNote, Invoice
from arms.ledger.seal import journal_seals
from arms.ledger.services.common import (
    bookable_or_error,
    create_numbered,
    currency_or_error,
    duplicate_number,
    not_negative_or_error,
    receivable_relieved,
)
from arms.ledger.services.discounts import POLICY_UNREAD, discount_terms_for
from arms.ledger.services.fx import exchange_rate_on, to_base
from arms.ledger.services.journal import journal_write

if TYPE_CHECKING:
    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Customer


def invoice_snapshot(invoice: Invoice) -> JsonDict:
    return {
        "number": invoice.number,
        "customer": invoice.customer_id,
        "contract": invoice.contract_id,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "currency": invoice.currency,
        "net_minor": invoice.net_minor,
        "tax_minor": invoice.tax_minor,
        "gross_minor": invoice.gross_minor,
        "amount_open_minor": invoice.amount_open_minor,
        "gross_base_minor": invoice.gross_base_minor,
        "vat_invoice_number": invoice.vat_invoice_number,
        "discount_bp": invoice.discount_bp,
        "discount_until": invoice.discount_until,
    }


def invoice_payload(*, customer: Customer, issue_date: date, net_minor: int, tax_minor: int, number: str | None,
                    due_date: date | None, currency: str | None, contract: Contract | None, vat_invoice_number: str,
                    description: str, discount_bp: int | None, discount_until: date | None) -> JsonDict:
    """What an idempotency key of ``invoice.post`` stands for (the single and the bulk path)."""
    return {
        "customer": customer.pk, "issue_date": issue_date, "net": net_minor, "tax": tax_minor, "number": number,
        "due_date": due_date, "currency": currency, "contract": contract.pk if contract else None,
        "vat": vat_invoice_number, "description": description, "discount_bp": discount_bp,
        "discount_until": discount_until,
    }


@dataclass(frozen=True)
class InvoiceTerms:
    """What ``invoice_checked`` decided for an invoice: gross, currency, due date and the discount fixed now."""

    gross: int
    currency: str
    due: date
    discount_bp: int
    discount_until: date | None


def invoice_checked(locked: Customer, *, issue_date: date, net_minor: int, tax_minor: int, due_date: date | None,
                    currency: str | None, contract: Contract | None, discount_bp: int | None,
                    discount_until: date | None, discount_policy: tuple[int, int] | None = POLICY_UNREAD
                    ) -> InvoiceTerms:
    """Every rule an invoice must pass before it is numbered, for the locked customer (the single and the bulk
    path): amounts, dates, the customer active, the contract's, the due date from the terms, the discount
    (``discount_policy``: the customer's policy discount when the caller read it once for many invoices)."""
    date_check(issue_date, field="issue_date")
    date_check(due_date, field="due_date")
    not_negative_or_error(net_minor, "net_minor")
    not_negative_or_error(tax_minor, "tax_minor")
    gross = amount_check(net_minor + tax_minor, field="tax_minor")
    if gross <= 0:
        raise ValidationFailed(_("An invoice must be for more than zero."), field="net_minor")
    if locked.status == CustomerStatus.INACTIVE:
        raise ValidationFailed(_("Customer %(code)s is inactive.") % {"code": locked.code}, field="customer")
    inv_currency = currency_or_error(currency or (contract.currency if contract else locked.currency))
    terms = locked.payment_terms
    if contract is not None:
        if contract.customer_id != locked.pk:
            raise ValidationFailed(_("The contract belongs to another customer."), field="contract")
        if contract.status != ContractStatus.ACTIVE:
            raise ValidationFailed(_("Only an active contract can be invoiced."), field="contract")
        if contract.currency != inv_currency:
            raise CurrencyMismatch(_("The invoice currency differs from the contract's."), field="currency")
        terms = contract.payment_terms
    try:
        due = date_check(due_date or terms.due_date(issue_date), field="due_date")
    except OverflowError:
        raise ValidationFailed(_("The due date would fall after the year 9999."), field="issue_date") from None
    if due < issue_date:
        raise ValidationFailed(_("The due date cannot be before the issue date."), field="due_date")
    date_check(discount_until, field="discount_until")
    bp, until = discount_terms_for(customer=locked, contract=contract, issue_date=issue_date, due_date=due,
                                   basis_points=discount_bp, until=discount_until, policy=discount_policy)
    return InvoiceTerms(gross, inv_currency, due, bp, until)


def invoice_base_amounts(*, gross: int, net_minor: int, currency: str, rate: Decimal) -> tuple[int, int]:
    """(gross, net) in the base currency at ``rate``; refuses an invoice worth less than a fen."""
    gross_base = bookable_or_error(to_base(gross, currency, rate), minor=gross, currency=currency, field="net_minor")
    return gross_base, to_base(net_minor, currency, rate)


def invoice_exposure_check(*, locked: Customer, actor: Actor, terms: InvoiceTerms, issue_date: date, number: str,
                           contract: Contract | None) -> None:
    """The credit check (``exposure.increase``) for an invoice about to be written; the customer is locked."""
    hooks.run(hooks.EXPOSURE_INCREASE, customer=locked, amount_minor=terms.gross, currency=terms.currency,
              document_kind="invoice", document_ref=number, user=actor, contract=contract,
              payment_terms_days=(terms.due - issue_date).days)


@transaction.atomic
def invoice_post(
    *,
    actor: Actor,
    customer: Customer,
    issue_date: date,
    net_minor: int,
    tax_minor: int,
    number: str | None = None,
    due_date: date | None = None,
    currency: str | None = None,
    contract: Contract | None = None,
    vat_invoice_number: str = "",
    description: str = "",
    idempotency_key: str | None = None,
    discount_bp: int | None = None,
    discount_until: date | None = None,
) -> Invoice:
    """Post an invoice: it is open for its gross amount and debits receivables. Never edited afterwards.

    Its early-payment discount is fixed now: ``discount_bp``/``discount_until`` when given, else the contract's,
    else the customer's credit policy's (``arms.ledger.services.discounts.discount_terms_for``).
    ``arms.ledger.services.bulk.invoices_post_bulk`` posts many with the same rules."""
    payload = invoice_payload(
        customer=customer, issue_date=issue_date, net_minor=net_minor, tax_minor=tax_minor, number=number,
        due_date=due_date, currency=currency, contract=contract, vat_invoice_number=vat_invoice_number,
        description=description, discount_bp=discount_bp, discount_until=discount_until)

    def create() -> Invoice:
        locked = lock_customer(customer.pk)
        terms = invoice_checked(locked, issue_date=issue_date, net_minor=net_minor, tax_minor=tax_minor,
                                due_date=due_date, currency=currency, contract=contract, discount_bp=discount_bp,
                                discount_until=discount_until)
        doc_number = (number or "").strip() or sequence_next(company=locked.company, series="INV")
        duplicate_number(Invoice, company=locked.company, number=doc_number, label=_("Invoice"))
        rate = exchange_rate_on(terms.currency, issue_date)
        gross, inv_currency = terms.gross, terms.currency
        gross_base, net_base = invoice_base_amounts(gross=gross, net_minor=net_minor, currency=inv_currency,
                                                    rate=rate)
        invoice_exposure_check(locked=locked, actor=actor, terms=terms, issue_date=issue_date, number=doc_number,
                               contract=contract)
        invoice = create_numbered(
            Invoice, constraint="invoice_number_unique_per_company", label=_("Invoice"),
            company=locked.company, customer=locked, contract=contract, number=doc_number,
            vat_invoice_number=vat_invoice_number, issue_date=issue_date, due_date=terms.due, currency=inv_currency,
            net_minor=net_minor, tax_minor=tax_minor, gross_minor=gross, amount_open_minor=gross, fx_rate=rate,
            gross_base_minor=gross_base, net_base_minor=net_base, tax_base_minor=gross_base - net_base,
            description=description, posted_by=user_or_none(actor), discount_bp=terms.discount_bp,
            discount_until=terms.discount_until,
        )
        entry = journal_write(
            company=locked.company, customer=locked, on=issue_date, kind=EntryKind.INVOICE, invoice=invoice,
            lines=postings.invoice_lines(gross=gross_base, net=net_base, tax=gross_base - net_base),
            actor=actor, memo=invoice_memo(doc_number),
        )
        audit_record(actor=actor, action=AuditAction.INVOICE_POSTED, subject=invoice, after=invoice_snapshot(invoice),
                     seals=journal_seals(entry))
        return invoice

    invoice, _created = idempotent(
        scope="invoice.post", key=idempotency_key, payload=payload, model=Invoice, create=create
    )
    return invoice


def invoice_memo(number: str) -> str:
    return invoice_memos()(number)


def invoice_memos() -> Callable[[str], str]:
    """``invoice_memo`` for many numbers: the memo translated once (into the active language), formatted per
    number (the bulk path writes thousands of entries a call)."""
    template = _("Invoice %(number)s")
    return lambda number: template % {"number": number}


@transaction.atomic
def credit_note_post(
    *,
    actor: Actor,
    invoice: Invoice,
    on: date,
    net_minor: int,
    tax_minor: int,
    reason: str,
    number: str | None = None,
    idempotency_key: str | None = None,
) -> CreditNote:
    """Credit part or all of an invoice's open amount (红字发票). Reverses revenue and VAT."""
    payload = {"invoice": invoice.pk, "on": on, "net": net_minor, "tax": tax_minor, "reason": reason, "number": number}

    def create() -> CreditNote:
        customer = lock_customer(invoice.customer_id)
        locked = invoices_qs_for_update([invoice.pk]).get()
        date_check(on, field="date")
        not_negative_or_error(net_minor, "net_minor")
        not_negative_or_error(tax_minor, "tax_minor")
        gross = amount_check(net_minor + tax_minor, field="tax_minor")
        if gross <= 0:
            raise ValidationFailed(_("A credit note must be for more than zero."), field="net_minor")
        if not (reason or "").strip():
            raise ValidationFailed(_("Say why the customer is credited."), field="reason")
        if on < locked.issue_date:
            raise ValidationFailed(_("A credit note cannot predate its invoice."), field="date")
        if gross > locked.amount_open_minor:
            raise OverAllocation(
                _("The credit note (%(gross)s) exceeds the invoice's open amount (%(open)s).")
                % {"gross": format_money(gross, locked.currency),
                   "open": format_money(locked.amount_open_minor, locked.currency)},
                field="net_minor",
            )
        doc_number = (number or "").strip() or sequence_next(company=customer.company, series="CN")
        duplicate_number(CreditNote, company=customer.company, number=doc_number, label=_("Credit note"))
        rate = exchange_rate_on(locked.currency, on)
        gross_base = to_base(gross, locked.currency, rate)
        net_base = to_base(net_minor, locked.currency, rate)
        receivable = receivable_relieved(locked, open_after=locked.amount_open_minor - gross)
        if receivable == 0:
            bookable_or_error(gross_base, minor=gross, currency=locked.currency, field="net_minor")
        note = create_numbered(
            CreditNote, constraint="credit_note_number_unique_per_company", label=_("Credit note"),
            company=customer.company, customer=customer, invoice=locked, number=doc_number, date=on,
            currency=locked.currency, net_minor=net_minor, tax_minor=tax_minor, gross_minor=gross, fx_rate=rate,
            gross_base_minor=gross_base, net_base_minor=net_base, tax_base_minor=gross_base - net_base,
            reason=reason.strip(), posted_by=user_or_none(actor),
        )
        allocation = Allocation.objects.create(
            company=customer.company, invoice=locked, credit_note=note, amount_minor=gross, date=on,
            receivable_base_minor=receivable, cash_base_minor=0, created_by=user_or_none(actor),
        )
        before = invoice_snapshot(locked)
        locked.amount_open_minor -= gross
        locked.save(update_fields=["amount_open_minor"])
        entry = journal_write(
            company=customer.company, customer=customer, on=on, kind=EntryKind.CREDIT_NOTE, credit_note=note,
            invoice=locked, allocation=allocation, actor=actor,
            lines=postings.credit_note_lines(
                gross=gross_base, net=net_base, tax=gross_base - net_base, receivable=receivable
            ),
            memo=_("Credit note %(number)s on %(invoice)s") % {"number": doc_number, "invoice": locked.number},
        )
        audit_record(
            actor=actor, action=AuditAction.CREDIT_NOTE_POSTED, subject=note,
            before={"invoice": before},
            after={"invoice": invoice_snapshot(locked), "gross_minor": gross, "reason": note.reason},
            seals=journal_seals(entry),
        )
        return note

    note, _created = idempotent(
        scope="credit_note.post", key=idempotency_key, payload=payload, model=CreditNote, create=create
    )
    return note
