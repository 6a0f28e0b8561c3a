"""Demo budgets: company targets for the last six months and the next, and each salesperson's for the last three,
set near what each team actually achieved (some met, some missed), so the budget page has something to show;
every budget carries the seeds' 回收率 target of 95%.

Deterministic for a seed; a few KPI queries per budget (seconds for the demo ledger).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from arms.analytics.kpis import KpiScope, kpi_values
from arms.analytics.models import Budget, BudgetScope
from arms.analytics.services import budget_create
from arms.customers.models import Customer
from arms.domain.terms import month_end

#: the seeds' target: 回收率 (collected by the due date / fell due) above 95%
RECOVERY_TARGET_BP = 9_500


def _months_back(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = [first]
    for _n in range(count - 1):
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def _targets(rng: random.Random, month: date, scope: KpiScope) -> dict:
    values = kpi_values(start=month, end=month_end(month), scope=scope)
    collections = values["collections"].value or 0
    dso = values["dso"].value
    overdue = values["overdue_ratio"].value
    factor = Decimal(rng.choice([85, 95, 100, 105, 115])) / 100
    return {
        "collections_target_minor": max(int(Decimal(max(collections, 0)) * factor) // 100_000 * 100_000, 100_000),
        "dso_target_days": (dso * (2 - factor)).quantize(Decimal("1")) if dso is not None else Decimal(60),
        "overdue_ratio_target_bp": min(10_000, int(overdue * 100 * (2 - factor))) if overdue is not None else 2_000,
        "recovery_rate_target_bp": RECOVERY_TARGET_BP,
    }


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    if Budget.objects.exists():
        return {"budgets": 0}
    rng = random.Random(seed * 7919 + 5)
    months = _months_back(today, 6)
    made = 0
    for month in months:
        # the current month has only begun (it may be its first day): aim it at what last month achieved
        basis = months[-2] if month == months[-1] else month
        budget_create(actor=None, period=month, scope=BudgetScope.COMPANY, note="演示预算",
                      **_targets(rng, basis, KpiScope()))
        made += 1
    following = (month_end(today) + timedelta(days=1))
    last = _targets(rng, months[-2], KpiScope())
    budget_create(actor=None, period=following, scope=BudgetScope.COMPANY, note="下月预算", **last)
    made += 1
    salespeople = sorted(set(Customer.objects.exclude(salesperson__isnull=True)
                             .values_list("salesperson_id", flat=True)))
    for user_id in salespeople:
        for month in months[-3:]:
            basis = months[-2] if month == months[-1] else month
            budget_create(actor=None, period=month, scope=BudgetScope.SALESPERSON, user_id=user_id,
                          **_targets(rng, basis, KpiScope(salesperson_id=user_id)))
            made += 1
    return {"budgets": made}
