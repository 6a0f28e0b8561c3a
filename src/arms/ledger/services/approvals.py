"""Manual cash application and documents by hand, under the one four-eyes rule (四眼原则).

``manual_allocate``, ``manual_allocation_reverse``, ``manual_credit_note`` and ``manual_invoice`` are what the web
pages and the API call when a person does it by hand. Worth no more than the company's amount
(``ledger_four_eyes_minor``, CNY 1,000,000.00 unless a finance manager changes it) it is done at once by the ledger
service; worth more, the service is first run and rolled back (so a request the ledger would refuse is refused now,
naming its field, and nothing is written) and the request waits as a ``LedgerApproval``. Another person with
``ledger.approve_ledgerapproval`` approves it (the service then runs, as the approver, on the rows as they are
then) or rejects it with a reason; the requester never decides (``require_second_person``). Services called by
machines (auto-allocation, statement matching) are not manual and never wait.

Lock order: customer, the approval, then what the ledger service locks (invoices by pk, the payment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.api_types import MAX_MINOR
from arms.common.approvals import require_second_person
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import lock_customer, qs_for_update
from arms.common.notify import notify
from arms.common.services import idempotent
from arms.contracts.models import Contract
from arms.customers.models import Customer
from arms.customers.services import company_ensure
from arms.domain.money import BASE_CURRENCY, format_money, proportional_part
from arms.ledger.enums import ApprovalKind, ApprovalStatus
from arms.ledger.errors import CurrencyMismatch
from arms.ledger.models import (
    FOUR_EYES_DEFAULT_MINOR,
    Allocation,
    Invoice,
    LedgerApproval,
    LedgerSettings,
    Payment,
)
from arms.ledger.services.allocations import AllocationRequest, allocation_reverse, payment_allocate
from arms.ledger.services.common import currency_or_error
from arms.ledger.services.fx import exchange_rate_on, to_base
from arms.ledger.services.invoices import credit_note_post, invoice_post
from arms.ledger.services.payments import payment_record

if TYPE_CHECKING:
    from arms.common.typing import Actor, JsonDict
    from arms.contracts.models import Contract
    from arms.customers.models import Company, Customer

APPROVE_PERMISSION = "ledger.approve_ledgerapproval"
APPROVALS_LINK = "/approvals/"


@dataclass(frozen=True)
class Outcome:
    """What a manual action did: ``done`` (the allocations, the reversing allocation, the credit note or the
    invoice) when it was done at once, or ``approval`` when it waits for a second person."""

    done: Any = None
    approval: LedgerApproval | None = None

    @property
    def pending(self) -> bool:
        return self.approval is not None


# ---------------------------------------------------------------- the company's amount


def ledger_four_eyes_minor(company: Company | None = None) -> int:
    """The amount (CNY fen) above which a manual action needs a second person."""
    company = company or company_ensure()
    value = LedgerSettings.objects.filter(company=company).values_list("four_eyes_minor", flat=True).first()
    return FOUR_EYES_DEFAULT_MINOR if value is None else value


@transaction.atomic
def ledger_settings_update(*, actor: Actor, four_eyes_minor: int, company: Company | None = None) -> LedgerSettings:
    """Change the four-eyes amount (a finance manager or an administrator: ``ledger.change_ledgersettings``)."""
    if actor is None or not actor.has_perm("ledger.change_ledgersettings"):
        raise Forbidden(_("Only a finance manager or an administrator changes the approval amount."),
                        field="four_eyes_minor")
    if isinstance(four_eyes_minor, bool) or not isinstance(four_eyes_minor, int) \
            or not 0 <= four_eyes_minor <= MAX_MINOR:
        raise ValidationFailed(_("The amount is between 0 and 10^15 fen."), field="four_eyes_minor")
    company = company or company_ensure()
    row, _created = LedgerSettings.objects.get_or_create(company=company)
    settings: LedgerSettings = qs_for_update(LedgerSettings.objects.all()).get(pk=row.pk)
    before = settings.four_eyes_minor
    settings.four_eyes_minor = four_eyes_minor
    settings.updated_by = user_or_none(actor)
    settings.save(update_fields=["four_eyes_minor", "updated_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.LEDGER_SETTINGS_CHANGED, subject=settings,
                 before={"four_eyes_minor": before}, after={"four_eyes_minor": four_eyes_minor})
    return settings


# ---------------------------------------------------------------- running a request


def _lines(arguments: JsonDict) -> list[AllocationRequest]:
    return [AllocationRequest(invoice_id=i, amount_minor=a) for i, a in arguments["lines"]]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _date(value: str) -> date:
    return date.fromisoformat(value)


def _run(kind: str, arguments: JsonDict, *, actor: Actor, idempotency_key: str | None = None) -> Any:
    """Call the ledger service ``kind`` stands for with ``arguments`` (as stored on an approval)."""
    if kind == ApprovalKind.ALLOCATION:
        return payment_allocate(actor=actor, payment=Payment.objects.get(pk=arguments["payment_id"]),
                                lines=_lines(arguments), on=_day(arguments["on"]), idempotency_key=idempotency_key)
    if kind == ApprovalKind.ALLOCATION_REVERSAL:
        return allocation_reverse(actor=actor, allocation=Allocation.objects.get(pk=arguments["allocation_id"]),
                                  reason=arguments["reason"], on=_day(arguments["on"]))
    if kind == ApprovalKind.CREDIT_NOTE:
        return credit_note_post(
            actor=actor, invoice=Invoice.objects.get(pk=arguments["invoice_id"]), on=_date(arguments["on"]),
            net_minor=arguments["net_minor"], tax_minor=arguments["tax_minor"], reason=arguments["reason"],
            number=arguments["number"], idempotency_key=idempotency_key,
        )

    contract_id = arguments["contract_id"]
    return invoice_post(
        actor=actor, customer=Customer.objects.get(pk=arguments["customer_id"]),
        contract=Contract.objects.get(pk=contract_id) if contract_id else None,
        issue_date=_date(arguments["issue_date"]), due_date=_day(arguments["due_date"]),
        net_minor=arguments["net_minor"], tax_minor=arguments["tax_minor"], number=arguments["number"],
        currency=arguments["currency"], vat_invoice_number=arguments["vat_invoice_number"],
        description=arguments["description"], idempotency_key=idempotency_key,
        discount_bp=arguments.get("discount_bp"), discount_until=_day(arguments.get("discount_until")),
    )


def _result(kind: str, done: Any) -> JsonDict:
    if kind == ApprovalKind.ALLOCATION:
        return {"allocation_ids": [a.pk for a in done]}
    if kind == ApprovalKind.ALLOCATION_REVERSAL:
        return {"allocation_ids": [done.pk]}
    return {"id": done.pk, "number": done.number}


class _DryRun(Exception):
    """Raised to roll back a trial run of a ledger service."""


def _refuse_what_the_ledger_would_refuse(kind: str, arguments: JsonDict, *, actor: Actor) -> None:
    """Run the service in a savepoint and roll it back: its refusals (naming the field) come out now, and
    nothing it wrote stays."""
    try:
        with transaction.atomic():
            _run(kind, arguments, actor=actor)
            raise _DryRun
    except _DryRun:
        pass


def _claims(approval_kind: str, arguments: JsonDict) -> tuple[dict[int, int], dict[int, int]]:
    """What a request would take if approved: ``({payment_id: cash}, {invoice_id: open amount})``."""
    cash: dict[int, int] = {}
    open_amount: dict[int, int] = {}
    if approval_kind == ApprovalKind.ALLOCATION:
        total = 0
        for invoice_id, amount in arguments["lines"]:
            open_amount[invoice_id] = open_amount.get(invoice_id, 0) + amount
            total += amount
        cash[arguments["payment_id"]] = total
    elif approval_kind == ApprovalKind.CREDIT_NOTE:
        open_amount[arguments["invoice_id"]] = arguments["net_minor"] + arguments["tax_minor"]
    return cash, open_amount


def _refuse_what_pending_approvals_claim(kind: str, arguments: JsonDict, *, customer: Customer) -> None:
    """Two requests waiting for approval must not promise the same cash or the same open amount: the second
    would pass its own dry run (the first has not happened yet) and then fail, or worse, succeed in the first's
    place. Refused with the payment or invoice named and the approvals that hold it (the caller holds the
    customer's lock, so two requests cannot pass this at once)."""
    cash, open_amount = _claims(kind, arguments)
    if not cash and not open_amount:
        return
    held_cash: dict[int, int] = {}
    held_open: dict[int, int] = {}
    holders: dict[tuple[str, int], list[int]] = {}
    pending = LedgerApproval.objects.filter(customer=customer, status=ApprovalStatus.PENDING,
                                            kind__in=[ApprovalKind.ALLOCATION, ApprovalKind.CREDIT_NOTE])
    for approval_id, approval_kind, approval_arguments in pending.values_list("pk", "kind", "arguments"):
        their_cash, their_open = _claims(approval_kind, approval_arguments)
        for key, amount in their_cash.items():
            held_cash[key] = held_cash.get(key, 0) + amount
            holders.setdefault(("payment", key), []).append(approval_id)
        for key, amount in their_open.items():
            held_open[key] = held_open.get(key, 0) + amount
            holders.setdefault(("invoice", key), []).append(approval_id)
    for payment_id, amount in cash.items():
        if payment_id in held_cash:
            payment = Payment.objects.get(pk=payment_id)
            if held_cash[payment_id] + amount > payment.amount_unallocated_minor:
                _claimed("payment", payment.number, holders[("payment", payment_id)], field="payment_id")
    for invoice_id, amount in open_amount.items():
        if invoice_id in held_open:
            invoice = Invoice.objects.get(pk=invoice_id)
            if held_open[invoice_id] + amount > invoice.amount_open_minor:
                _claimed("invoice", invoice.number, holders[("invoice", invoice_id)], field="invoice_id")


def _claimed(what: str, number: str, approval_ids: list[int], *, field: str) -> None:
    ids = ", ".join(f"#{pk}" for pk in sorted(set(approval_ids)))
    message = (_("Approvals waiting (%(ids)s) already claim the unapplied cash of payment %(number)s: decide "
                 "them first.") if what == "payment" else
               _("Approvals waiting (%(ids)s) already claim the open amount of invoice %(number)s: decide them "
                 "first."))
    raise Conflict(message % {"ids": ids, "number": number}, field=field, code=ErrorCode.CLAIMED_BY_PENDING_APPROVAL)


def _approvers(approval: LedgerApproval) -> QuerySet[Any]:
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True)
        | Q(groups__permissions__codename="approve_ledgerapproval",
            groups__permissions__content_type__app_label="ledger")
        | Q(user_permissions__codename="approve_ledgerapproval",
            user_permissions__content_type__app_label="ledger")
    )
    if approval.requested_by_id is not None:
        users = users.exclude(pk=approval.requested_by_id)
    return users.distinct()


@transaction.atomic
def _request(*, actor: Actor, kind: str, customer: Customer, arguments: JsonDict, amount_minor: int, currency: str,
             amount_base_minor: int, idempotency_key: str | None, **refs: Any) -> Outcome:
    """Do it now when it is worth no more than the company's amount; else ask a second person."""
    threshold = ledger_four_eyes_minor(customer.company)
    if amount_base_minor <= threshold:
        return Outcome(done=_run(kind, arguments, actor=actor, idempotency_key=idempotency_key))

    def create() -> LedgerApproval:
        lock_customer(customer.pk)
        _refuse_what_the_ledger_would_refuse(kind, arguments, actor=actor)
        _refuse_what_pending_approvals_claim(kind, arguments, customer=customer)
        approval = LedgerApproval.objects.create(
            company=customer.company, customer=customer, kind=kind, currency=currency, amount_minor=amount_minor,
            amount_base_minor=amount_base_minor, threshold_minor=threshold, arguments=arguments,
            reason=(arguments.get("reason") or "")[:500], requested_by=user_or_none(actor), **refs,
        )
        audit_record(actor=actor, action=AuditAction.LEDGER_APPROVAL_REQUESTED, subject=approval, before=None,
                     after={"kind": kind, "amount_minor": amount_minor, "currency": currency,
                            "amount_base_minor": amount_base_minor, "threshold_minor": threshold,
                            "arguments": arguments})
        notify(_approvers(approval), kind="ledger.approval",
               subject=_("%(kind)s of %(amount)s for %(customer)s waits for your approval") % {
                   "kind": approval.get_kind_display(), "amount": format_money(amount_minor, currency),
                   "customer": customer.name},
               body=_("%(user)s asks for it: %(reason)s") % {"user": person_name(approval.requested_by),
                                                            "reason": approval.reason or "—"},
               link=f"{APPROVALS_LINK}{approval.pk}/")
        return approval

    approval, _created = idempotent(scope=f"ledger.approval.{kind}", key=idempotency_key,
                                    payload={"kind": kind, "arguments": arguments}, model=LedgerApproval,
                                    create=create)
    return Outcome(approval=approval)


# ---------------------------------------------------------------- the four manual actions


def manual_allocate(*, actor: Actor, payment: Payment, lines: list[AllocationRequest], on: date | None = None,
                    idempotency_key: str | None = None) -> Outcome:
    """Apply a payment's unapplied cash to the items a clerk chose (``payment_allocate``), or ask for approval."""
    total = sum(line.amount_minor for line in lines if isinstance(line.amount_minor, int))
    arguments = {"payment_id": payment.pk, "lines": [[line.invoice_id, line.amount_minor] for line in lines],
                 "on": on.isoformat() if on else None}
    base = proportional_part(payment.amount_base_minor, payment.amount_minor, total) if total > 0 else 0
    return _request(actor=actor, kind=ApprovalKind.ALLOCATION, customer=payment.customer, arguments=arguments,
                    amount_minor=max(total, 1), currency=payment.currency, amount_base_minor=base,
                    idempotency_key=idempotency_key, payment=payment)


def manual_allocation_reverse(*, actor: Actor, allocation: Allocation, reason: str,
                              on: date | None = None) -> Outcome:
    """Undo an allocation with a reason (``allocation_reverse``), or ask for approval."""
    arguments = {"allocation_id": allocation.pk, "reason": (reason or "").strip(),
                 "on": on.isoformat() if on else None}
    base = abs(allocation.cash_base_minor or allocation.receivable_base_minor)
    return _request(actor=actor, kind=ApprovalKind.ALLOCATION_REVERSAL, customer=allocation.invoice.customer,
                    arguments=arguments, amount_minor=max(abs(allocation.amount_minor), 1),
                    currency=allocation.invoice.currency, amount_base_minor=base, idempotency_key=None,
                    allocation=allocation, invoice=allocation.invoice, payment=allocation.payment)


def manual_credit_note(*, actor: Actor, invoice: Invoice, on: date, net_minor: int, tax_minor: int, reason: str,
                       number: str | None = None, idempotency_key: str | None = None) -> Outcome:
    """Post a credit note (红字) on an invoice (``credit_note_post``), or ask for approval."""
    arguments = {"invoice_id": invoice.pk, "on": on.isoformat(), "net_minor": net_minor, "tax_minor": tax_minor,
                 "reason": (reason or "").strip(), "number": number}
    gross = net_minor + tax_minor if all(isinstance(x, int) for x in (net_minor, tax_minor)) else 0
    base = proportional_part(invoice.gross_base_minor, invoice.gross_minor, gross) if gross > 0 else 0
    return _request(actor=actor, kind=ApprovalKind.CREDIT_NOTE, customer=invoice.customer, arguments=arguments,
                    amount_minor=max(gross, 1), currency=invoice.currency, amount_base_minor=base,
                    idempotency_key=idempotency_key, invoice=invoice)


def amount_in_base(amount_minor: int, currency: str, on: date) -> tuple[str, int]:
    """``amount_minor`` of ``currency`` (checked) in CNY fen at the rate of ``on``: what the four-eyes rule weighs.
    An amount out of bounds weighs 0 here; the service refuses it with its own message."""
    if not 0 < amount_minor <= MAX_MINOR:
        return currency, 0
    currency = currency_or_error(currency)
    return currency, to_base(amount_minor, currency, exchange_rate_on(currency, on))


def four_eyes_refusal(*, company: Company, amount_base_minor: int, field: str) -> None:
    """Refuse (``needs_approval``, naming ``field``) what is worth more than the company's four-eyes amount, where a
    call cannot wait for a second person: a batch of documents (``/api/v1/invoices/batch``, ``/payments/batch``)."""
    threshold = ledger_four_eyes_minor(company)
    if amount_base_minor > threshold:
        raise ValidationFailed(
            _("Worth more than the four-eyes amount (%(threshold)s): post it on its own, so that a second person "
              "approves it.") % {"threshold": format_money(threshold, BASE_CURRENCY)},
            field=field, code=ErrorCode.NEEDS_APPROVAL)


def manual_invoice(*, actor: Actor, customer: Customer, issue_date: date, net_minor: int, tax_minor: int,
                   number: str | None = None, due_date: date | None = None, currency: str | None = None,
                   contract: Contract | None = None, vat_invoice_number: str = "", description: str = "",
                   idempotency_key: str | None = None, discount_bp: int | None = None,
                   discount_until: date | None = None) -> Outcome:
    """Post an invoice (``invoice_post``), or ask for approval. Its discount terms are fixed when it is posted."""
    arguments = {"customer_id": customer.pk, "contract_id": contract.pk if contract else None,
                 "issue_date": issue_date.isoformat(), "due_date": due_date.isoformat() if due_date else None,
                 "net_minor": net_minor, "tax_minor": tax_minor, "number": number, "currency": currency,
                 "vat_invoice_number": vat_invoice_number, "description": description}
    if discount_bp is not None or discount_until is not None:
        arguments |= {"discount_bp": discount_bp,
                      "discount_until": discount_until.isoformat() if discount_until else None}
    gross = net_minor + tax_minor if all(isinstance(x, int) for x in (net_minor, tax_minor)) else 0
    in_currency, base = amount_in_base(gross, currency or (contract.currency if contract else customer.currency),
                                       issue_date)
    return _request(actor=actor, kind=ApprovalKind.INVOICE, customer=customer, arguments=arguments,
                    amount_minor=max(gross, 1), currency=in_currency, amount_base_minor=base,
                    idempotency_key=idempotency_key)


@transaction.atomic
def payment_record_for_invoice(*, actor: Actor, invoice: Invoice, currency: str, amount_minor: int,
                               **payment: Any) -> tuple[Payment, Outcome]:
    """Record a payment received for ``invoice`` and apply it to that invoice (up to its open amount; the rest
    stays unapplied cash). The allocation is a manual one: above the company's amount it waits for approval."""
    if (currency or "").upper() != invoice.currency:
        raise CurrencyMismatch(_("The invoice is in %(currency)s.") % {"currency": invoice.currency},
                               field="currency")
    recorded = payment_record(actor=actor, customer=invoice.customer, currency=invoice.currency,
                              amount_minor=amount_minor, auto_allocate=False, **payment)
    invoice.refresh_from_db(fields=["amount_open_minor"])
    amount = min(recorded.amount_unallocated_minor, invoice.amount_open_minor)
    if amount <= 0 or LedgerApproval.objects.filter(payment=recorded, status=ApprovalStatus.PENDING).exists():
        return recorded, Outcome(done=[])
    return recorded, manual_allocate(actor=actor, payment=recorded,
                                     lines=[AllocationRequest(invoice_id=invoice.pk, amount_minor=amount)])


# ---------------------------------------------------------------- deciding


def _locked(approval: LedgerApproval) -> LedgerApproval:
    lock_customer(approval.customer_id)
    locked: LedgerApproval = qs_for_update(LedgerApproval.objects.all()).select_related("customer").get(
        pk=approval.pk)
    if locked.status != ApprovalStatus.PENDING:
        raise Conflict(_("This approval was already decided (%(status)s).") % {"status": locked.get_status_display()},
                       field="approval", code=ErrorCode.APPROVAL_NOT_PENDING)
    return locked


def _may_decide(locked: LedgerApproval, actor: Actor) -> None:
    require_second_person(locked.requested_by_id, actor)
    if actor is None or not actor.has_perm(APPROVE_PERMISSION):
        raise Forbidden(_("Your role cannot approve manual cash application."), field="approval",
                        code=ErrorCode.CANNOT_APPROVE)


@transaction.atomic
def ledger_approval_approve(*, approval: LedgerApproval, actor: Actor, note: str = "") -> LedgerApproval:
    """A second person approves: the ledger service runs now, as the approver, on the rows as they are now.

    Refused (nothing changed): the requester (``four_eyes``), a role without the permission (``cannot_approve``),
    an approval already decided (``approval_not_pending``), or whatever the ledger refuses now (the invoice was
    settled meanwhile: ``over_allocation``; the approval then stays pending, to be rejected)."""
    locked = _locked(approval)
    _may_decide(locked, actor)
    done = _run(locked.kind, locked.arguments, actor=actor)
    locked.status = ApprovalStatus.APPROVED
    locked.decided_by = user_or_none(actor)
    locked.decided_at = timezone.now()
    locked.decision_note = (note or "").strip()[:500]
    locked.result = _result(locked.kind, done)
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "result"])
    audit_record(actor=actor, action=AuditAction.LEDGER_APPROVAL_APPROVED, subject=locked,
                 before={"status": ApprovalStatus.PENDING},
                 after={"status": locked.status, "note": locked.decision_note, "result": locked.result,
                        "requested_by": locked.requested_by_id})
    notify([locked.requested_by], kind="ledger.approval",
           subject=_("%(kind)s of %(amount)s for %(customer)s approved") % {
               "kind": locked.get_kind_display(), "amount": format_money(locked.amount_minor, locked.currency),
               "customer": locked.customer.name},
           body=locked.decision_note, link=f"{APPROVALS_LINK}{locked.pk}/")
    return locked


@transaction.atomic
def ledger_approval_reject(*, approval: LedgerApproval, actor: Actor, note: str) -> LedgerApproval:
    """A second person refuses, saying why; nothing moves."""
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Say why you reject it."), field="note")
    if len(note) > 500:
        raise ValidationFailed(_("Keep the note within 500 characters."), field="note")
    locked = _locked(approval)
    _may_decide(locked, actor)
    locked.status = ApprovalStatus.REJECTED
    locked.decided_by = user_or_none(actor)
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=AuditAction.LEDGER_APPROVAL_REJECTED, subject=locked,
                 before={"status": ApprovalStatus.PENDING}, after={"status": locked.status, "note": note})
    notify([locked.requested_by], kind="ledger.approval",
           subject=_("%(kind)s of %(amount)s for %(customer)s rejected") % {
               "kind": locked.get_kind_display(), "amount": format_money(locked.amount_minor, locked.currency),
               "customer": locked.customer.name},
           body=note, link=f"{APPROVALS_LINK}{locked.pk}/")
    return locked


__all__ = [
    "Outcome",
    "ledger_approval_approve",
    "ledger_approval_reject",
    "ledger_four_eyes_minor",
    "ledger_settings_update",
    "manual_allocate",
    "manual_allocation_reverse",
    "manual_credit_note",
    "manual_invoice",
    "payment_record_for_invoice",
]
