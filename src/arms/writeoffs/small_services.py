"""Small balances (小额尾差): the thresholds, the account, and the bulk write-off of residues with one approval.

- ``small_balance_threshold_set`` / ``small_balance_account_set``: a finance manager's settings (audited).
- ``small_balance_batch_request``: a finance clerk or manager asks to write off residues (all of them, or the
  invoices chosen). Each must be a residue now; the batch keeps each one's open amount.
- ``small_balance_batch_approve``: a finance manager other than the requester (``require_second_person``)
  approves. Every item must still be the residue it was (same open amount, still below the threshold), else the
  approval is refused naming the invoice (``not_a_residue``) and nothing is written. Up to ``POST_INLINE`` items
  are then posted in the approval's transaction; a bigger batch is posted by a background job
  (``writeoffs.small_balances``), one item per transaction, and an item that was paid or changed in between is
  left alone and marked skipped.
- Each item is posted through the ledger's ``invoice_write_off(kind="small_balance", account=<6603|6711>)``, which
  writes its journal entry and its own audit event; the batch writes one event for the whole when it is posted.

A residue is defined once, in ``arms.ledger.small_balances.residue_q``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.approvals import require_second_person
from arms.common.bounds import date_check
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed, money_message
from arms.common.jobs import job_start
from arms.common.locks import customer_qs_for_update, invoices_qs_for_update, lock_customer, qs_for_update
from arms.customers.services import company_ensure
from arms.domain.money import MoneyError, check_currency, format_money, proportional_part
from arms.ledger.models import Invoice, SmallBalanceBatch, SmallBalanceBatchItem, SmallBalanceSettings
from arms.ledger.models.small_balance import (
    SMALL_BALANCE_MAX_MINOR,
    BatchStatus,
    SmallBalanceAccount,
    SmallBalanceThreshold,
)
from arms.ledger.services.writeoffs import invoice_write_off
from arms.ledger.small_balances import residue_q, residues, small_balance_account

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor, JsonDict

#: an approval posts up to this many items itself; a bigger batch is posted by a background job
POST_INLINE = 100
#: at most this many residues in one batch (a job's worth; the rest go in the next batch)
MAX_ITEMS = 5_000
KIND = "small_balance"
JOB_KIND = "writeoffs.small_balances"

APPROVE_PERMISSION = "ledger.approve_smallbalancebatch"
REQUEST_PERMISSION = "ledger.add_smallbalancebatch"


# ---------------------------------------------------------------- settings


@transaction.atomic
def small_balance_threshold_set(*, actor: Actor, currency: str, threshold_minor: int) -> SmallBalanceThreshold:
    """Set the residue threshold of ``currency`` (0 turns residues of that currency off)."""
    try:
        code = check_currency(currency)
    except MoneyError as exc:
        raise ValidationFailed(money_message(exc), field="currency") from exc
    if not isinstance(threshold_minor, int) or isinstance(threshold_minor, bool) or not (
            0 <= threshold_minor <= SMALL_BALANCE_MAX_MINOR):
        raise ValidationFailed(_("The threshold is between 0 and %(max)s.") % {
            "max": format_money(SMALL_BALANCE_MAX_MINOR, code)}, field="threshold_minor")
    company = company_ensure()
    existing = qs_for_update(SmallBalanceThreshold.objects.filter(company=company, currency=code)).first()
    before = {"currency": code, "threshold_minor": existing.threshold_minor} if existing else None
    row, _created = SmallBalanceThreshold.objects.update_or_create(
        company=company, currency=code,
        defaults={"threshold_minor": threshold_minor, "updated_by": user_or_none(actor)})
    audit_record(actor=actor, action="small_balance_threshold_set", subject=row, before=before,
                 after={"currency": code, "threshold_minor": threshold_minor})
    return row


@transaction.atomic
def small_balance_account_set(*, actor: Actor, account: str) -> SmallBalanceSettings:
    """Choose the account residues are written off to: 6603 财务费用 or 6711 营业外支出."""
    if account not in SmallBalanceAccount.values:
        raise ValidationFailed(_("%(value)s is not an account for small balances; use one of %(choices)s.") % {
            "value": str(account)[:10], "choices": ", ".join(SmallBalanceAccount.values)}, field="account")
    company = company_ensure()
    before = small_balance_account(company)
    row, _created = SmallBalanceSettings.objects.update_or_create(
        company=company, defaults={"account": account, "updated_by": user_or_none(actor)})
    audit_record(actor=actor, action="small_balance_account_set", subject=row, before={"account": before},
                 after={"account": account})
    return row


# ---------------------------------------------------------------- the batch


def batch_snapshot(batch: SmallBalanceBatch) -> JsonDict:
    return {"status": batch.status, "account": batch.account, "on": batch.on, "items": batch.items_count,
            "total_base_minor": batch.total_base_minor, "posted": batch.posted_count, "note": batch.note,
            "requested_by": batch.requested_by_id, "decided_by": batch.decided_by_id,
            "decision_note": batch.decision_note}


def _note(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > 500:
        raise ValidationFailed(_("At most 500 characters."), field=field)
    return value


def _not_a_residue(invoice: Invoice) -> Conflict:
    return Conflict(_("Invoice %(number)s is not a small balance any more (open %(open)s).") % {
        "number": invoice.number, "open": format_money(invoice.amount_open_minor, invoice.currency)},
        code=ErrorCode.NOT_A_RESIDUE, field="invoices", invoice=invoice.pk, number=invoice.number)


@transaction.atomic
def small_balance_batch_request(*, actor: Actor, invoice_ids: list[int] | None = None, on: date | None = None,
                                note: str = "") -> SmallBalanceBatch:
    """Ask to write off residues: ``invoice_ids`` (each must be a residue), or every residue when None."""
    requester = user_or_none(actor)
    if requester is None or not requester.has_perm(REQUEST_PERMISSION):
        raise Forbidden(_("Only finance can ask to write off small balances."))
    on = on or timezone.localdate()
    date_check(on, field="on")
    if on > timezone.localdate():
        raise ValidationFailed(_("A write-off cannot be dated in the future."), field="on")
    note = _note(note, "note")
    if invoice_ids is not None:
        ids = sorted({int(pk) for pk in invoice_ids})
        if not ids:
            raise ValidationFailed(_("Choose at least one small balance."), field="invoices")
        if len(ids) > MAX_ITEMS:
            raise ValidationFailed(_("At most %(max)s items in one batch.") % {"max": MAX_ITEMS}, field="invoices")
        chosen = {inv.pk: inv for inv in Invoice.objects.filter(pk__in=ids)}
        missing = [pk for pk in ids if pk not in chosen]
        if missing:
            raise ValidationFailed(_("Invoice %(id)s does not exist.") % {"id": missing[0]}, field="invoices")
        found = set(residues(Invoice.objects.filter(pk__in=ids)).values_list("pk", flat=True))
        for pk in ids:
            if pk not in found:
                raise _not_a_residue(chosen[pk])
        items = [chosen[pk] for pk in ids]
    else:
        items = list(residues().order_by("pk")[:MAX_ITEMS])
        if not items:
            raise ValidationFailed(_("There are no small balances to write off."), field="invoices")
    company = company_ensure()
    batch = SmallBalanceBatch.objects.create(
        company=company, account=small_balance_account(company), on=on, note=note, requested_by=requester,
        items_count=len(items), total_base_minor=sum(_base_of(inv) for inv in items))
    SmallBalanceBatchItem.objects.bulk_create([
        SmallBalanceBatchItem(batch=batch, invoice=inv, currency=inv.currency, amount_minor=inv.amount_open_minor)
        for inv in items])
    audit_record(actor=actor, action="small_balance_batch_requested", subject=batch, after={
        **batch_snapshot(batch), "invoices": [inv.pk for inv in items]})
    return batch


def _base_of(invoice: Invoice) -> int:
    """The open amount in CNY fen at the invoice's own rate (what the receivable carries it at)."""
    settled = invoice.gross_minor - invoice.amount_open_minor
    # integers, as the ledger relieves it (ledger.services.common.receivable_relieved): no float near an amount
    return invoice.gross_base_minor - proportional_part(invoice.gross_base_minor, invoice.gross_minor, settled)


def _decider(batch: SmallBalanceBatch, actor: Actor) -> User:
    decider = user_or_none(actor)
    if decider is None or not decider.has_perm(APPROVE_PERMISSION):
        raise Forbidden(_("Only a finance manager can decide on a small-balance write-off."))
    require_second_person(batch.requested_by_id, actor)
    return decider


def _lock_batch(batch: SmallBalanceBatch) -> SmallBalanceBatch:
    locked = qs_for_update(SmallBalanceBatch.objects.all()).get(pk=batch.pk)
    if locked.status != BatchStatus.PENDING:
        raise Conflict(_("This batch was already decided (%(status)s).") % {"status": locked.get_status_display()},
                       code=ErrorCode.APPROVAL_NOT_PENDING)
    return locked


@transaction.atomic
def small_balance_batch_approve(*, actor: Actor, batch: SmallBalanceBatch, note: str = "") -> SmallBalanceBatch:
    """Approve and post (see the module docstring). Refused, writing nothing, for the requester, for anybody but
    a finance manager, for a batch already decided, and when an item is no longer the residue it was."""
    decider = _decider(batch, actor)
    note = _note(note, "note")
    items = list(SmallBalanceBatchItem.objects.filter(batch_id=batch.pk).order_by("invoice_id")
                 .values_list("invoice_id", "amount_minor"))
    in_batch = Invoice.objects.filter(small_balance_items__batch_id=batch.pk)
    # customers, then their invoices by pk, then the batch (the lock order of arms.common.locks)
    list(customer_qs_for_update().filter(pk__in=in_batch.values("customer_id")).order_by("pk")
         .values_list("pk", flat=True))
    invoices = {inv.pk: inv for inv in qs_for_update(in_batch.order_by("pk"))}
    locked = _lock_batch(batch)
    still = set(residues(in_batch).values_list("pk", flat=True))
    for pk, amount in items:
        if pk not in still or invoices[pk].amount_open_minor != amount:
            raise _not_a_residue(invoices[pk])
    before = batch_snapshot(locked)
    locked.status = BatchStatus.APPROVED
    locked.decided_by, locked.decided_at, locked.decision_note = decider, timezone.now(), note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action="small_balance_batch_approved", subject=locked, before=before,
                 after=batch_snapshot(locked))
    if len(items) <= POST_INLINE:
        for item in SmallBalanceBatchItem.objects.filter(batch=locked).select_related("invoice").order_by("invoice"):
            _post_item(locked, item, actor=actor, strict=True)
        _finish(locked, actor=actor)
    else:
        job_start(kind=JOB_KIND, params={"batch_id": locked.pk}, actor=actor, dedupe_key=f"batch:{locked.pk}")
    return locked


@transaction.atomic
def small_balance_batch_reject(*, actor: Actor, batch: SmallBalanceBatch, note: str) -> SmallBalanceBatch:
    """A finance manager other than the requester rejects, saying why. Nothing is written off."""
    decider = _decider(batch, actor)
    note = _note(note, "note")
    if not note:
        raise ValidationFailed(_("Say why the write-off is rejected."), field="note")
    locked = _lock_batch(batch)
    before = batch_snapshot(locked)
    locked.status = BatchStatus.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = decider, timezone.now(), note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action="small_balance_batch_rejected", subject=locked, before=before,
                 after=batch_snapshot(locked))
    return locked


def _post_item(batch: SmallBalanceBatch, item: SmallBalanceBatchItem, *, actor: Actor, strict: bool) -> bool:
    """Write off one item through the ledger; with ``strict`` a changed item refuses, otherwise it is skipped."""
    invoice = invoices_qs_for_update([item.invoice_id]).get()
    is_residue = Invoice.objects.filter(pk=invoice.pk).filter(residue_q()).exists()
    if not is_residue or invoice.amount_open_minor != item.amount_minor:
        if strict:
            raise _not_a_residue(invoice)
        item.skipped = _("Open %(open)s when posted, %(asked)s when asked for.") % {
            "open": format_money(invoice.amount_open_minor, invoice.currency),
            "asked": format_money(item.amount_minor, item.currency)}
        item.save(update_fields=["skipped"])
        return False
    invoice_write_off(actor=actor, invoice=invoice, amount_minor=item.amount_minor, on=batch.on, kind=KIND,
                      account=batch.account, reason=_("Small balance"), reference=batch.reference)
    item.posted_at = timezone.now()
    item.save(update_fields=["posted_at"])
    return True


def _finish(batch: SmallBalanceBatch, *, actor: Actor) -> None:
    posted = SmallBalanceBatchItem.objects.filter(batch=batch, posted_at__isnull=False)
    batch.posted_count = posted.count()
    batch.status = BatchStatus.POSTED
    batch.save(update_fields=["posted_count", "status"])
    audit_record(actor=actor, action="small_balance_batch_posted", subject=batch, after={
        **batch_snapshot(batch), "posted_amount_minor": dict(
            posted.order_by().values("currency").annotate(total=Sum("amount_minor")).values_list("currency", "total")),
        "skipped": SmallBalanceBatchItem.objects.filter(batch=batch, posted_at__isnull=True).count()})


@transaction.atomic
def _post_one(batch_id: int, item_id: int, actor: Actor) -> bool:
    batch = SmallBalanceBatch.objects.get(pk=batch_id)
    item = SmallBalanceBatchItem.objects.select_related("invoice").get(pk=item_id)
    lock_customer(item.invoice.customer_id)  # customer, then invoice, then the item (arms.common.locks)
    invoices_qs_for_update([item.invoice_id]).get()
    item = qs_for_update(SmallBalanceBatchItem.objects.filter(pk=item_id)).get()
    if item.posted_at is not None or item.skipped:
        return False
    return _post_item(batch, item, actor=actor, strict=False)


@transaction.atomic
def _finish_locked(batch_id: int, actor: Actor) -> SmallBalanceBatch:
    batch = qs_for_update(SmallBalanceBatch.objects.all()).get(pk=batch_id)
    if batch.status == BatchStatus.APPROVED:
        _finish(batch, actor=actor)
    return batch


def small_balance_batch_post(*, actor: Actor, batch: SmallBalanceBatch,
                             progress: Callable[[int, int], None] | None = None) -> SmallBalanceBatch:
    """Post an approved batch's items one per transaction (the background job; started again, it continues
    with the items not yet posted), then mark it posted with one audit event."""
    if batch.status != BatchStatus.APPROVED:
        raise Conflict(_("Only an approved batch is posted."), code=ErrorCode.APPROVAL_NOT_PENDING)
    ids = list(SmallBalanceBatchItem.objects.filter(batch=batch).order_by("invoice_id").values_list("pk", flat=True))
    for done, item_id in enumerate(ids, start=1):
        _post_one(batch.pk, item_id, actor)
        if progress:
            progress(done, len(ids))
    return _finish_locked(batch.pk, actor)

