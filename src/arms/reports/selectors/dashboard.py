"""The dashboard (仪表盘): for each role, the figures that matter to it, as charts with their tables.

Every panel is built from analytics (aging, KPIs, budgets, team) or from read-only selectors of the apps below
(credit grades, holds, promises, disputes), always for the customers the viewer may see, so a salesperson's
dashboard shows their own customers' figures only. Panels are built one by one by key, so a table's Excel or
CSV export builds only that panel.

Everyone sees the headline figures (among them 回收率 with 催收成功率 beside it), the aging at month-ends, the
DSO trend, the largest overdue customers and collections (and 回收率) against the month's target. Then by role:

- sales: their own customers (all of the above is already theirs) and their own targets;
- collector: their worklist (overdue customers and items assigned to them, their own 催收成功率 and 回收率,
  open and due tasks) and the promises to pay falling due;
- credit manager: the grade mix, customers on hold on the as-of day, the review queue;
- finance, executives, auditors: every KPI of the month beside the previous month, and the team table;
- legal: items more than 90 days overdue and the lawyer's letters sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from arms.accounts.roles import Role, user_roles
from arms.analytics.aging import AgingFilters, aging_report
from arms.analytics.kpis import KpiScope
from arms.analytics.models import BudgetScope
from arms.customers.selectors import customers_visible_to
from arms.reports import schedule
from arms.reports.selectors import facts, figures
from arms.reports.selectors.monthly import (
    aging_history,
    money_axis,
    money_text,
    over_days_table,
    top_overdue_chart,
    top_overdue_table,
)
from arms.reports.tables import COUNT, DATE, MONEY, TEXT, Column, Table, cell_text
from arms.web import charts

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.customers.models import Customer


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    note: str = ""
    tone: str = ""
    link: str = ""
    key: str = ""


@dataclass
class Panel:
    key: str
    title: str
    chart: charts.Chart | None = None
    table: Table | None = None
    tiles: list[Tile] = field(default_factory=list)
    note: str = ""
    link: str = ""
    wide: bool = False
    show_table: bool = True  # False when the tiles already show the table's numbers (it still exports)


@dataclass(frozen=True)
class Context:
    user: User
    as_of: date
    roles: frozenset[str]
    memo: dict[tuple[date, date, KpiScope], dict[str, figures.KpiFigure]] = field(
        default_factory=dict, compare=False, repr=False)

    def kpis(self, *, start: date, end: date, scope: KpiScope | None = None) -> dict[str, figures.KpiFigure]:
        """Analytics' KPIs of a period, asked once per page even when two panels show them."""
        key = (start, end, scope or self.scope)
        if key not in self.memo:
            self.memo[key] = figures.kpis_for_period(start=start, end=end, scope=scope or self.scope)
        return self.memo[key]

    @property
    def month(self) -> date:
        return schedule.month_start(self.as_of)

    @property
    def scope(self) -> KpiScope:
        return KpiScope(user=self.user)

    @property
    def customers(self) -> QuerySet[Customer]:
        return customers_visible_to(self.user)

    def has(self, *roles: Role) -> bool:
        return getattr(self.user, "is_superuser", False) or bool(self.roles & {r.value for r in roles})


FINANCE_ROLES = (Role.FINANCE_CLERK, Role.FINANCE_MANAGER, Role.EXECUTIVE, Role.AUDITOR)

# ---------------------------------------------------------------------------------------------- everyone


def headline(ctx: Context) -> Panel:
    kpis = ctx.kpis(start=ctx.month, end=ctx.as_of)

    def text(code: str) -> str:
        figure = kpis[code]
        value = cell_text(figure.value, Column(code, "", figure.kind))
        return value + (_(" days") if code == "dso" and figure.value is not None else "")

    tiles = [
        Tile(str(kpis["receivables_closing"].label), "¥" + text("receivables_closing"), key="receivables",
             link=reverse("web:invoice_list") + "?state=open"),
        Tile(str(kpis["receivables_overdue"].label), "¥" + text("receivables_overdue"), tone="warn", key="overdue",
             note=_("Overdue ratio %(ratio)s") % {"ratio": text("overdue_ratio")},
             link=reverse("web:invoice_list") + "?state=overdue"),
        Tile(_("Collected this month"), "¥" + text("collections"), key="collections",
             note=_("Collection rate %(rate)s") % {"rate": text("collection_rate")}),
        Tile(str(kpis["dso"].label), text("dso"), key="dso",
             note=_("Best possible %(days)s") % {"days": text("best_possible_dso")}),
        Tile(str(kpis["recovery_rate"].label), text("recovery_rate"), key="recovery_rate",
             note=_("Dunning success rate %(rate)s") % {"rate": text("dunning_success_rate")}),
    ]
    codes = ["receivables_closing", "receivables_overdue", "collections", "dso", "overdue_ratio", "recovery_rate",
             "dunning_success_rate", "collection_rate"]
    table = Table("headline", _("Headline figures"), [Column(code, str(kpis[code].label), kpis[code].kind)
                                                      for code in codes], [[kpis[code].value for code in codes]])
    return Panel("headline", _("Headline figures"), tiles=tiles, table=table, wide=True, show_table=False)


def aging(ctx: Context) -> Panel:
    table, chart = aging_history(end_month=ctx.month, as_of=ctx.as_of, chart_id="chart-aging", user=ctx.user,
                                 width=1000)
    return Panel("aging", table.title, chart=chart, table=table, wide=True, link=_url("analytics:aging"))


def dso_trend(ctx: Context) -> Panel:
    table, chart = figures.trend(end_month=ctx.month, months=6, scope=ctx.scope, chart_id="chart-dso",
                                 codes=["dso", "dso_countback", "best_possible_dso", "overdue_ratio"])
    return Panel("dso_trend", chart.title, chart=chart, table=table)


def top_overdue(ctx: Context) -> Panel:
    table = top_overdue_table(aging_report(as_of=ctx.as_of, group_by="customer", user=ctx.user))
    return Panel("top_overdue", table.title, chart=top_overdue_chart(table, chart_id="chart-top-overdue"),
                 table=table)


def collections_target(ctx: Context) -> Panel:
    """Collections this month against the target: the viewer's own budget (sales, collector) or the company's."""
    if ctx.has(*FINANCE_ROLES, Role.CREDIT_MANAGER, Role.LEGAL):
        scope = BudgetScope.COMPANY
    elif ctx.has(Role.COLLECTOR):
        scope = BudgetScope.COLLECTOR
    else:
        scope = BudgetScope.SALESPERSON
    lines = [b for b in figures.budget_lines(month=ctx.month, user=ctx.user, scope=scope, today=ctx.as_of)
             if scope == BudgetScope.COMPANY or b.user_id == ctx.user.pk]
    table = figures.budget_lines_table(lines, month=ctx.month)
    if lines and lines[0].target_minor is not None:
        # None only for a month still to come, which the dashboard's month never is
        actual: int | Decimal = lines[0].actual_minor or 0
        target = lines[0].target_minor
        note = lines[0].team
    else:
        actual = ctx.kpis(start=ctx.month, end=ctx.as_of, scope=_budget_scope(ctx, scope))["collections"].value or 0
        target = 0
        note = _("No collections target is set for %(month)s.") % {"month": f"{ctx.month:%Y-%m}"}
    chart = charts.gauge(title=_("Collected against target, %(month)s") % {"month": f"{ctx.month:%Y-%m}"},
                         chart_id="chart-collections", value=actual, target=target, value_format=money_axis,
                         value_header=_("Collected (CNY)"), target_header=_("Target (CNY)"),
                         share_header=_("Achieved"))
    return Panel("collections_target", chart.title, chart=chart, table=table, note=note)


def _budget_scope(ctx: Context, scope: str) -> KpiScope:
    if scope == BudgetScope.SALESPERSON:
        return KpiScope(salesperson_id=ctx.user.pk, user=ctx.user)
    if scope == BudgetScope.COLLECTOR:
        return KpiScope(collector_id=ctx.user.pk, user=ctx.user)
    return ctx.scope


# ---------------------------------------------------------------------------------------------- by role


def worklist(ctx: Context) -> Panel:
    """The collector's own customers: overdue amount and items (aging by collector), tasks open and due."""
    mine = aging_report(as_of=ctx.as_of, group_by="customer", filters=AgingFilters(collector_id=ctx.user.pk),
                        user=ctx.user)
    overdue_rows = [row for row in mine.rows if row.overdue_minor > 0]
    base = mine.base_total
    overdue_cny = sum(base.base_buckets[1:]) if base else 0
    tasks = facts.tasks_summary(assignee=ctx.user, today=ctx.as_of)
    mine_kpis = ctx.kpis(start=ctx.month, end=ctx.as_of, scope=KpiScope(collector_id=ctx.user.pk, user=ctx.user))
    rates = {code: cell_text(mine_kpis[code].value, Column(code, "", mine_kpis[code].kind))
             for code in ("dunning_success_rate", "recovery_rate")}
    tiles = [
        Tile(_("My overdue receivables"), "¥" + money_text(overdue_cny), tone="warn", key="my_overdue",
             note=_("%(customers)s customers") % {"customers": len({row.key for row in overdue_rows})}),
        Tile(_("My dunning success rate (催收成功率)"), rates["dunning_success_rate"], key="my_dunning_success",
             note=_("Recovery rate %(rate)s") % {"rate": rates["recovery_rate"]}),
    ]
    tiles.append(Tile(_("My open tasks"), f"{tasks['open']:,}", key="my_tasks",
                      note=_("%(due)s due by today") % {"due": tasks["due"]},
                      tone="warn" if tasks["due"] else "", link=_url("cases:worklist")))
    table = top_overdue_table(mine, key="worklist")
    table.title = _("My customers with overdue items")
    return Panel("worklist", _("My worklist"), tiles=tiles, table=table)


def promises_due(ctx: Context) -> Panel:
    count, promises = facts.promises_due(ctx.customers.filter(collector=ctx.user) if not ctx.user.is_superuser
                                         else ctx.customers, today=ctx.as_of)
    table = Table("promises_due", _("Promises to pay due within 7 days"), [
        Column("customer", _("Customer")), Column("promised_on", _("Promised date"), DATE),
        Column("currency", _("Currency")), Column("amount", _("Amount"), MONEY), Column("paid", _("Paid"), MONEY),
    ], [[f"{p.customer.code} {p.customer.name}", p.promised_on, p.currency, p.amount_minor, p.paid_minor]
        for p in promises], note=_("%(count)s in all.") % {"count": count} if count > len(promises) else "")
    return Panel("promises_due", table.title, table=table)


def grade_mix(ctx: Context) -> Panel:
    mix = facts.grade_mix(ctx.customers)
    labels = [g.grade or _("Unrated") for g in mix]
    chart = charts.horizontal_bars(title=_("Customers by credit grade"), chart_id="chart-grades", labels=labels,
                                   values=[g.count for g in mix], value_format=lambda v: f"{v:,}",
                                   value_header=pgettext("count", "Customers"), label_width=120, width=420)
    columns = [Column("grade", _("Grade")), Column("count", pgettext("count", "Customers"), COUNT)]
    table = Table("grade_mix", chart.title, columns, [[label, g.count] for label, g in zip(labels, mix, strict=True)])
    return Panel("grade_mix", chart.title, chart=chart, table=table)


def holds(ctx: Context) -> Panel:
    count, rows = facts.holds_in_force(ctx.customers, as_of=ctx.as_of)
    queue = facts.review_queue(ctx.customers, today=ctx.as_of)
    tiles = [Tile(_("Customers on hold"), f"{count:,}", tone="warn" if count else "", key="holds"),
             Tile(_("Credit reviews due"), f"{queue.reviews_due:,}", key="reviews_due"),
             Tile(_("Rating proposals waiting"), f"{queue.rating_proposals:,}", key="rating_proposals"),
             Tile(_("Limit requests waiting"), f"{queue.limit_requests:,}", key="limit_requests")]
    table = Table("holds", _("Active credit holds"), [
        Column("customer", _("Customer")), Column("reason", _("Reason")), Column("placed", _("Placed on"), DATE),
    ], [[f"{h.customer.code} {h.customer.name}", h.get_reason_code_display(), timezone.localdate(h.placed_at)]
      for h in rows])
    return Panel("holds", _("Holds and review queue"), tiles=tiles, table=table, link=_url("exposure:hold_list"))


def kpi_table(ctx: Context) -> Panel:
    current = ctx.kpis(start=ctx.month, end=ctx.as_of)
    previous_month = schedule.previous_month(ctx.month)
    before = ctx.kpis(start=previous_month, end=schedule.month_end(previous_month))
    rows = []
    for code, figure in current.items():
        column = Column(code, "", figure.kind)
        rows.append([str(figure.label), cell_text(figure.value, column), cell_text(before[code].value, column)])
    table = Table("kpis", _("KPIs this month and last month"), [
        Column("kpi", _("KPI")), Column("value", _("This month"), TEXT),
        Column("previous", _("Last month"), TEXT)], rows)
    return Panel("kpis", table.title, table=table)


def team(ctx: Context) -> Panel:
    table = figures.team_table(month=ctx.month, as_of=ctx.as_of, user=ctx.user)
    return Panel("team", table.title, table=table, wide=True)


def legal(ctx: Context) -> Panel:
    report = aging_report(as_of=ctx.as_of, group_by="customer", user=ctx.user)
    table = over_days_table(report, days=90, limit=20)
    letters = facts.lawyer_letters(ctx.customers, start=ctx.as_of - timedelta(days=90), end=ctx.as_of)
    tiles = []
    tiles.append(Tile(_("Lawyer's letters, last 90 days"), f"{letters['letters']:,}", key="lawyer_letters",
                      note=_("to %(customers)s customers") % {"customers": letters["customers"]}))
    over = sum(table.column("over"))
    tiles.insert(0, Tile(_("More than 90 days overdue"), "¥" + money_text(over), tone="warn", key="over_90"))
    return Panel("legal", _("Items more than 90 days overdue"), tiles=tiles, table=table)


def _url(name: str) -> str:
    return reverse(name)


Builder = Callable[[Context], Panel | None]

#: every panel by key, with the roles that see it (None: everyone)
PANELS: dict[str, tuple[Builder, tuple[Role, ...] | None]] = {
    "headline": (headline, None),
    "aging": (aging, None),
    "dso_trend": (dso_trend, None),
    "collections_target": (collections_target, None),
    "top_overdue": (top_overdue, None),
    "worklist": (worklist, (Role.COLLECTOR,)),
    "promises_due": (promises_due, (Role.COLLECTOR,)),
    "grade_mix": (grade_mix, (Role.CREDIT_MANAGER,)),
    "holds": (holds, (Role.CREDIT_MANAGER,)),
    "legal": (legal, (Role.LEGAL,)),
    "kpis": (kpi_table, FINANCE_ROLES),
    "team": (team, (Role.FINANCE_MANAGER, Role.EXECUTIVE, Role.AUDITOR)),
}


def panel_keys_for(user: User) -> list[str]:
    ctx = Context(user=user, as_of=date.min, roles=frozenset(user_roles(user)))
    return [key for key, (_builder, roles) in PANELS.items() if roles is None or ctx.has(*roles)]


def dashboard_panel(*, user: User, key: str, as_of: date) -> Panel | None:
    """One panel for ``user``; None when the key is unknown or not for the user's roles."""
    if key not in panel_keys_for(user):
        return None
    builder, _roles = PANELS[key]
    return builder(Context(user=user, as_of=as_of, roles=frozenset(user_roles(user))))


def dashboard_panels(*, user: User, as_of: date) -> list[Panel]:
    ctx = Context(user=user, as_of=as_of, roles=frozenset(user_roles(user)))
    panels = []
    for key in panel_keys_for(user):
        panel = PANELS[key][0](ctx)
        if panel is not None:
            panels.append(panel)
    return panels

