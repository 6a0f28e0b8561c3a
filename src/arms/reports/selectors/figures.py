"""The one place reports reads analytics' KPIs, trend, team performance and budgets, and reshapes them.

Reports never computes a KPI: it asks ``arms.analytics`` and turns the answer into ``KpiFigure`` lines, tables
and charts. Keeping every call to analytics' KPI functions here means a change there is met in one file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from arms.accounts.names import person_name
from arms.analytics.budgets import budget_actuals, budget_list
from arms.analytics.kpis import LABELS, UNITS, KpiScope, kpi_trend, kpi_values
from arms.analytics.models import BudgetScope
from arms.analytics.team import team_performance
from arms.reports import schedule
from arms.reports.tables import COUNT, DECIMAL, MONEY, PERCENT, Column, Table, cell_text
from arms.web import charts

if TYPE_CHECKING:
    from arms.common.typing import StrOrPromise, Viewer

#: analytics' KPI units -> the column kinds of reports' tables
KIND_OF_UNIT = {"amount": MONEY, "days": DECIMAL, "percent": PERCENT, "times": DECIMAL, "count": COUNT}
TREND_CODES = ["dso", "dso_countback", "best_possible_dso", "overdue_ratio", "cei", "recovery_rate",
               "dunning_success_rate", "collection_rate"]
HEADLINE_CODES = ["receivables_closing", "receivables_overdue", "collections", "dso", "overdue_ratio", "cei"]


@dataclass(frozen=True)
class KpiFigure:
    key: str
    label: str
    kind: str
    value: Decimal | int | None


def kpis_for_period(*, start: date, end: date, scope: KpiScope | None = None) -> dict[str, KpiFigure]:
    values = kpi_values(start=start, end=end, scope=scope)
    return {code: KpiFigure(code, str(v.label), KIND_OF_UNIT.get(v.unit, DECIMAL), v.value)
            for code, v in values.items()}


def kpis_for_month(*, month: date, as_of: date, scope: KpiScope | None = None) -> dict[str, KpiFigure]:
    """The month's KPIs, up to ``as_of`` when the month is still running."""
    return kpis_for_period(start=month, end=min(schedule.month_end(month), as_of), scope=scope)


def _value_text(kind: str) -> Callable[[charts.Number], str]:
    column = Column("v", "", kind)
    return lambda value: cell_text(value, column)


def trend(*, end_month: date, months: int, scope: KpiScope | None = None, chart_id: str = "monthly-trend",
          codes: list[str] | None = None) -> tuple[Table, charts.Chart]:
    """The KPI trend over ``months`` months (a table of ``codes``) and the DSO line chart."""
    codes = codes or TREND_CODES
    rows = kpi_trend(months=months, end_month=end_month, scope=scope, codes=codes)
    labels = {code: str(v.label) for code, v in _labels().items() if code in codes}
    kinds = {code: KIND_OF_UNIT.get(v.unit, DECIMAL) for code, v in _labels().items() if code in codes}
    columns = [Column("month", _("Month")), *[Column(code, labels[code], kinds[code]) for code in codes]]
    table = Table("kpi_trend", _("KPI trend, %(months)s months") % {"months": months}, columns,
                  [[f"{row['month']:%Y-%m}", *[row[code] for code in codes]] for row in rows])
    dso_codes = [code for code in ("dso", "dso_countback", "best_possible_dso") if code in codes]
    chart = charts.line_chart(
        title=_("DSO trend (days)"), chart_id=chart_id, labels=[f"{row['month']:%Y-%m}" for row in rows],
        series=[charts.Series(labels[code], [row[code] for row in rows]) for code in dso_codes],
        value_format=_value_text(DECIMAL), desc=_("Days sales outstanding at each month-end."),
    )
    return table, chart


def _labels() -> dict[str, _Meta]:
    """KpiValue-like objects with label and unit for every code, without computing anything."""
    return {code: _Meta(LABELS[code], UNITS[code]) for code in LABELS}


@dataclass(frozen=True)
class _Meta:
    label: StrOrPromise
    unit: str


def team_table(*, month: date, as_of: date, user: Viewer | None = None) -> Table:
    """Team performance of the month (salespeople and collectors, best score first) from analytics."""
    rows = team_performance(start=month, end=min(schedule.month_end(month), as_of), user=user)
    roles = {"salesperson": _("Salesperson"), "collector": _("Collector")}
    columns = [
        Column("role", _("Role")), Column("name", _("Person")),
        Column("customers", pgettext("count", "Customers"), COUNT),
        Column("receivables", _("Receivables (CNY)"), MONEY), Column("collections", _("Collected (CNY)"), MONEY),
        Column("dso", _("DSO"), DECIMAL), Column("overdue_ratio", _("Overdue ratio"), PERCENT),
        Column("recovery_rate", _("Recovery rate (回收率)"), PERCENT),
        Column("dunning_success_rate", _("Dunning success rate (催收成功率)"), PERCENT),
        Column("collection_rate", _("Collection rate (回款率)"), PERCENT),
        Column("follow_up", _("Followed up within 24 h"), PERCENT),
        Column("score", _("Score"), DECIMAL), Column("rank", _("Rank"), COUNT),
    ]
    body = [[roles.get(r.role, r.role), r.name, r.customer_count, r.receivables_closing, r.collections, r.dso,
             r.overdue_ratio, r.recovery_rate, r.dunning_success_rate, r.collection_rate, r.follow_up_rate, r.score,
             r.rank] for r in rows]
    return Table("team", _("Team performance"), columns, body)


@dataclass(frozen=True)
class BudgetLine:
    team: str
    scope: str
    user_id: int | None
    target_minor: int | None
    actual_minor: int | None
    achieved_pct: Decimal | None
    dso_target: Decimal | None
    dso_actual: Decimal | None
    overdue_target_pct: Decimal | None
    overdue_actual_pct: Decimal | None
    recovery_target_pct: Decimal | None = None
    recovery_actual_pct: Decimal | None = None


def budget_lines(*, month: date, user: Viewer | None = None, scope: str = "",
                 today: date | None = None) -> list[BudgetLine]:
    """The month's budgets (those ``user`` may see) beside their actuals up to ``today`` (default: today), from
    analytics."""
    lines = []
    for actual in budget_actuals(budget_list(user=user, period_from=month, period_to=month, scope=scope), user=user,
                                 today=today):
        budget = actual.budget
        team = str(BudgetScope(budget.scope).label) if budget.user_id is None else \
            f"{person_name(budget.user)} ({BudgetScope(budget.scope).label})"
        lines.append(BudgetLine(
            team=team, scope=budget.scope, user_id=budget.user_id, target_minor=budget.collections_target_minor,
            actual_minor=actual.collections_minor, achieved_pct=actual.collections_achieved_pct,
            dso_target=budget.dso_target_days, dso_actual=actual.dso_days,
            overdue_target_pct=_bp_to_pct(budget.overdue_ratio_target_bp),
            overdue_actual_pct=_bp_to_pct(actual.overdue_ratio_bp),
            recovery_target_pct=_bp_to_pct(budget.recovery_rate_target_bp),
            recovery_actual_pct=_bp_to_pct(actual.recovery_rate_bp),
        ))
    return lines


def _bp_to_pct(bp: int | None) -> Decimal | None:
    return None if bp is None else Decimal(bp) / 100


def budget_table(*, month: date, user: Viewer | None = None, scope: str = "", today: date | None = None) -> Table:
    """Collections, DSO, overdue ratio and 回收率 against the month's targets (actual vs target) from analytics."""
    return budget_lines_table(budget_lines(month=month, user=user, scope=scope, today=today), month=month)


def budget_lines_table(lines: list[BudgetLine], *, month: date) -> Table:
    columns = [
        Column("team", _("Team")), Column("target", _("Collections target (CNY)"), MONEY),
        Column("actual", _("Collected (CNY)"), MONEY), Column("achieved", _("Achieved"), PERCENT),
        Column("dso_target", _("DSO target"), DECIMAL), Column("dso", _("DSO"), DECIMAL),
        Column("overdue_target", _("Overdue ratio target"), PERCENT),
        Column("overdue", _("Overdue ratio"), PERCENT),
        Column("recovery_target", _("Recovery rate target"), PERCENT),
        Column("recovery", _("Recovery rate (回收率)"), PERCENT),
    ]
    rows = [[b.team, b.target_minor, b.actual_minor, b.achieved_pct, b.dso_target, b.dso_actual,
             b.overdue_target_pct, b.overdue_actual_pct, b.recovery_target_pct, b.recovery_actual_pct]
            for b in lines]
    return Table("budget", _("Actual against budget, %(month)s") % {"month": f"{month:%Y-%m}"}, columns, rows)
