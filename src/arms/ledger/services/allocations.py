"""payment_allocate, payment_auto_allocate, allocation_reverse (核销 and its undoing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.bounds import date_check
from arms.common.errors import ValidationFailed
from arms.common.locks import invoices_qs_for_update, lock_customer, payment_qs_for_update
from arms.common.services import idempotent
from arms.domain import journal as postings
from arms.domain.allocation import OpenItem, plan_exact_or_oldest_first
from arms.domain.discount import discount_open
from arms.domain.money import format_money, proportional_part
from arms.ledger.enums import EntryKind, PaymentStatus
from arms.ledger.errors import AlreadyReversed, CurrencyMismatch, DiscountGranted, OverAllocation
from arms.ledger.models import Allocation, CreditNote, CreditNoteKind, Invoice, JournalEntry, Payment
from arms.ledger.seal import journal_seals
from arms.ledger.services.common import positive_or_error, receivable_relieved, relief_step
from arms.ledger.services.discounts import discount_grant_locked
from arms.ledger.services.journal import entry_lines, journal_write

if TYPE_CHECKING:
    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Customer


@dataclass(frozen=True)
class AllocationRequest:
    invoice_id: int
    amount_minor: int


def cash_used(payment: Payment, *, unallocated_after: int, so_far: int | None = None) -> int:
    """Base-currency cash an allocation uses when the payment's unallocated amount falls to ``unallocated_after``;
    ``so_far``: the cash its allocations used already (read from the database when not given)."""
    if so_far is None:
        so_far = payment.allocations.aggregate(total=Sum("cash_base_minor"))["total"] or 0
    settled = payment.amount_minor - unallocated_after
    target = proportional_part(payment.amount_base_minor, payment.amount_minor, settled)
    return relief_step(target, so_far)


def allocation_lines_checked(*, payment: Payment, invoices: dict[int, Invoice], lines: list[AllocationRequest],
                             on: date) -> None:
    """Every rule ``lines`` of ``payment`` must pass on the locked rows (the single and the bulk path); writes
    nothing."""
    date_check(on, field="date")
    if payment.status != PaymentStatus.POSTED:
        raise AlreadyReversed(_("Payment %(number)s is reversed.") % {"number": payment.number}, field="payment")
    if on < payment.received_date:
        raise ValidationFailed(_("An allocation cannot predate the payment."), field="date")
    total = 0
    open_after: dict[int, int] = {}
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        positive_or_error(line.amount_minor, f"{field}.amount_minor")
        invoice = invoices.get(line.invoice_id)
        if invoice is None or invoice.customer_id != payment.customer_id:
            raise ValidationFailed(_("Invoice %(id)s is not one of this customer's.") % {"id": line.invoice_id},
                                   field=f"{field}.invoice_id")
        if on < invoice.issue_date:
            raise ValidationFailed(
                _("An allocation cannot predate invoice %(number)s (issued %(date)s).")
                % {"number": invoice.number, "date": invoice.issue_date},
                field="date",
            )
        if invoice.currency != payment.currency:
            raise CurrencyMismatch(
                _("Invoice %(number)s is in %(inv)s, the payment in %(pay)s.")
                % {"number": invoice.number, "inv": invoice.currency, "pay": payment.currency},
                field=f"{field}.invoice_id",
            )
        remaining = open_after.get(invoice.pk, invoice.amount_open_minor)
        if line.amount_minor > remaining:
            raise OverAllocation(
                _("Invoice %(number)s has only %(open)s open; %(amount)s was asked.")
                % {"number": invoice.number, "open": format_money(remaining, invoice.currency),
                   "amount": format_money(line.amount_minor, invoice.currency)},
                field=f"{field}.amount_minor",
            )
        open_after[invoice.pk] = remaining - line.amount_minor
        total += line.amount_minor
    if total > payment.amount_unallocated_minor:
        raise OverAllocation(
            _("Payment %(number)s has only %(left)s unallocated; %(total)s was asked.")
            % {"number": payment.number, "left": format_money(payment.amount_unallocated_minor, payment.currency),
               "total": format_money(total, payment.currency)},
            field="lines",
        )


def allocation_memo(payment: Payment, invoice: Invoice) -> str:
    return allocation_memos()(payment.number, invoice.number)


def allocation_memos() -> Callable[[str, str], str]:
    """``allocation_memo`` for many allocations, by payment and invoice number: the memo translated once (the bulk
    path)."""
    template = _("%(payment)s -> %(invoice)s")
    return lambda payment, invoice: template % {"payment": payment, "invoice": invoice}


def allocation_audit(*, invoice: Invoice, payment: Payment, amount_minor: int) -> tuple[JsonDict, JsonDict]:
    """(before, after) of a ``payment_allocated`` event, told after the allocation moved the amounts."""
    return ({"invoice_open_minor": invoice.amount_open_minor + amount_minor,
             "payment_unallocated_minor": payment.amount_unallocated_minor + amount_minor},
            {"invoice": invoice.number, "payment": payment.number, "amount_minor": amount_minor,
             "invoice_open_minor": invoice.amount_open_minor,
             "payment_unallocated_minor": payment.amount_unallocated_minor})


def _allocate_locked(*, actor: Actor, customer: Customer, payment: Payment, invoices: dict[int, Invoice],
                     lines: list[AllocationRequest], on: date) -> list[Allocation]:
    """Apply ``lines`` to rows that the caller has locked. Checks every rule before writing anything."""
    allocation_lines_checked(payment=payment, invoices=invoices, lines=lines, on=on)
    made = []
    for line in lines:
        invoice = invoices[line.invoice_id]
        before_open = invoice.amount_open_minor
        receivable = receivable_relieved(invoice, open_after=before_open - line.amount_minor)
        cash = cash_used(payment, unallocated_after=payment.amount_unallocated_minor - line.amount_minor)
        allocation = Allocation.objects.create(
            company=payment.company, invoice=invoice, payment=payment, amount_minor=line.amount_minor, date=on,
            receivable_base_minor=receivable, cash_base_minor=cash, created_by=user_or_none(actor),
        )
        invoice.amount_open_minor -= line.amount_minor
        invoice.save(update_fields=["amount_open_minor"])
        payment.amount_unallocated_minor -= line.amount_minor
        payment.save(update_fields=["amount_unallocated_minor"])
        entries = []
        if cash or receivable:
            # A few won or Hong Kong cents can be worth less than a fen: then nothing moves in CNY and
            # there is no entry to write (``arms ledger check`` expects none).
            entries.append(journal_write(
                company=payment.company, customer=customer, on=on, kind=EntryKind.ALLOCATION, allocation=allocation,
                invoice=invoice, payment=payment, lines=postings.allocation_lines(cash=cash, receivable=receivable),
                actor=actor,
                memo=allocation_memo(payment, invoice),
            ))
        before, after = allocation_audit(invoice=invoice, payment=payment, amount_minor=line.amount_minor)
        audit_record(actor=actor, action=AuditAction.PAYMENT_ALLOCATED, subject=allocation, before=before,
                     after=after, seals=journal_seals(*entries))
        made.append(allocation)
    # money received inside the discount window that settles the invoice but for its discount earns it (after every
    # line, so two lines for one invoice are judged on what they leave open together)
    for invoice_id in dict.fromkeys(line.invoice_id for line in lines):
        discount_grant_locked(actor=actor, customer=customer, invoice=invoices[invoice_id], payment=payment, on=on)
    return made


@transaction.atomic
def payment_allocate(*, actor: Actor, payment: Payment, lines: list[AllocationRequest], on: date | None = None,
                     idempotency_key: str | None = None) -> list[Allocation]:
    """Allocate a payment to invoices by hand. All lines or none."""
    if not lines:
        raise ValidationFailed(_("Name at least one invoice to allocate to."), field="lines")
    payload = {"payment": payment.pk, "lines": [(x.invoice_id, x.amount_minor) for x in lines], "on": on}

    def create() -> Allocation:
        customer = lock_customer(payment.customer_id)
        invoices = {
            inv.pk: inv
            for inv in invoices_qs_for_update(sorted({x.invoice_id for x in lines})).filter(customer=customer)
        }
        locked = payment_qs_for_update().get(pk=payment.pk)
        default_on = max([timezone.localdate(), locked.received_date, *(inv.issue_date for inv in invoices.values())])
        made = _allocate_locked(actor=actor, customer=customer, payment=locked, invoices=invoices, lines=lines,
                                on=on or default_on)
        return made[0]

    first, created = idempotent(scope="payment.allocate", key=idempotency_key, payload=payload, model=Allocation,
                                create=create)
    if created:
        return list(Allocation.objects.filter(payment=payment, pk__gte=first.pk).order_by("pk")[: len(lines)])
    return list(Allocation.objects.filter(payment=first.payment, pk__gte=first.pk).order_by("pk")[: len(lines)])


def auto_allocate_locked(*, actor: Actor, customer: Customer, payment_id: int,
                         on: date | None = None) -> list[Allocation]:
    """Plan over the customer's open items in the payment's currency that were issued by the allocation date (money
    cannot settle an invoice before it exists): an item open for exactly what is left of the payment, else oldest
    first; then allocate."""
    open_ids = list(
        Invoice.objects.filter(customer=customer, amount_open_minor__gt=0).values_list("pk", flat=True).order_by("pk")
    )
    invoices = {inv.pk: inv for inv in invoices_qs_for_update(open_ids)}
    payment = payment_qs_for_update().get(pk=payment_id)
    if payment.status != PaymentStatus.POSTED:
        raise AlreadyReversed(_("Payment %(number)s is reversed.") % {"number": payment.number}, field="payment")
    on = date_check(on or max(timezone.localdate(), payment.received_date), field="date")
    candidates = [inv for inv in invoices.values() if inv.currency == payment.currency and inv.issue_date <= on]
    discounted = [inv for inv in candidates
                  if (off := discount_open(gross=inv.gross_minor, basis_points=inv.discount_bp,
                                           until=inv.discount_until, amount_open=inv.amount_open_minor,
                                           on=payment.received_date))
                  and inv.amount_open_minor - off == payment.amount_unallocated_minor]
    if discounted and not any(inv.amount_open_minor == payment.amount_unallocated_minor for inv in candidates):
        # gross − discount inside the window is an exact match too: settle that item (the oldest, if several),
        # and the allocation grants the discount
        first = min(discounted, key=lambda inv: (inv.due_date, inv.issue_date, inv.pk))
        return _allocate_locked(actor=actor, customer=customer, payment=payment, invoices=invoices,
                                lines=[AllocationRequest(first.pk, payment.amount_unallocated_minor)], on=on)
    plan = plan_exact_or_oldest_first(
        payment.amount_unallocated_minor,
        [OpenItem(inv.pk, inv.due_date, inv.issue_date, inv.amount_open_minor) for inv in candidates],
    )
    if not plan:
        return []
    return _allocate_locked(
        actor=actor, customer=customer, payment=payment, invoices=invoices,
        lines=[AllocationRequest(line.item_id, line.amount) for line in plan], on=on,
    )


@transaction.atomic
def payment_auto_allocate(*, actor: Actor, payment: Payment, on: date | None = None) -> list[Allocation]:
    """Settle the open item equal to what is left of the payment, else the customer's oldest open items (by due
    date), with what is left of the payment."""
    customer = lock_customer(payment.customer_id)
    return auto_allocate_locked(actor=actor, customer=customer, payment_id=payment.pk, on=on)


def reverse_allocations_locked(*, actor: Actor, customer: Customer, allocations: list[Allocation],
                               on: date, reason: str) -> list[Allocation]:
    """Undo ``allocations`` (rows the caller has locked), each with ``reason`` stored on its reversing row."""
    made = []
    for original in allocations:
        if original.reverses_id is not None:
            raise ValidationFailed(_("A reversing allocation cannot itself be reversed."), field="allocation")
        if Allocation.objects.filter(reverses=original).exists():
            raise AlreadyReversed(_("This allocation is already reversed."), field="allocation")
        if original.credit_note_id is not None:
            raise ValidationFailed(_("A credit note's allocation is part of the credit note."), field="allocation")
        if original.write_off_id is not None:
            raise ValidationFailed(_("A write-off's allocation is part of the write-off; money that comes in is"
                                     " recorded as a recovery."), field="allocation")
        discount = (CreditNote.objects.filter(invoice_id=original.invoice_id, kind=CreditNoteKind.DISCOUNT)
                    .values_list("number", flat=True).first())
        if discount is not None:
            raise DiscountGranted(
                _("Invoice %(invoice)s was settled with early-payment discount %(note)s; the money that earned it "
                  "cannot be undone.") % {"invoice": original.invoice.number, "note": discount},
                field="allocation",
            )
        invoice = Invoice.objects.get(pk=original.invoice_id)
        assert original.payment_id is not None  # a credit note's allocation was refused above
        payment = Payment.objects.get(pk=original.payment_id)
        reversal = Allocation.objects.create(
            company=original.company, invoice=invoice, payment=payment, amount_minor=-original.amount_minor,
            date=on, receivable_base_minor=-original.receivable_base_minor,
            cash_base_minor=-original.cash_base_minor, reverses=original, reason=reason[:500],
            created_by=user_or_none(actor),
        )
        invoice.amount_open_minor += original.amount_minor
        invoice.save(update_fields=["amount_open_minor"])
        payment.amount_unallocated_minor += original.amount_minor
        payment.save(update_fields=["amount_unallocated_minor"])
        source = JournalEntry.objects.filter(allocation=original, kind=EntryKind.ALLOCATION).first()
        entries = []
        if source is not None:
            entries.append(journal_write(
                company=original.company, customer=customer, on=on, kind=EntryKind.ALLOCATION_REVERSAL,
                allocation=reversal, invoice=invoice, payment=payment,
                lines=postings.reversed_lines(entry_lines(source)), actor=actor,
                memo=_("Undo %(payment)s -> %(invoice)s") % {"payment": payment.number, "invoice": invoice.number},
            ))
        audit_record(
            actor=actor, action=AuditAction.ALLOCATION_REVERSED, subject=reversal,
            before={"allocation": original.pk, "amount_minor": original.amount_minor},
            after={"invoice_open_minor": invoice.amount_open_minor,
                   "payment_unallocated_minor": payment.amount_unallocated_minor, "reason": reversal.reason},
            seals=journal_seals(*entries),
        )
        made.append(reversal)
    return made


@transaction.atomic
def allocation_reverse(*, actor: Actor, allocation: Allocation, reason: str, on: date | None = None) -> Allocation:
    """Undo one allocation: the invoice is open again and the money is unapplied cash again. ``reason`` (required)
    is stored on the reversing row and in the audit event."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the allocation is undone."), field="reason")
    if len(reason) > 500:
        raise ValidationFailed(_("Keep the reason within 500 characters."), field="reason")
    customer = lock_customer(allocation.invoice.customer_id)
    list(invoices_qs_for_update([allocation.invoice_id]))
    payment = payment_qs_for_update().get(pk=allocation.payment_id) if allocation.payment_id else None
    if payment is not None and payment.status != PaymentStatus.POSTED:
        raise AlreadyReversed(_("The payment is reversed."), field="allocation")
    on = date_check(on or max(timezone.localdate(), allocation.date), field="date")
    if on < allocation.date:
        raise ValidationFailed(_("An undo cannot predate the allocation."), field="date")
    return reverse_allocations_locked(actor=actor, customer=customer, allocations=[allocation], on=on,
                                      reason=reason)[0]
