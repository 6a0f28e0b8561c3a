"""Applying statement lines (核销): a match or a clerk's decision becomes payments and allocations in the ledger.

Every line is applied at most once: the rows are locked in the one order (``arms.common.locks``: the customers, the
invoices by primary key, then the line) and the line's status is checked under the lock, so two workers applying the
same line apply it once and the second is refused with ``LineAlreadyApplied``. Money moves only through the ledger's
services: ``payment_record`` (one receipt per customer share; a bank charge the payer deducted is part of the
receipt's amount and goes to 6603 财务费用 on its own journal line) and ``payment_allocate``. What a share leaves
unallocated stays unapplied cash (预收 2203) with a task for finance. ``line_reset`` undoes it all through
``payment_reverse``.

A person's decision (``line_accept``, ``line_apply``) is manual cash application: its allocations go through
``manual_allocate``, so above the company's four-eyes amount the receipt is recorded and its allocation waits for a
second person (``LedgerApproval``), as on the payment page. Automatic application (``apply_match``) never waits.

Learning: when a clerk confirms (``line_accept``) or decides (``line_apply``) a line paid by one customer, the payer's
account and, where it is not the customer's own name, the payer's name are remembered as ``PayerAlias`` rows for that
customer; the matcher then knows them. They are visible and removable (``alias_remove``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.bank.cash_errors import LineAlreadyApplied, LineNotApplied, LineNotReceipt, NoSuggestion, SharesDoNotFit
from arms.bank.enums import OPEN_STATUSES, AliasKind, IgnoredKind, LineStatus
from arms.bank.models import LineApplication, PayerAlias, StatementLine
from arms.bank.services.cash_settings import account_key, cash_settings_for
from arms.cases.enums import Level, TaskKind, TaskStatus
from arms.cases.models import Task
from arms.cases.services.tasks import task_cancel, task_create_or_get
from arms.common.actors import user_or_none
from arms.common.errors import NotFound, ValidationFailed
from arms.common.locks import (
    invoices_qs_for_update,
    lock_customer,
    payment_qs_for_update,
    statement_line_qs_for_update,
)
from arms.customers.models import Customer
from arms.domain.cashapp import FUZZY_LOW, name_key
from arms.domain.money import format_money
from arms.ledger.enums import PaymentMethod, PaymentStatus
from arms.ledger.models import Allocation, Payment
from arms.ledger.services.allocations import AllocationRequest, payment_allocate
from arms.ledger.services.approvals import manual_allocate
from arms.ledger.services.payments import payment_record, payment_reverse
from arms.ledger.services.writeoffs import apply_to_written_off_locked

if TYPE_CHECKING:
    from arms.common.typing import Actor, JsonDict
    from arms.ledger.models import Invoice

#: the task for unapplied cash is due this many days after the receipt is recorded
TASK_DUE_DAYS = 3
#: ``Task.source`` of the tasks cash application opens
TASK_SOURCE = "cash"


@dataclass(frozen=True)
class Share:
    """One customer's part of a line.

    ``allocations`` are (invoice id, amount in minor units) settled from the cash; ``charge_minor`` is a bank charge
    the payer deducted (an early-payment discount is not one: the ledger's allocation grants it): it settles what
    the allocated invoices still have open, the last first, and is booked to 6603 on its own journal line. What the
    share's cash leaves after its allocations stays unapplied cash (预收 2203) with a task.

    ``amount_minor`` is the cash this share takes of the line. Left out, a share takes what its allocations take,
    and the last share takes the rest of the line (so one share without it takes the whole line).
    """

    customer_id: int
    allocations: tuple[tuple[int, int], ...] = ()
    charge_minor: int = 0
    amount_minor: int | None = None


@dataclass(frozen=True)
class _Plan:
    customer: Customer
    cash: int
    charge: int
    settle: dict[int, int]  # invoice id -> amount settled (cash plus its part of the charge), in allocation order


def _whole(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(_("Amounts are whole minor units (分)."), field=field)
    return value


def _shape(shares: list[Share]) -> None:
    """Refuse a malformed decision before anything is read or locked."""
    if not isinstance(shares, list | tuple) or not shares:
        raise SharesDoNotFit(_("Name at least one customer the line is from."), field="shares")
    if len(shares) > 50:
        raise SharesDoNotFit(_("At most 50 customers share one line."), field="shares")
    seen: set[int] = set()
    for index, share in enumerate(shares):
        field = f"shares[{index}]"
        if not isinstance(share, Share):
            raise ValidationFailed(_("Each share names a customer."), field=field)
        customer_id = _whole(share.customer_id, f"{field}.customer_id")
        if customer_id in seen:
            raise SharesDoNotFit(_("A customer appears in two shares; put its items in one."),
                                 field=f"{field}.customer_id")
        seen.add(customer_id)
        if len(share.allocations) > 500:
            raise ValidationFailed(_("At most 500 invoices per share."), field=f"{field}.allocations")
        for number, pair in enumerate(share.allocations):
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise ValidationFailed(_("An allocation is an invoice and an amount."),
                                       field=f"{field}.allocations[{number}]")
            _whole(pair[0], f"{field}.allocations[{number}].invoice_id")
            if _whole(pair[1], f"{field}.allocations[{number}].amount_minor") <= 0:
                raise ValidationFailed(_("Must be greater than zero."),
                                       field=f"{field}.allocations[{number}].amount_minor")
        if _whole(share.charge_minor, f"{field}.charge_minor") < 0:
            raise ValidationFailed(_("Must not be negative."), field=f"{field}.charge_minor")
        if share.charge_minor and not share.allocations:
            raise SharesDoNotFit(_("A bank charge settles invoices: name the invoices it settles."),
                                 field=f"{field}.charge_minor")
        if share.amount_minor is not None and _whole(share.amount_minor, f"{field}.amount_minor") <= 0:
            raise ValidationFailed(_("Must be greater than zero."), field=f"{field}.amount_minor")


def _cash_of_shares(line: StatementLine, shares: list[Share]) -> list[int]:
    """The cash each share takes; together exactly the line's amount."""
    cash = []
    for index, share in enumerate(shares):
        if share.amount_minor is not None:
            cash.append(share.amount_minor)
        elif index == len(shares) - 1:
            cash.append(line.amount_minor - sum(cash))
        else:
            cash.append(sum(amount for _invoice, amount in share.allocations))
    money = line.amount_minor
    if any(part <= 0 for part in cash) or sum(cash) != money:
        raise SharesDoNotFit(
            _("The shares take %(taken)s; the line brought %(amount)s.")
            % {"taken": format_money(sum(cash), line.currency), "amount": format_money(money, line.currency)},
            field="shares",
        )
    return cash


def _plan(line: StatementLine, shares: list[Share], cash: list[int], customers: dict[int, Customer],
          invoices: dict[int, Invoice], recoverable: dict[int, int] | None = None) -> list[_Plan]:
    """Check every share against the locked rows and work out what each invoice is settled by. A written-off
    invoice takes up to its open amount plus what is still written off of it (``recoverable``: a recovery)."""
    plans = []
    recoverable = recoverable or {}
    open_left = {pk: inv.amount_open_minor + recoverable.get(pk, 0) for pk, inv in invoices.items()}
    for index, (share, share_cash) in enumerate(zip(shares, cash, strict=True)):
        field = f"shares[{index}]"
        customer = customers[share.customer_id]
        settle: dict[int, int] = {}
        for number, (invoice_id, amount) in enumerate(share.allocations):
            invoice = invoices.get(invoice_id)
            where = f"{field}.allocations[{number}]"
            if invoice is None or invoice.customer_id != customer.pk:
                raise ValidationFailed(
                    _("Invoice %(id)s is not one of %(customer)s's.") % {"id": invoice_id, "customer": customer.name},
                    field=f"{where}.invoice_id",
                )
            if invoice.currency != line.currency:
                raise ValidationFailed(
                    _("Invoice %(number)s is in %(inv)s, the line in %(line)s.")
                    % {"number": invoice.number, "inv": invoice.currency, "line": line.currency},
                    field=f"{where}.invoice_id",
                )
            if amount > open_left[invoice_id]:
                raise SharesDoNotFit(
                    _("Invoice %(number)s has only %(open)s open; %(amount)s was asked.")
                    % {"number": invoice.number, "open": format_money(open_left[invoice_id], invoice.currency),
                       "amount": format_money(amount, invoice.currency)},
                    field=f"{where}.amount_minor",
                )
            open_left[invoice_id] -= amount
            settle[invoice_id] = settle.get(invoice_id, 0) + amount
        allocated = sum(settle.values())
        if allocated > share_cash:
            raise SharesDoNotFit(
                _("The allocations take %(allocated)s; this share brings %(cash)s.")
                % {"allocated": format_money(allocated, line.currency),
                   "cash": format_money(share_cash, line.currency)},
                field=f"{field}.allocations",
            )
        charge = share.charge_minor
        if charge:
            if allocated != share_cash:
                raise SharesDoNotFit(
                    _("A bank charge settles invoices the cash paid in full; this share leaves cash unallocated."),
                    field=f"{field}.charge_minor",
                )
            left = charge
            for invoice_id in reversed(list(settle)):
                take = min(left, open_left[invoice_id])
                settle[invoice_id] += take
                open_left[invoice_id] -= take
                left -= take
            if left:
                raise SharesDoNotFit(
                    _("The bank charge %(charge)s is more than the allocated invoices still have open.")
                    % {"charge": format_money(charge, line.currency)},
                    field=f"{field}.charge_minor",
                )
        plans.append(_Plan(customer=customer, cash=share_cash, charge=charge, settle=settle))
    return plans


def _unapplied_task(*, actor: Actor, payment: Payment) -> None:
    task_create_or_get(
        customer=payment.customer, kind=TaskKind.FOLLOW_UP, level=Level.FINANCE,
        title=_("Apply the unapplied cash %(amount)s of receipt %(number)s")
        % {"amount": format_money(payment.amount_unallocated_minor, payment.currency), "number": payment.number},
        due_on=timezone.localdate() + timedelta(days=TASK_DUE_DAYS), source=TASK_SOURCE,
        source_ref=f"payment:{payment.pk}", actor=actor,
    )


def _learn(*, actor: Actor, line: StatementLine, customer: Customer) -> list[PayerAlias]:
    """Remember who paid for ``customer``: the payer's account, and its name where that is not the customer's."""
    company = line.account.company
    learned = []
    wanted = []
    if account_key(line.counterparty_account):
        wanted.append((AliasKind.ACCOUNT, line.counterparty_account.strip(), account_key(line.counterparty_account)))
    payer, own = name_key(line.counterparty_name), name_key(customer.name)
    if payer and payer != own:
        shorter, longer = sorted((payer, own), key=len)
        variant = (len(shorter) >= 3 and shorter in longer) or fuzz.ratio(payer, own) >= FUZZY_LOW
        kind = AliasKind.NAME if variant else AliasKind.THIRD_PARTY  # a form of its own name, or someone else
        wanted.append((kind, line.counterparty_name.strip()[:200], payer[:200]))
    for kind, value, key in wanted:
        alias, created = PayerAlias.objects.get_or_create(
            company=company, kind=kind, key=key[:200], customer=customer,
            defaults={"value": value[:200], "learned_from": line, "created_by": user_or_none(actor)},
        )
        if created:
            audit_record(actor=actor, action=AuditAction.PAYER_ALIAS_LEARNED, subject=alias,
                         after={"customer": customer.code, "kind": kind, "value": alias.value, "line": line.pk})
            learned.append(alias)
    return learned


def _already(line: StatementLine) -> LineAlreadyApplied:
    return LineAlreadyApplied(
        _("Statement line %(ref)s is already %(status)s; reset it first.")
        % {"ref": line.bank_reference or line.pk, "status": line.get_status_display()},
        field="line",
    )


def _line_snapshot(line: StatementLine) -> JsonDict:
    return {
        "status": line.status, "ignored_kind": line.ignored_kind, "confidence": line.confidence,
        "customer": line.customer_id, "payment": line.payment_id, "note": line.note,
    }


def _apply(*, actor: Actor, line: StatementLine, shares: list[Share], status: str, note: str = "",
           learn: bool = False) -> list[Payment]:
    _shape(shares)
    if len(note or "") > 500:
        raise ValidationFailed(_("At most 500 characters."), field="note")
    current = StatementLine.objects.select_related("account__company").get(pk=line.pk)
    if current.amount_minor <= 0:
        raise LineNotReceipt(_("Money out is not a customer receipt; it cannot be applied."), field="line")
    company = current.account.company
    cash = _cash_of_shares(current, shares)
    ids = sorted(share.customer_id for share in shares)
    found = {c.pk: c for c in Customer.objects.filter(pk__in=ids, company=company)}
    for index, share in enumerate(shares):
        if share.customer_id not in found:
            raise ValidationFailed(_("No such customer."), field=f"shares[{index}].customer_id")
    # the one lock order: customers, invoices by pk, then the line
    customers = {pk: lock_customer(pk) for pk in ids}
    invoice_ids = sorted({invoice_id for share in shares for invoice_id, _amount in share.allocations})
    invoices = {inv.pk: inv for inv in invoices_qs_for_update(invoice_ids)}
    locked: StatementLine = statement_line_qs_for_update().select_related("account__company").get(pk=line.pk)
    if locked.status not in OPEN_STATUSES or locked.payment_id or locked.applications.exists():
        raise _already(locked)
    if status == LineStatus.AUTO:
        threshold = cash_settings_for(company).auto_threshold
        if locked.confidence < threshold:
            raise NoSuggestion(
                _("The match is %(confidence)s sure, below the threshold %(threshold)s: a clerk decides.")
                % {"confidence": locked.confidence, "threshold": threshold},
                field="line",
            )
    recoverable = _recoverable(invoice_ids)
    plans = _plan(locked, shares, cash, customers, invoices, recoverable)
    before = _line_snapshot(locked)
    payments = []
    for plan in plans:
        payment = payment_record(
            actor=actor, customer=plan.customer, received_date=locked.value_date or locked.booking_date,
            amount_minor=plan.cash + plan.charge, currency=locked.currency, method=PaymentMethod.BANK_TRANSFER,
            payer_name=locked.counterparty_name[:200], bank_reference=locked.bank_reference[:100],
            charge_minor=plan.charge,
        )
        waiting = False
        recovering = {pk: amount for pk, amount in plan.settle.items() if amount > invoices[pk].amount_open_minor}
        if recovering:
            _recover_and_allocate(actor=actor, customer=plan.customer, payment=payment, invoices=invoices,
                                  recovering=recovering)
        settle = {pk: amount for pk, amount in plan.settle.items() if pk not in recovering}
        if settle:
            requests = [AllocationRequest(pk, amount) for pk, amount in settle.items()]
            if status == LineStatus.AUTO:
                payment_allocate(actor=actor, payment=payment, lines=requests)
            else:  # a person's decision: above the company's amount a second person approves the allocation
                waiting = manual_allocate(actor=actor, payment=payment, lines=requests).pending
            payment.refresh_from_db()
        if payment.amount_unallocated_minor and not waiting:
            _unapplied_task(actor=actor, payment=payment)
        payments.append(payment)
    if len(payments) == 1:
        locked.payment = payments[0]
        locked.customer = plans[0].customer
    else:
        for plan, payment in zip(plans, payments, strict=True):
            LineApplication.objects.create(line=locked, customer=plan.customer, payment=payment,
                                           amount_minor=plan.cash)
        locked.customer = None
    locked.status = status
    locked.ignored_kind = IgnoredKind.NONE
    fields = ["status", "ignored_kind", "payment", "customer"]
    if status == LineStatus.MANUAL:
        locked.reviewed_at, locked.reviewed_by = timezone.now(), user_or_none(actor)
        locked.note = (note or "").strip()
        fields += ["reviewed_at", "reviewed_by", "note"]
    locked.save(update_fields=fields)
    audit_record(
        actor=actor, action=AuditAction.CASH_LINE_APPLIED, subject=locked, before=before,
        after={**_line_snapshot(locked), "payments": [p.number for p in payments],
               "shares": [{"customer": plan.customer.code, "cash": plan.cash, "charge": plan.charge,
                           "settled": [[pk, amount] for pk, amount in plan.settle.items()]} for plan in plans]},
    )
    if learn and len(plans) == 1:
        _learn(actor=actor, line=locked, customer=plans[0].customer)
    return payments


def _recoverable(invoice_ids: list[int]) -> dict[int, int]:
    """Per invoice of ``invoice_ids`` that was written off, what is still written off (one query)."""
    if not invoice_ids:
        return {}
    return {row["invoice_id"]: row["net"] for row in
            Allocation.objects.filter(invoice_id__in=invoice_ids, write_off__isnull=False).values("invoice_id")
            .annotate(net=Sum("amount_minor")).filter(net__gt=0).order_by("invoice_id")}


def _recover_and_allocate(*, actor: Actor, customer: Customer, payment: Payment, invoices: dict[int, Invoice],
                          recovering: dict[int, int]) -> None:
    """Money for written-off invoices: recover each write-off by what the invoice's open amount does not cover,
    then allocate (``arms.ledger.services.writeoffs``), on the line's date or today, whichever is later."""
    locked = payment_qs_for_update().get(pk=payment.pk)
    on = max(timezone.localdate(), locked.received_date)
    for pk, amount in sorted(recovering.items()):  # the invoices were locked (with the customer) before the line
        apply_to_written_off_locked(actor=actor, customer=customer, payment=locked, invoice=invoices[pk],
                                    amount_minor=amount, on=on)


def _shares_of_match(line: StatementLine) -> list[Share]:
    if line.amount_minor <= 0:
        raise LineNotReceipt(_("Money out is not a customer receipt; it cannot be applied."), field="line")
    if line.status not in OPEN_STATUSES:
        raise _already(line)
    match = line.match or {}
    if not match.get("customer_id"):
        raise NoSuggestion(
            _("Statement line %(ref)s has no suggestion to accept; choose the customer.")
            % {"ref": line.bank_reference or line.pk},
            field="line",
        )
    return [Share(
        customer_id=match["customer_id"],
        allocations=tuple((int(pk), int(amount)) for pk, amount in match.get("allocations", ())),
        # an early-payment discount is not a charge: the ledger grants it as a discount credit note when the
        # allocation leaves the invoice open for no more than its discount (arms.ledger.services.discounts)
        charge_minor=int(match.get("charge", 0)),
    )]


@transaction.atomic
def apply_match(*, actor: Actor, line: StatementLine) -> list[Payment]:
    """Apply the line's stored match without a human (status AUTO). ``match_lines`` calls it at or above the
    threshold only, and it checks the threshold again under the lock; it learns nothing (only a clerk teaches)."""
    current = StatementLine.objects.get(pk=line.pk)
    return _apply(actor=actor, line=current, shares=_shares_of_match(current), status=LineStatus.AUTO)


@transaction.atomic
def line_apply(
    *, actor: Actor, line: StatementLine, shares: list[Share], note: str = "", learn: bool = True
) -> list[Payment]:
    """A clerk's decision (accept as edited, or split across customers): one payment per share, its allocations,
    its charge; status MANUAL. With ``learn`` and one customer, remembers the payer account and name for it."""
    return _apply(actor=actor, line=line, shares=shares, status=LineStatus.MANUAL, note=note, learn=learn)


@transaction.atomic
def line_accept(*, actor: Actor, line: StatementLine) -> list[Payment]:
    """Apply the stored suggestion unchanged (status MANUAL) and learn the payer."""
    current = StatementLine.objects.get(pk=line.pk)
    return _apply(actor=actor, line=current, shares=_shares_of_match(current), status=LineStatus.MANUAL, learn=True)


@transaction.atomic
def line_ignore(*, actor: Actor, line: StatementLine, kind: IgnoredKind | str, note: str = "") -> None:
    """Set the line aside as not a customer receipt (fee, interest, refund, own transfer, other)."""
    if kind not in IgnoredKind.values or kind == IgnoredKind.NONE:
        raise ValidationFailed(
            _("Say why the line is set aside: one of %(kinds)s.")
            % {"kinds": ", ".join(k for k in IgnoredKind.values if k)},
            field="kind",
        )
    if len(note or "") > 500:
        raise ValidationFailed(_("At most 500 characters."), field="note")
    locked: StatementLine = statement_line_qs_for_update().get(pk=line.pk)
    if locked.status not in OPEN_STATUSES:
        raise _already(locked)
    before = _line_snapshot(locked)
    locked.status = LineStatus.IGNORED
    locked.ignored_kind = kind
    locked.note = (note or "").strip()
    locked.reviewed_at, locked.reviewed_by = timezone.now(), user_or_none(actor)
    locked.save(update_fields=["status", "ignored_kind", "note", "reviewed_at", "reviewed_by"])
    audit_record(actor=actor, action=AuditAction.CASH_LINE_IGNORED, subject=locked, before=before,
                 after=_line_snapshot(locked))


@transaction.atomic
def line_reset(*, actor: Actor, line: StatementLine, reason: str) -> None:
    """Undo: reverse the line's payment(s) through the ledger (their allocations first), cancel the unapplied-cash
    tasks, and put the line back on the clerk's list (suggested when the matcher named a customer, else unmatched).
    It does not go back to NEW: a run would apply the same match again without anyone looking."""

    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the line is reset."), field="reason")
    if len(reason) > 300:
        raise ValidationFailed(_("At most 300 characters."), field="reason")
    current = StatementLine.objects.get(pk=line.pk)
    payment_ids = sorted({*([current.payment_id] if current.payment_id else []),
                          *current.applications.values_list("payment_id", flat=True)})
    customer_ids = sorted(set(Payment.objects.filter(pk__in=payment_ids).values_list("customer_id", flat=True)))
    for pk in customer_ids:
        lock_customer(pk)
    locked: StatementLine = statement_line_qs_for_update().get(pk=line.pk)
    if locked.status in OPEN_STATUSES:
        raise LineNotApplied(
            _("Statement line %(ref)s is neither applied nor set aside.") % {"ref": locked.bank_reference or locked.pk},
            field="line",
        )
    now_ids = sorted({*([locked.payment_id] if locked.payment_id else []),
                      *locked.applications.values_list("payment_id", flat=True)})
    if now_ids != payment_ids:  # changed between the read and the lock: the caller retries
        raise LineAlreadyApplied(_("The line changed meanwhile; try again."), field="line")
    before = _line_snapshot(locked)
    reversed_numbers = []
    for payment in Payment.objects.filter(pk__in=payment_ids).order_by("pk"):
        if payment.status == PaymentStatus.POSTED:
            payment_reverse(actor=actor, payment=payment, reason=reason)
            reversed_numbers.append(payment.number)
        for task in Task.objects.filter(source=TASK_SOURCE, source_ref=f"payment:{payment.pk}",
                                        status=TaskStatus.OPEN):
            task_cancel(task=task, actor=actor, note=reason)
    locked.applications.all().delete()
    forgotten = _forget_learned_from(actor=actor, line=locked, reason=reason)
    locked.payment = None
    locked.status = LineStatus.SUGGESTED if (locked.match or {}).get("customer_id") else LineStatus.UNMATCHED
    locked.customer_id = (locked.match or {}).get("customer_id")
    locked.ignored_kind = IgnoredKind.NONE
    locked.note = reason
    locked.reviewed_at, locked.reviewed_by = timezone.now(), user_or_none(actor)
    locked.save(update_fields=["payment", "status", "customer", "ignored_kind", "note", "reviewed_at", "reviewed_by"])
    audit_record(actor=actor, action=AuditAction.CASH_LINE_RESET, subject=locked, before=before,
                 after={**_line_snapshot(locked), "reversed_payments": reversed_numbers, "reason": reason,
                        "forgotten_payers": forgotten})


def _forget_learned_from(*, actor: Actor, line: StatementLine, reason: str) -> list[str]:
    """A reset says the decision on the line was wrong: what it taught (the payer's account or name for that
    customer) is forgotten with it, or the matcher would repeat the mistake on the next line from that payer."""
    forgotten = []
    for alias in PayerAlias.objects.select_related("customer").filter(learned_from=line).order_by("pk"):
        audit_record(actor=actor, action=AuditAction.PAYER_ALIAS_REMOVED, subject=alias,
                     before={"customer": alias.customer.code, "kind": alias.kind, "value": alias.value,
                             "key": alias.key},
                     after={"reason": reason, "line": line.pk})
        forgotten.append(alias.value)
        alias.delete()
    return forgotten


@transaction.atomic
def alias_remove(*, actor: Actor, alias: PayerAlias) -> None:
    """Forget a learned payer; what was applied stays applied."""

    found = PayerAlias.objects.select_related("customer").filter(pk=alias.pk).first()
    if found is None:
        raise NotFound(_("No such learned payer."), field="alias")
    before = {"customer": found.customer.code, "kind": found.kind, "value": found.value, "key": found.key}
    audit_record(actor=actor, action=AuditAction.PAYER_ALIAS_REMOVED, subject=found, before=before)
    found.delete()
