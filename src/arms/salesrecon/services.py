"""The monthly sales–finance reconciliation: finance opens a month, each salesperson agrees or lists differences,
differences get an owner and a resolution, and finance signs off (never the salesperson: the four-eyes rule).

Every service is one transaction that locks the reconciliation (or the difference's reconciliation), checks,
writes and appends its audit event. A refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record, canonical_text, sha256_hex
from arms.common.approvals import require_second_person
from arms.common.bounds import amount_check, date_check, text_check
from arms.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from arms.common.locks import lock_one
from arms.common.notify import notify
from arms.customers.models import Customer
from arms.customers.services import company_ensure
from arms.domain.terms import month_end, month_start
from arms.ledger.balances import balances_as_of
from arms.salesrecon.enums import DifferenceStatus, ReconStatus
from arms.salesrecon.models import ReconciliationDifference, SalesReconciliation

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor

MAX_DIFFERENCES = 500


def _snapshots(as_of: date, salesperson_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Per salesperson: their customers' closing balances at ``as_of``, one row per customer and currency.
    Two kinds of query whatever the number of customers: the customers (as values), the four balance sums."""
    customers = {row["pk"]: row for row in Customer.objects.filter(salesperson_id__in=salesperson_ids)
                 .values("pk", "code", "name", "salesperson_id")}
    result: dict[int, list[dict[str, Any]]] = {pk: [] for pk in salesperson_ids}
    owned = Customer.objects.filter(salesperson_id__in=salesperson_ids).values("pk")
    for (customer_id, currency), row in balances_as_of(as_of, customer_ids=owned).items():
        customer = customers[customer_id]
        result[customer["salesperson_id"]].append({
            "customer_id": customer_id, "code": customer["code"], "name": customer["name"], "currency": currency,
            "balance_minor": row.balance_minor, "balance_base_minor": row.balance_base_minor})
    for rows in result.values():
        rows.sort(key=lambda r: (r["code"], r["currency"]))
    return result


@transaction.atomic
def sales_recon_open(*, period: date, actor: Actor, salesperson: User | int | None = None) -> list[SalesReconciliation]:
    """Open the month of ``period`` (any day in it) for every salesperson who owns customers (or for the one
    given): snapshot their customers' balances at the month-end, hashed, and tell each salesperson. A month
    already open for a salesperson is left as it is; returns the reconciliations opened now."""
    date_check(period, field="period")
    start, end = month_start(period), month_end(period)
    if end >= timezone.localdate():
        raise ValidationFailed(_("The month has not ended yet; open it after its last day."), field="period")
    users = get_user_model().objects.filter(is_active=True)
    if salesperson is not None:
        users = users.filter(pk=getattr(salesperson, "pk", salesperson))
        if not users.exists():
            raise NotFound(_("No such salesperson."), field="salesperson_id")
    else:
        users = users.filter(sales_customers__isnull=False).distinct()
    already = set(SalesReconciliation.objects.filter(period=start).values_list("salesperson_id", flat=True))
    wanted = [pk for pk in users.order_by("pk").values_list("pk", flat=True) if pk not in already]
    company = company_ensure()
    opened = []
    snapshots = _snapshots(end, wanted)
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=wanted)}
    for pk in wanted:
        snapshot = snapshots[pk]
        rec = SalesReconciliation.objects.create(
            company=company, period=start, as_of=end, salesperson=people[pk], snapshot=snapshot,
            snapshot_sha256=sha256_hex(canonical_text(snapshot)), customers=len({r["customer_id"] for r in snapshot}),
            total_base_minor=sum(r["balance_base_minor"] for r in snapshot), opened_by=_user(actor))
        audit_record(actor=actor, action=AuditAction.SALES_RECON_OPENED, subject=rec, after={
            "period": f"{start:%Y-%m}", "as_of": end, "salesperson": pk, "customers": rec.customers,
            "total_base_minor": rec.total_base_minor, "snapshot_sha256": rec.snapshot_sha256})
        notify([rec.salesperson], kind="sales_recon",
               subject=_("Please confirm your customers' balances for %(month)s") % {"month": f"{start:%Y-%m}"},
               body=_("Finance has opened the sales–finance reconciliation of %(month)s: %(count)s customers. "
                      "Agree, or list the balances you see differently.")
               % {"month": f"{start:%Y-%m}", "count": rec.customers},
               link=reverse("salesrecon:detail", args=[rec.pk]))
        opened.append(rec)
    return opened


def _user(actor: Actor) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _locked(reconciliation_id: int) -> SalesReconciliation:
    try:
        return lock_one(SalesReconciliation.objects.all(), pk=reconciliation_id)
    except SalesReconciliation.DoesNotExist as exc:
        raise NotFound(_("No such reconciliation."), field="reconciliation_id") from exc


@dataclass(frozen=True)
class DifferenceIn:
    """One balance the salesperson sees differently: the customer, the amount they believe, why."""

    customer_id: int
    sales_minor: int
    note: str = ""
    currency: str = "CNY"


def _difference_clean(rec: SalesReconciliation, index: int, item: DifferenceIn | dict[str, Any],
                      seen: set[tuple[int, str]]) -> ReconciliationDifference:
    row = item if isinstance(item, DifferenceIn) else DifferenceIn(**item)
    where = f"differences[{index}]"
    if isinstance(row.customer_id, bool) or not isinstance(row.customer_id, int):
        raise ValidationFailed(_("Name the customer by its id."), field=f"{where}.customer_id")
    if isinstance(row.sales_minor, bool) or not isinstance(row.sales_minor, int):
        raise ValidationFailed(_("The amount must be a whole number of minor units."), field=f"{where}.sales_minor")
    amount_check(row.sales_minor, field=f"{where}.sales_minor")
    text_check(row.note, field=f"{where}.note")
    currency = (row.currency or "").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationFailed(_("A currency is three letters, e.g. CNY."), field=f"{where}.currency")
    in_snapshot = {(r["customer_id"], r["currency"]): r for r in rec.snapshot}
    owns = Customer.objects.filter(pk=row.customer_id, salesperson_id=rec.salesperson_id).exists()
    if not owns and not any(cid == row.customer_id for cid, _cur in in_snapshot):
        raise ValidationFailed(_("Customer %(id)s is not one of this salesperson's customers.")
                               % {"id": row.customer_id}, field=f"{where}.customer_id")
    if (row.customer_id, currency) in seen:
        raise ValidationFailed(_("This customer and currency are listed twice."), field=f"{where}.customer_id")
    seen.add((row.customer_id, currency))
    ledger = in_snapshot.get((row.customer_id, currency), {}).get("balance_minor", 0)
    if row.sales_minor == ledger:
        raise ValidationFailed(_("This is the balance finance shows; it is no difference."),
                               field=f"{where}.sales_minor")
    return ReconciliationDifference(reconciliation=rec, customer_id=row.customer_id, currency=currency,
                                    ledger_minor=ledger, sales_minor=row.sales_minor, note=row.note)


@transaction.atomic
def sales_recon_answer(*, reconciliation: SalesReconciliation, actor: Actor, agree: bool,
                       differences: Sequence[DifferenceIn | dict[str, Any]] = (),
                       note: str = "") -> SalesReconciliation:
    """The salesperson agrees with every balance, or lists the ones they see differently (at least one)."""
    rec = _locked(reconciliation.pk)
    if getattr(actor, "pk", None) != rec.salesperson_id:
        raise Forbidden(_("Only the salesperson whose customers these are can answer."))
    if rec.status != ReconStatus.OPEN:
        raise Conflict(_("This reconciliation was already answered."), field="status")
    text_check(note, field="note")
    differences = list(differences)
    if agree and differences:
        raise ValidationFailed(_("Agree, or list differences: not both."), field="differences")
    if not agree and not differences:
        raise ValidationFailed(_("List at least one balance you see differently."), field="differences")
    if len(differences) > MAX_DIFFERENCES:
        raise ValidationFailed(_("At most %(max)s differences at once.") % {"max": MAX_DIFFERENCES},
                               field="differences")
    seen: set[tuple[int, str]] = set()
    rows = [_difference_clean(rec, i, item, seen) for i, item in enumerate(differences)]
    ReconciliationDifference.objects.bulk_create(rows)
    before = {"status": rec.status}
    rec.status = ReconStatus.AGREED if agree else ReconStatus.DIFFERENCES
    rec.answered_at = timezone.now()
    rec.answer_note = note
    rec.save(update_fields=["status", "answered_at", "answer_note"])
    audit_record(actor=actor, action=AuditAction.SALES_RECON_ANSWERED, subject=rec, before=before, after={
        "status": rec.status, "note": note, "differences": [
            {"customer": d.customer_id, "currency": d.currency, "ledger_minor": d.ledger_minor,
             "sales_minor": d.sales_minor, "note": d.note} for d in rows]})
    return rec


def _difference_locked(difference_id: int) -> tuple[SalesReconciliation, ReconciliationDifference]:
    row = ReconciliationDifference.objects.filter(pk=difference_id).values("reconciliation_id").first()
    if row is None:
        raise NotFound(_("No such difference."), field="difference_id")
    rec = _locked(row["reconciliation_id"])
    return rec, lock_one(ReconciliationDifference.objects.all(), pk=difference_id)


@transaction.atomic
def sales_recon_difference_assign(*, difference: ReconciliationDifference, actor: Actor,
                                  owner: User | None) -> ReconciliationDifference:
    """Give the difference an owner, who is told."""
    rec, diff = _difference_locked(difference.pk)
    if rec.status == ReconStatus.SIGNED_OFF or diff.status != DifferenceStatus.OPEN:
        raise Conflict(_("This difference is already resolved."), field="status")
    if owner is None or not getattr(owner, "is_active", False):
        raise ValidationFailed(_("Choose an active user as the owner."), field="owner_id")
    before = {"owner": diff.owner_id}
    diff.owner = owner
    diff.save(update_fields=["owner"])
    audit_record(actor=actor, action=AuditAction.SALES_RECON_DIFFERENCE_ASSIGNED, subject=diff, before=before,
                 after={"owner": owner.pk})
    notify([owner], kind="sales_recon",
           subject=_("A balance difference of %(month)s is yours to clear up") % {"month": f"{rec.period:%Y-%m}"},
           body=diff.note, link=reverse("salesrecon:detail", args=[rec.pk]))
    return diff


@transaction.atomic
def sales_recon_difference_resolve(*, difference: ReconciliationDifference, actor: Actor,
                                   resolution: str) -> ReconciliationDifference:
    """Record how the difference was cleared up (a credit note, a payment found, explained to the salesperson)."""
    _rec, diff = _difference_locked(difference.pk)
    if diff.status != DifferenceStatus.OPEN:
        raise Conflict(_("This difference is already resolved."), field="status")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationFailed(_("Say how the difference was cleared up."), field="resolution")
    text_check(resolution, field="resolution")
    diff.status = DifferenceStatus.RESOLVED
    diff.resolution = resolution
    diff.resolved_at = timezone.now()
    diff.resolved_by = _user(actor)
    if diff.owner_id is None:
        diff.owner = _user(actor)
    diff.save(update_fields=["status", "resolution", "resolved_at", "resolved_by", "owner"])
    audit_record(actor=actor, action=AuditAction.SALES_RECON_DIFFERENCE_RESOLVED, subject=diff,
                 before={"status": DifferenceStatus.OPEN}, after={"status": diff.status, "resolution": resolution})
    return diff


@transaction.atomic
def sales_recon_sign_off(*, reconciliation: SalesReconciliation, actor: Actor, note: str = "") -> SalesReconciliation:
    """Finance signs off an answered month: a person other than the salesperson, every difference resolved."""
    rec = _locked(reconciliation.pk)
    require_second_person(rec.salesperson_id, actor)
    if rec.status == ReconStatus.SIGNED_OFF:
        raise Conflict(_("This reconciliation is already signed off."), field="status")
    if rec.status == ReconStatus.OPEN:
        raise Conflict(_("The salesperson has not answered yet."), field="status")
    text_check(note, field="note")
    open_count = rec.differences.filter(status=DifferenceStatus.OPEN).count()
    if open_count:
        raise Conflict(_("%(count)s differences are not resolved yet.") % {"count": open_count},
                       field="differences")
    before = {"status": rec.status}
    rec.status = ReconStatus.SIGNED_OFF
    rec.signed_off_at = timezone.now()
    rec.signed_off_by = _user(actor)
    rec.sign_off_note = note
    rec.save(update_fields=["status", "signed_off_at", "signed_off_by", "sign_off_note"])
    audit_record(actor=actor, action=AuditAction.SALES_RECON_SIGNED_OFF, subject=rec, before=before,
                 after={"status": rec.status, "note": note, "snapshot_sha256": rec.snapshot_sha256})
    return rec
