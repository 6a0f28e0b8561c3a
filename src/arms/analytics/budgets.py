"""Receivables budgets (应收账款预算): targets per month and team, and the month's actuals beside them.

Targets: cash to collect (CNY fen), the highest acceptable DSO (days) and overdue ratio (basis points), and the
lowest acceptable 回收率 (recovery rate by due date, basis points: the seeds' "回收率 > 95%" is 9500). The
actuals are the month's KPIs for the team's customers (``kpis.kpi_values``): collections, DSO (standard),
overdue ratio at month end, 回收率. A collections or 回收率 target is met when actual >= target; a DSO or
overdue-ratio target when actual <= target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.analytics.kpis import KpiScope, kpi_values, month_end
from arms.analytics.models import Budget, BudgetScope
from arms.audit.services import audit_record
from arms.common.errors import Conflict, NotFound, ValidationFailed
from arms.common.locks import qs_for_update

MAX_TARGET_MINOR = 10**15


def budget_snapshot(budget: Budget) -> dict:
    return {
        "period": budget.period.isoformat(), "scope": budget.scope, "user": budget.user_id,
        "collections_target_minor": budget.collections_target_minor,
        "dso_target_days": str(budget.dso_target_days) if budget.dso_target_days is not None else None,
        "overdue_ratio_target_bp": budget.overdue_ratio_target_bp,
        "recovery_rate_target_bp": budget.recovery_rate_target_bp, "note": budget.note,
    }


def _clean(*, period: date, scope: str, user_id: int | None, collections_target_minor: int | None,
           dso_target_days: Decimal | None, overdue_ratio_target_bp: int | None,
           recovery_rate_target_bp: int | None) -> dict:
    if period.day != 1:
        raise ValidationFailed(_("A budget's month is given by its first day."), field="period")
    if scope not in BudgetScope.values:
        raise ValidationFailed(_("The team is company, salesperson or collector."), field="scope")
    if scope == BudgetScope.COMPANY:
        if user_id:
            raise ValidationFailed(_("A company budget names no user."), field="user_id")
        user_id = None
    else:
        if not user_id:
            raise ValidationFailed(_("Name the salesperson or collector."), field="user_id")
        if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
            raise ValidationFailed(_("No such active user."), field="user_id")
    if collections_target_minor is not None and not 0 <= collections_target_minor <= MAX_TARGET_MINOR:
        raise ValidationFailed(_("The collections target cannot be negative."), field="collections_target_minor")
    if dso_target_days is not None:
        dso_target_days = Decimal(dso_target_days)
        if not dso_target_days.is_finite() or not Decimal(0) <= dso_target_days <= Decimal(9999):
            raise ValidationFailed(_("The DSO target is between 0 and 9999 days."), field="dso_target_days")
        dso_target_days = dso_target_days.quantize(Decimal("0.01"))
    if overdue_ratio_target_bp is not None and not 0 <= overdue_ratio_target_bp <= 10_000:
        raise ValidationFailed(_("The overdue ratio target is 0 to 10000 basis points."),
                               field="overdue_ratio_target_bp")
    if recovery_rate_target_bp is not None and (isinstance(recovery_rate_target_bp, bool)
                                                or not isinstance(recovery_rate_target_bp, int)
                                                or not 0 <= recovery_rate_target_bp <= 10_000):
        raise ValidationFailed(_("The recovery rate target is 0 to 10000 basis points."),
                               field="recovery_rate_target_bp")
    if collections_target_minor is None and dso_target_days is None and overdue_ratio_target_bp is None \
            and recovery_rate_target_bp is None:
        raise ValidationFailed(_("Set at least one target."), field="collections_target_minor")
    return {"period": period, "scope": scope, "user_id": user_id,
            "collections_target_minor": collections_target_minor, "dso_target_days": dso_target_days,
            "overdue_ratio_target_bp": overdue_ratio_target_bp, "recovery_rate_target_bp": recovery_rate_target_bp}


@transaction.atomic
def budget_create(*, actor, period: date, scope: str = BudgetScope.COMPANY, user_id: int | None = None,
                  collections_target_minor: int | None = None, dso_target_days: Decimal | None = None,
                  overdue_ratio_target_bp: int | None = None, recovery_rate_target_bp: int | None = None,
                  note: str = "") -> Budget:
    fields = _clean(period=period, scope=scope, user_id=user_id, collections_target_minor=collections_target_minor,
                    dso_target_days=dso_target_days, overdue_ratio_target_bp=overdue_ratio_target_bp,
                    recovery_rate_target_bp=recovery_rate_target_bp)
    if Budget.objects.filter(period=fields["period"], scope=fields["scope"], user_id=fields["user_id"]).exists():
        raise Conflict(_("This team already has a budget for that month."), field="period", code="budget_exists")
    try:
        with transaction.atomic():
            budget = Budget.objects.create(**fields, note=(note or "").strip(),
                                           created_by=actor if getattr(actor, "is_authenticated", False) else None)
    except IntegrityError:  # a concurrent create of the same month and team won
        raise Conflict(_("This team already has a budget for that month."), field="period",
                       code="budget_exists") from None
    audit_record(actor=actor, action="budget_created", subject=budget, after=budget_snapshot(budget))
    return budget


@transaction.atomic
def budget_update(*, actor, budget: Budget, collections_target_minor: int | None,
                  dso_target_days: Decimal | None, overdue_ratio_target_bp: int | None,
                  recovery_rate_target_bp: int | None = None, note: str = "") -> Budget:
    """Replace the targets of a budget (its month and team stay)."""
    locked = qs_for_update(Budget.objects.all()).filter(pk=budget.pk).first()
    if locked is None:
        raise NotFound(_("Budget not found."), field="budget_id")
    fields = _clean(period=locked.period, scope=locked.scope, user_id=locked.user_id,
                    collections_target_minor=collections_target_minor, dso_target_days=dso_target_days,
                    overdue_ratio_target_bp=overdue_ratio_target_bp, recovery_rate_target_bp=recovery_rate_target_bp)
    before = budget_snapshot(locked)
    locked.collections_target_minor = fields["collections_target_minor"]
    locked.dso_target_days = fields["dso_target_days"]
    locked.overdue_ratio_target_bp = fields["overdue_ratio_target_bp"]
    locked.recovery_rate_target_bp = fields["recovery_rate_target_bp"]
    locked.note = (note or "").strip()
    locked.save(update_fields=["collections_target_minor", "dso_target_days", "overdue_ratio_target_bp",
                               "recovery_rate_target_bp", "note", "updated_at"])
    audit_record(actor=actor, action="budget_updated", subject=locked, before=before, after=budget_snapshot(locked))
    return locked


@transaction.atomic
def budget_delete(*, actor, budget: Budget) -> None:
    locked = qs_for_update(Budget.objects.all()).filter(pk=budget.pk).first()
    if locked is None:
        raise NotFound(_("Budget not found."), field="budget_id")
    audit_record(actor=actor, action="budget_deleted", subject=locked, before=budget_snapshot(locked))
    locked.delete()


def budget_list(*, user=None, period_from: date | None = None, period_to: date | None = None, scope: str = "",
                user_id: int | None = None) -> QuerySet[Budget]:
    """Budgets; a viewer who sees only their own customers (sales) sees only their own budgets."""
    from arms.accounts.roles import sees_all_customers

    qs = Budget.objects.select_related("user")
    if user is not None and not sees_all_customers(user):
        qs = qs.filter(user=user)
    if period_from:
        qs = qs.filter(period__gte=period_from)
    if period_to:
        qs = qs.filter(period__lte=period_to)
    if scope:
        qs = qs.filter(scope=scope)
    if user_id:
        qs = qs.filter(user_id=user_id)
    return qs.order_by("-period", "scope", "user_id")


@dataclass(frozen=True)
class BudgetActual:
    budget: Budget
    collections_minor: int | None
    dso_days: Decimal | None
    overdue_ratio_bp: int | None
    recovery_rate_bp: int | None = None

    @property
    def collections_met(self) -> bool | None:
        target = self.budget.collections_target_minor
        if target is None or self.collections_minor is None:
            return None
        return self.collections_minor >= target

    @property
    def dso_met(self) -> bool | None:
        target = self.budget.dso_target_days
        return None if target is None or self.dso_days is None else self.dso_days <= target

    @property
    def overdue_ratio_met(self) -> bool | None:
        target = self.budget.overdue_ratio_target_bp
        return None if target is None or self.overdue_ratio_bp is None else self.overdue_ratio_bp <= target

    @property
    def recovery_rate_met(self) -> bool | None:
        target = self.budget.recovery_rate_target_bp
        return None if target is None or self.recovery_rate_bp is None else self.recovery_rate_bp >= target

    @property
    def collections_achieved_pct(self) -> Decimal | None:
        target = self.budget.collections_target_minor
        if not target or self.collections_minor is None:
            return None
        return (Decimal(self.collections_minor) * 100 / target).quantize(Decimal("0.01"))


def budget_actual(budget: Budget, *, user=None, today: date | None = None) -> BudgetActual:
    """The month's actuals for the budget's team, as ``user`` may see them (None: everyone): the whole month once
    it is over, the month so far while it runs, nothing for a month still to come."""
    today = today or timezone.localdate()
    if budget.period > today:
        return BudgetActual(budget=budget, collections_minor=None, dso_days=None, overdue_ratio_bp=None)
    scope = KpiScope(salesperson_id=budget.user_id if budget.scope == BudgetScope.SALESPERSON else None,
                     collector_id=budget.user_id if budget.scope == BudgetScope.COLLECTOR else None, user=user)
    values = kpi_values(start=budget.period, end=min(month_end(budget.period), today), scope=scope)
    return BudgetActual(budget=budget, collections_minor=values["collections"].value, dso_days=values["dso"].value,
                        overdue_ratio_bp=_bp(values["overdue_ratio"].value),
                        recovery_rate_bp=_bp(values["recovery_rate"].value))


def _bp(percent: Decimal | None) -> int | None:
    """A percentage with two places as basis points (95.12 -> 9512)."""
    return int(percent * 100) if percent is not None else None
