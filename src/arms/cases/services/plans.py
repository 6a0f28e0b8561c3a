"""Installment plans (分期付款): request, approve or reject (a finance manager who is not the requester),
track against the payments allocated to the plan's invoices, and find breaches."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.enums import ActivityKind, Level, PlanStatus, TaskKind
from arms.cases.errors import AlreadyClosed
from arms.cases.models import InstallmentLine, InstallmentPlan
from arms.cases.services.activities import activity_record
from arms.cases.services.common import customer_invoices_locked, invoice_ids
from arms.cases.services.escalation import escalate
from arms.common.actors import user_or_none
from arms.common.approvals import require_second_person
from arms.common.bounds import date_check
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import lock_customer, qs_for_update
from arms.common.services import idempotent
from arms.domain.money import format_money, split_largest_remainder
from arms.ledger.models import Allocation

if TYPE_CHECKING:
    from collections.abc import Iterable

    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Customer
    from arms.ledger.models import Invoice

MAX_INSTALLMENTS = 60


@dataclass(frozen=True)
class ScheduleLine:
    due_on: date
    amount_minor: int


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_schedule(*, total_minor: int, installments: int, first_due_on: date, every_months: int = 1
                  ) -> list[ScheduleLine]:
    """Equal installments, monthly (or every ``every_months``), split by largest remainder so they add up."""
    amounts = split_largest_remainder(total_minor, [1] * installments)
    return [ScheduleLine(add_months(first_due_on, i * every_months), amount) for i, amount in enumerate(amounts)]


def plan_snapshot(plan: InstallmentPlan) -> JsonDict:
    return {
        "customer": plan.customer_id, "currency": plan.currency, "total_minor": plan.total_minor,
        "status": plan.status, "grace_days": plan.grace_days, "starts_on": plan.starts_on,
        "requested_by": plan.requested_by_id, "decided_by": plan.decided_by_id, "paid_minor": plan.paid_minor,
        "invoices": sorted(plan.invoices.values_list("pk", flat=True)),
        "lines": [(line.seq, line.due_on, line.amount_minor, line.paid_minor) for line in plan.lines.order_by("seq")],
    }


@transaction.atomic
def plan_request(
    *, customer: Customer, invoices: Iterable[Invoice | int], actor: Actor, installments: int | None = None,
    first_due_on: date | None = None, every_months: int = 1, schedule: list[ScheduleLine] | None = None,
    total_minor: int | None = None,
    grace_days: int = 7, starts_on: date | None = None, note: str = "", idempotency_key: str | None = None,
) -> InstallmentPlan:
    """Ask for an installment plan over the named open invoices. Either ``installments`` equal parts from
    ``first_due_on`` (monthly), or an explicit ``schedule``. The total defaults to what the invoices owe."""
    start = starts_on or timezone.localdate()
    payload = {"customer": customer.pk, "invoices": invoice_ids(invoices),
               "installments": installments, "first": first_due_on, "every": every_months,
               "schedule": [(s.due_on, s.amount_minor) for s in schedule or []], "total": total_minor,
               "grace": grace_days, "start": start, "note": note}

    def create() -> InstallmentPlan:
        locked = lock_customer(customer.pk)
        named = customer_invoices_locked(customer=locked, invoices=invoices, open_only=True)
        if not named:
            raise ValidationFailed(_("Name the invoices the plan settles."), field="invoices")
        currencies = {inv.currency for inv in named}
        if len(currencies) > 1:
            raise ValidationFailed(_("The invoices of one plan must be in one currency."), field="invoices")
        owed, currency = sum(inv.amount_open_minor for inv in named), named[0].currency
        total = owed if total_minor is None else total_minor
        if isinstance(total, bool) or not isinstance(total, int) or total <= 0:
            raise ValidationFailed(_("Must be greater than zero."), field="total_minor")
        if total > owed:
            raise ValidationFailed(_("The plan (%(total)s) exceeds what the invoices owe (%(owed)s).")
                                   % {"total": format_money(total, currency), "owed": format_money(owed, currency)},
                                   field="total_minor", code=ErrorCode.EXCEEDS_OPEN_AMOUNT)
        if not 0 <= grace_days <= 90:
            raise ValidationFailed(_("Between 0 and 90 days."), field="grace_days")
        lines = _schedule_or_error(total=total, installments=installments, first_due_on=first_due_on,
                                   every_months=every_months, schedule=schedule, starts_on=start)
        busy = InstallmentPlan.invoices.through.objects.filter(
            invoice_id__in=[i.pk for i in named],
            installmentplan__status__in=[PlanStatus.PENDING, PlanStatus.ACTIVE],
        ).select_related("invoice").first()
        if busy is not None:
            raise Conflict(_("Invoice %(number)s is already in an installment plan.") % {"number": busy.invoice.number},
                           field="invoices", code=ErrorCode.PLAN_OPEN)
        plan = InstallmentPlan.objects.create(
            customer=locked, currency=named[0].currency, total_minor=total, grace_days=grace_days, note=note,
            requested_by=user_or_none(actor), starts_on=start,
        )
        plan.invoices.set(named)
        InstallmentLine.objects.bulk_create(
            InstallmentLine(plan=plan, seq=i, due_on=line.due_on, amount_minor=line.amount_minor)
            for i, line in enumerate(lines, start=1)
        )
        audit_record(actor=actor, action="installment_plan_requested", subject=plan, after=plan_snapshot(plan))
        return plan

    plan, _created = idempotent(scope="cases.plan", key=idempotency_key, payload=payload, model=InstallmentPlan,
                                create=create)
    return plan


def _schedule_or_error(*, total: int, installments: int | None, first_due_on: date | None, every_months: int,
                       schedule: list[ScheduleLine] | None, starts_on: date) -> list[ScheduleLine]:
    if schedule:
        lines = sorted(schedule, key=lambda s: s.due_on)
        for index, line in enumerate(schedule):
            if isinstance(line.amount_minor, bool) or not isinstance(line.amount_minor, int) \
                    or line.amount_minor <= 0:
                raise ValidationFailed(_("Must be greater than zero."), field=f"schedule[{index}].amount_minor")
        if len({line.due_on for line in lines}) != len(lines):
            raise ValidationFailed(_("Two installments on one day."), field="schedule")
        for index, line in enumerate(schedule):
            date_check(line.due_on, field=f"schedule[{index}].due_on")
        if lines[0].due_on < starts_on:
            raise ValidationFailed(_("An installment is due before the plan starts."), field="schedule")
        if sum(line.amount_minor for line in lines) != total:
            raise ValidationFailed(_("The installments do not add up to the plan's total."), field="schedule")
        if len(lines) > MAX_INSTALLMENTS:
            raise ValidationFailed(_("At most 60 installments."), field="schedule")
        return lines
    if installments is None or isinstance(installments, bool) or not 1 <= installments <= MAX_INSTALLMENTS:
        raise ValidationFailed(_("Between 1 and 60 installments."), field="installments")
    if installments > total:
        raise ValidationFailed(_("More installments than minor units."), field="installments")
    if first_due_on is None:
        raise ValidationFailed(_("When is the first installment due?"), field="first_due_on")
    date_check(first_due_on, field="first_due_on")
    if first_due_on < starts_on:
        raise ValidationFailed(_("The first installment is due before the plan starts."), field="first_due_on")
    if not 1 <= every_months <= 12:
        raise ValidationFailed(_("Between 1 and 12 months."), field="every_months")
    return plan_schedule(total_minor=total, installments=installments, first_due_on=first_due_on,
                         every_months=every_months)


def _decide(*, plan: InstallmentPlan, actor: Actor, approve: bool, note: str) -> InstallmentPlan:
    lock_customer(plan.customer_id)
    locked = qs_for_update(InstallmentPlan.objects.all(), own_rows_only=True).select_related("customer").get(pk=plan.pk)
    user = user_or_none(actor)
    if user is None or not user.has_perm("cases.approve_installmentplan"):
        raise Forbidden(_("Only a finance manager approves installment plans."), field="actor")
    if locked.status != PlanStatus.PENDING:
        raise AlreadyClosed(_("The plan is already %(status)s.") % {"status": locked.get_status_display()},
                            field="plan")
    require_second_person(locked.requested_by_id, actor)
    before = plan_snapshot(locked)
    locked.status = PlanStatus.ACTIVE if approve else PlanStatus.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = user, timezone.now(), note[:300]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    total = format_money(locked.total_minor, locked.currency)
    text = (_("Installment plan over %(total)s in %(n)s installments approved.") if approve
            else _("Installment plan over %(total)s in %(n)s installments rejected."))
    activity_record(customer=locked.customer, kind=ActivityKind.NOTE, outcome="approved" if approve else "rejected",
                    note=text % {"total": total, "n": locked.lines.count()}
                    + (f" {note}" if note else ""), actor=actor, invoices=locked.invoices.all(), source="plan",
                    source_ref=f"plan:{locked.pk}:decided")
    audit_record(actor=actor, action="installment_plan_approved" if approve else "installment_plan_rejected",
                 subject=locked, before=before, after=plan_snapshot(locked))
    return locked


@transaction.atomic
def plan_approve(*, plan: InstallmentPlan, actor: Actor, note: str = "") -> InstallmentPlan:
    """A finance manager other than the requester approves: the plan is active and its invoices leave dunning."""
    return _decide(plan=plan, actor=actor, approve=True, note=note)


@transaction.atomic
def plan_reject(*, plan: InstallmentPlan, actor: Actor, note: str = "") -> InstallmentPlan:
    return _decide(plan=plan, actor=actor, approve=False, note=note)


def plan_paid_minor(plan: InstallmentPlan, *, as_of: date) -> int:
    """Payments allocated to the plan's invoices from its start up to ``as_of`` (net of undone allocations)."""
    total = Allocation.objects.filter(
        invoice__in=plan.invoices.all(), payment__isnull=False, date__gte=plan.starts_on, date__lte=as_of,
    ).aggregate(total=Sum("amount_minor"))["total"]
    return min(max(total or 0, 0), plan.total_minor)


def _plan_check_one(plan_id: int, *, as_of: date, actor: Actor = None) -> str:
    with transaction.atomic(durable=True):
        plan = qs_for_update(InstallmentPlan.objects.select_related("customer"), own_rows_only=True).get(pk=plan_id)
        if plan.status != PlanStatus.ACTIVE:
            return plan.status
        before = plan_snapshot(plan)
        paid = plan_paid_minor(plan, as_of=as_of)
        remaining = paid
        late: InstallmentLine | None = None
        lines = list(plan.lines.order_by("seq"))
        for line in lines:
            covered = min(line.amount_minor, remaining)
            remaining -= covered
            if covered != line.paid_minor:
                line.paid_minor = covered
                line.save(update_fields=["paid_minor"])
            if late is None and covered < line.amount_minor and (as_of - line.due_on).days > plan.grace_days:
                late = line
        plan.paid_minor, plan.checked_on = paid, as_of
        fields = ["paid_minor", "checked_on"]
        if paid >= plan.total_minor:
            plan.status = PlanStatus.COMPLETED
            fields.append("status")
        elif late is not None:
            plan.status, plan.breached_on = PlanStatus.BREACHED, as_of
            fields += ["status", "breached_on"]
        plan.save(update_fields=fields)
        if plan.status == PlanStatus.ACTIVE:
            return plan.status
        if plan.status == PlanStatus.COMPLETED:
            message = _("Installment plan completed: %(total)s paid.") % {
                "total": format_money(plan.total_minor, plan.currency)}
        else:
            assert late is not None  # breached means an installment is late
            message = _("Installment plan breached: installment %(seq)s of %(amount)s due %(due)s "
                        "is unpaid after %(grace)s days.") % {
                "seq": late.seq, "amount": format_money(late.amount_minor, plan.currency),
                "due": late.due_on.isoformat(), "grace": plan.grace_days}
        activity_record(customer=plan.customer, kind=ActivityKind.SYSTEM, outcome=plan.status, note=message,
                        actor=actor, invoices=plan.invoices.all(), source="plan",
                        source_ref=f"plan:{plan.pk}:{plan.status}")
        audit_record(actor=actor, action=f"installment_plan_{plan.status}", subject=plan, before=before,
                     after=plan_snapshot(plan))
        if plan.status == PlanStatus.BREACHED:
            escalate(customer=plan.customer, from_level=Level.FINANCE, kind=TaskKind.FOLLOW_UP,
                     title=_("Installment plan breached: %(customer)s") % {"customer": plan.customer.name},
                     body=message, due_on=as_of, source="plan", source_ref=f"plan:{plan.pk}:breached",
                     actor=actor, notify_kind="collections.plan_breached")
        return plan.status


def plans_check(*, as_of: date, actor: Actor = None) -> dict[str, int]:
    """Track every active plan against the payments on its invoices: completed when all is paid, breached
    when an installment is unpaid more than ``grace_days`` after its date (escalated). Idempotent."""
    counts = {"checked": 0, "active": 0, "completed": 0, "breached": 0}
    for pk in list(InstallmentPlan.objects.filter(status=PlanStatus.ACTIVE, starts_on__lte=as_of).order_by("pk")
                   .values_list("pk", flat=True)):
        status = _plan_check_one(pk, as_of=as_of, actor=actor)
        counts["checked"] += 1
        counts[status] = counts.get(status, 0) + 1
    return counts
