"""invoice_write_off and write_off_recover (核销坏账 and the recovery of a written-off amount).

A write-off settles part or all of an invoice's open amount like a credit note does, through an ``Allocation``
(``write_off`` set): Dr ``account`` (1231 坏账准备 for a bad debt; 6603/6711 for a small balance) / Cr 1122 of the
receivable relieved at the invoice's rate. A recovery is a negative allocation naming the write-off: the invoice
is open again by that much (Dr 1122 / Cr ``account``), so the money that came in can be allocated to it as usual.
Who may write off what (the request and its three sign-offs) is decided above the ledger (arms.writeoffs).
"""

from __future__ import annotations

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
from arms.common.locks import invoices_qs_for_update, lock_customer, lock_one, payment_qs_for_update
from arms.domain import journal as postings
from arms.domain.journal import AccountCode
from arms.domain.money import format_money, proportional_part
from arms.ledger.enums import WRITE_OFF_KIND_ACCOUNTS, EntryKind, WriteOffKind
from arms.ledger.models import Allocation, Invoice, Payment, WriteOff
from arms.ledger.seal import journal_seals
from arms.ledger.services.allocations import AllocationRequest, _allocate_locked
from arms.ledger.services.common import positive_or_error, receivable_relieved, relief_step
from arms.ledger.services.invoices import invoice_snapshot
from arms.ledger.services.journal import journal_write

if TYPE_CHECKING:
    from arms.common.typing import Actor
    from arms.customers.models import Customer


def _text(value: str, *, field: str, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("This field is required."), field=field)
    if len(value) > limit:
        raise ValidationFailed(_("Keep it within %(limit)s characters.") % {"limit": limit}, field=field)
    return value


def write_off_locked(*, actor: Actor, customer: Customer, invoice: Invoice, amount_minor: int, on: date, kind: str,
                     account: str, reason: str, reference: str = "") -> WriteOff:
    """Write off ``amount_minor`` of ``invoice``, a row the caller has locked after its customer. Checks every
    rule before writing anything."""
    positive_or_error(amount_minor, "amount_minor")
    date_check(on, field="date")
    if kind not in WriteOffKind.values:
        raise ValidationFailed(_("Choose a kind of write-off."), field="kind")
    if account not in WRITE_OFF_KIND_ACCOUNTS[kind]:
        raise ValidationFailed(
            _("A %(kind)s is written off to account %(accounts)s.")
            % {"kind": WriteOffKind(kind).label, "accounts": " / ".join(WRITE_OFF_KIND_ACCOUNTS[kind])},
            field="account",
        )
    reason = _text(reason, field="reason", limit=500, required=True)
    reference = _text(reference, field="reference", limit=60, required=False)
    if invoice.customer_id != customer.pk:
        raise ValidationFailed(_("The invoice belongs to another customer."), field="invoice")
    if on < invoice.issue_date:
        raise ValidationFailed(
            _("A write-off cannot predate invoice %(number)s (issued %(date)s).")
            % {"number": invoice.number, "date": invoice.issue_date},
            field="date",
        )
    if amount_minor > invoice.amount_open_minor:
        raise ValidationFailed(
            _("Invoice %(number)s has only %(open)s open; %(amount)s was asked.")
            % {"number": invoice.number, "open": format_money(invoice.amount_open_minor, invoice.currency),
               "amount": format_money(amount_minor, invoice.currency)},
            field="amount_minor",
        )
    before = invoice_snapshot(invoice)
    receivable = receivable_relieved(invoice, open_after=invoice.amount_open_minor - amount_minor)
    write_off = WriteOff.objects.create(
        company=invoice.company, customer=customer, invoice=invoice, date=on, currency=invoice.currency,
        amount_minor=amount_minor, base_minor=receivable, kind=kind, account=account, reason=reason,
        reference=reference, posted_by=user_or_none(actor),
    )
    allocation = Allocation.objects.create(
        company=invoice.company, invoice=invoice, write_off=write_off, amount_minor=amount_minor, date=on,
        receivable_base_minor=receivable, cash_base_minor=0, reason=reason, created_by=user_or_none(actor),
    )
    invoice.amount_open_minor -= amount_minor
    invoice.save(update_fields=["amount_open_minor"])
    entries = []
    if receivable:
        # a few won may be worth less than a fen: then nothing moves in CNY and there is no entry
        entries.append(journal_write(
            company=invoice.company, customer=customer, on=on, kind=EntryKind.WRITE_OFF, invoice=invoice,
            allocation=allocation, actor=actor,
            lines=postings.write_off_lines(account=AccountCode(account), receivable=receivable),
            memo=_("Write-off %(reference)s on %(invoice)s")
            % {"reference": reference or write_off.pk, "invoice": invoice.number},
        ))
    audit_record(
        actor=actor, action=AuditAction.INVOICE_WRITTEN_OFF, subject=write_off,
        before={"invoice": before},
        after={"invoice": invoice_snapshot(invoice), "amount_minor": amount_minor, "base_minor": receivable,
               "kind": kind, "account": account, "reason": reason, "reference": reference},
        seals=journal_seals(*entries),
    )
    return write_off


@transaction.atomic
def invoice_write_off(*, actor: Actor, invoice: Invoice, amount_minor: int, on: date, kind: str, account: str,
                      reason: str, reference: str = "") -> WriteOff:
    """Write off part or all of an invoice's open amount (核销坏账). Locks the customer, then the invoice."""
    customer = lock_customer(invoice.customer_id)
    locked = invoices_qs_for_update([invoice.pk]).get()
    return write_off_locked(actor=actor, customer=customer, invoice=locked, amount_minor=amount_minor, on=on,
                            kind=kind, account=account, reason=reason, reference=reference)


def recover_locked(*, actor: Actor, customer: Customer, invoice: Invoice, write_off: WriteOff, amount_minor: int,
                   on: date, reason: str) -> Allocation:
    """Recover ``amount_minor`` of ``write_off``; the caller has locked the customer, the invoice and then the
    write-off (and any payment between them)."""
    positive_or_error(amount_minor, "amount_minor")
    date_check(on, field="date")
    reason = _text(reason, field="reason", limit=500, required=True)
    if on < write_off.date:
        raise ValidationFailed(_("A recovery cannot predate the write-off (%(date)s).") % {"date": write_off.date},
                               field="date")
    recoveries = write_off.allocations.filter(amount_minor__lt=0).aggregate(
        amount=Sum("amount_minor"), base=Sum("receivable_base_minor"))
    recovered = -(recoveries["amount"] or 0)
    recovered_base = -(recoveries["base"] or 0)
    left = write_off.amount_minor - recovered
    if amount_minor > left:
        raise ValidationFailed(
            _("Only %(left)s of this write-off is left to recover; %(amount)s was asked.")
            % {"left": format_money(left, write_off.currency),
               "amount": format_money(amount_minor, write_off.currency)},
            field="amount_minor",
        )
    target = proportional_part(write_off.base_minor, write_off.amount_minor, recovered + amount_minor)
    base = relief_step(target, recovered_base)
    before_open = invoice.amount_open_minor
    recovery = Allocation.objects.create(
        company=write_off.company, invoice=invoice, write_off=write_off, amount_minor=-amount_minor, date=on,
        receivable_base_minor=-base, cash_base_minor=0, reason=reason, created_by=user_or_none(actor),
    )
    invoice.amount_open_minor += amount_minor
    invoice.save(update_fields=["amount_open_minor"])
    entries = []
    if base:
        entries.append(journal_write(
            company=write_off.company, customer=customer, on=on, kind=EntryKind.WRITE_OFF_RECOVERY, invoice=invoice,
            allocation=recovery, actor=actor,
            lines=postings.write_off_recovery_lines(account=AccountCode(write_off.account), receivable=base),
            memo=_("Recovery of write-off %(reference)s on %(invoice)s")
            % {"reference": write_off.reference or write_off.pk, "invoice": invoice.number},
        ))
    audit_record(
        actor=actor, action=AuditAction.WRITE_OFF_RECOVERED, subject=recovery,
        before={"write_off": write_off.pk, "recovered_minor": recovered, "invoice_open_minor": before_open},
        after={"amount_minor": amount_minor, "base_minor": base, "recovered_minor": recovered + amount_minor,
               "invoice_open_minor": invoice.amount_open_minor, "reason": reason},
        seals=journal_seals(*entries),
    )
    return recovery


def lock_write_off(write_off_id: int) -> WriteOff:
    """The write-off row, locked (after its customer, invoice and any payment: it is the document decided)."""
    return lock_one(WriteOff.objects.all(), pk=write_off_id)


@transaction.atomic
def write_off_recover(*, actor: Actor, write_off: WriteOff, amount_minor: int, on: date, reason: str) -> Allocation:
    """Recover part or all of a write-off: the invoice is open again by ``amount_minor`` (Dr 1122 / Cr the
    write-off's account) so that a payment can then be allocated to it."""
    customer = lock_customer(write_off.customer_id)
    invoice = invoices_qs_for_update([write_off.invoice_id]).get()
    locked = lock_write_off(write_off.pk)
    return recover_locked(actor=actor, customer=customer, invoice=invoice, write_off=locked,
                          amount_minor=amount_minor, on=on, reason=reason)


def apply_to_written_off_locked(*, actor: Actor, customer: Customer, payment: Payment, invoice: Invoice,
                                amount_minor: int, on: date) -> tuple[list[Allocation], list[Allocation]]:
    """Apply ``amount_minor`` of ``payment`` to ``invoice``, recovering from its write-offs (oldest first) what its
    open amount does not cover; the caller has locked the customer, the invoice and the payment. Returns
    (recoveries, allocations)."""
    positive_or_error(amount_minor, "amount_minor")
    if payment.customer_id != invoice.customer_id or payment.currency != invoice.currency:
        raise ValidationFailed(_("The payment and the invoice are of different customers or currencies."),
                               field="invoice_id")
    if amount_minor > payment.amount_unallocated_minor:
        raise ValidationFailed(
            _("Payment %(number)s has only %(left)s unallocated; %(total)s was asked.")
            % {"number": payment.number, "left": format_money(payment.amount_unallocated_minor, payment.currency),
               "total": format_money(amount_minor, payment.currency)},
            field="amount_minor")
    to_recover = amount_minor - invoice.amount_open_minor
    recoveries = []
    if to_recover > 0:
        write_offs = [lock_write_off(pk) for pk in invoice.write_offs.order_by("pk").values_list("pk", flat=True)]
        left = {w.pk: w.amount_minor + sum(a.amount_minor for a in w.allocations.filter(amount_minor__lt=0))
                for w in write_offs}
        if sum(left.values()) < to_recover:
            raise ValidationFailed(
                _("Invoice %(number)s has %(open)s open and %(written)s written off: less than %(amount)s.")
                % {"number": invoice.number, "open": format_money(invoice.amount_open_minor, invoice.currency),
                   "written": format_money(sum(left.values()), invoice.currency),
                   "amount": format_money(amount_minor, invoice.currency)},
                field="amount_minor")
        for write_off in write_offs:
            part = min(left[write_off.pk], to_recover)
            if part <= 0:
                continue
            recoveries.append(recover_locked(
                actor=actor, customer=customer, invoice=invoice, write_off=write_off, amount_minor=part, on=on,
                reason=_("Paid by %(payment)s") % {"payment": payment.number}))
            to_recover -= part
    made = _allocate_locked(actor=actor, customer=customer, payment=payment, invoices={invoice.pk: invoice},
                            lines=[AllocationRequest(invoice.pk, amount_minor)], on=on)
    return recoveries, made


@transaction.atomic
def payment_apply_to_written_off(*, actor: Actor, payment: Payment, invoice: Invoice, amount_minor: int,
                                 on: date | None = None) -> tuple[list[Allocation], list[Allocation]]:
    """Money that arrives for a written-off invoice: recover the write-off by what the invoice's open amount does
    not cover, then allocate the payment to the invoice, in one transaction (Dr 1122 / Cr 1231, then Dr 2203 /
    Cr 1122)."""
    customer = lock_customer(payment.customer_id)
    locked_invoice = invoices_qs_for_update([invoice.pk]).get()
    locked_payment = payment_qs_for_update().get(pk=payment.pk)
    day = date_check(on or max(timezone.localdate(), locked_payment.received_date), field="date")
    return apply_to_written_off_locked(actor=actor, customer=customer, payment=locked_payment,
                                       invoice=locked_invoice, amount_minor=amount_minor, on=day)
