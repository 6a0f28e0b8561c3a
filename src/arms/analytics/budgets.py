"""Receivables budgets (应收账款预算), the reads: the budgets a person may see, and the month's actuals beside
their targets. (Creating, changing and deleting a budget are services, ``arms.analytics.services``.)

Targets: cash to collect (CNY fen), the highest acceptable DSO (days) and overdue ratio (basis points), and the
lowest acceptable 回收率 (recovery rate by due date, basis points: the seeds' "回收率 > 95%" is 9500). The
actuals are the month's KPIs for the team's customers (``kpis.kpi_values``): collections, DSO (standard),
overdue ratio at month end, 回收率. A collections or 回收率 target is met when actual >= target; a DSO or
overdue-ratio target when actual <= target.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from arms.accounts.roles import sees_all_customers
from arms.analytics import selectors
from arms.analytics.kpis import (
    KpiScope,
    check_period,
    collections_by_owner,
    credit_sales_by_owner,
    kpi_values,
    receivables_split_by_owner,
)
from arms.analytics.models import Budget, BudgetScope
from arms.analytics.recovery import RateParts, recovery_parts
from arms.domain import kpi as formulas
from arms.domain.terms import month_end

if TYPE_CHECKING:
    from arms.common.typing import Viewer


def budget_list(*, user: Viewer | None = None, period_from: date | None = None, period_to: date | None = None,
                scope: str = "", user_id: int | None = None) -> QuerySet[Budget]:
    """Budgets; a viewer who sees only their own customers (sales) sees only their own budgets."""
    qs = Budget.objects.select_related("user")
    if user is not None and not sees_all_customers(user):
        qs = qs.filter(user=user) if user.is_authenticated else qs.none()
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


def budget_actual(budget: Budget, *, user: Viewer | None = None, today: date | None = None) -> BudgetActual:
    """The month's actuals for the budget's team, as ``user`` may see them (None: everyone): the whole month once
    it is over, the month so far while it runs, nothing for a month still to come."""
    today = today or timezone.localdate()
    if budget.period > today:
        return BudgetActual(budget=budget, collections_minor=None, dso_days=None, overdue_ratio_bp=None)
    scope = KpiScope(salesperson_id=budget.user_id if budget.scope == BudgetScope.SALESPERSON else None,
                     collector_id=budget.user_id if budget.scope == BudgetScope.COLLECTOR else None, user=user)
    values = kpi_values(start=budget.period, end=min(month_end(budget.period), today), scope=scope)
    return BudgetActual(budget=budget, collections_minor=values["collections"].amount,
                        dso_days=values["dso"].measure, overdue_ratio_bp=_bp(values["overdue_ratio"].measure),
                        recovery_rate_bp=_bp(values["recovery_rate"].measure))


def budget_actuals(budgets: Iterable[Budget], *, user: Viewer | None = None,
                   today: date | None = None) -> list[BudgetActual]:
    """``budget_actual`` of each budget, in their order, with a fixed number of queries per month and scope (the
    salespeople's or collectors' figures grouped by person in one query each), not per budget: a page or an export
    of budgets costs the same whether it lists one person or a hundred."""
    today = today or timezone.localdate()
    budgets = list(budgets)
    by_person: dict[tuple[date, str], dict[int | str | None, BudgetActual]] = {}
    for period, scope in {(b.period, b.scope) for b in budgets if b.scope != BudgetScope.COMPANY and b.period <= today}:
        by_person[(period, scope)] = _actuals_by_person(period=period, scope=scope, user=user, today=today)
    actuals = []
    for budget in budgets:
        figures = by_person.get((budget.period, budget.scope))
        if figures is None:
            actuals.append(budget_actual(budget, user=user, today=today))
            continue
        person = figures.get(budget.user_id) or figures[_NOBODY]
        actuals.append(BudgetActual(budget=budget, collections_minor=person.collections_minor, dso_days=person.dso_days,
                                    overdue_ratio_bp=person.overdue_ratio_bp, recovery_rate_bp=person.recovery_rate_bp))
    return actuals


def _actuals_by_person(*, period: date, scope: str, user: Viewer | None,
                       today: date) -> dict[int | str | None, BudgetActual]:
    """The month's actuals of every salesperson or collector (``scope``) at once, as ``kpi_values`` computes them
    for one: collections, DSO (standard), overdue ratio at the end, 回收率. The ``budget`` of each is a placeholder."""
    start, end = period, min(month_end(period), today)
    days = check_period(start, end)
    customers = selectors.customers_filter(user=user)
    closing = receivables_split_by_owner(end, customers, scope)
    sales = credit_sales_by_owner(start, end, customers, scope)
    collected = collections_by_owner(start, end, customers, scope)
    recovery = recovery_parts(start=start, end=end, customers=customers, group_by=scope)
    people = closing.keys() | sales.keys() | collected.keys() | recovery.keys()

    def actual(person: int | None) -> BudgetActual:
        split = closing.get(person, {"total": 0, "overdue": 0})
        return BudgetActual(
            budget=Budget(), collections_minor=collected.get(person, 0),
            dso_days=formulas.dso_standard(receivables=split["total"], sales=sales.get(person, 0), days=days),
            overdue_ratio_bp=_bp(formulas.percent(split["overdue"], split["total"])),
            recovery_rate_bp=_bp(recovery.get(person, RateParts()).rate))

    result: dict[int | str | None, BudgetActual] = {person: actual(person) for person in people}
    # the figures of nobody: "nobody" is no key of the per-person sums, so every sum is 0
    result[_NOBODY] = BudgetActual(
        budget=Budget(), collections_minor=0, dso_days=formulas.dso_standard(receivables=0, sales=0, days=days),
        overdue_ratio_bp=_bp(formulas.percent(0, 0)), recovery_rate_bp=_bp(RateParts().rate))
    return result


#: the figures of a person with no customers in the month (nothing open, sold, collected or due)
_NOBODY = "nobody"


def _bp(percent: Decimal | None) -> int | None:
    """A percentage with two places as basis points (95.12 -> 9512)."""
    return int(percent * 100) if percent is not None else None
