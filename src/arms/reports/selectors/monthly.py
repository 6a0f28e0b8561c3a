"""The monthly management report's content, collected from analytics (and, read-only, credit, exposure, cases).

Nothing here computes aging or a KPI: the figures come from ``arms.analytics`` (``aging_report``, ``kpi_values``,
``kpi_trend``, ``team_performance``, budgets) and are only reshaped into the report's tables and charts:
summed across a customer's currencies in CNY, sorted, cut to the top ten. ``monthly_report_data`` returns one
``MonthlyReport`` that both layouts (PDF and XLSX, ``render.py``) draw from, so the two always agree.

The month's figures are as of its last day; for the month in progress, as of today (month to date). Every
section reads the state of that day, never today's: the aging and KPIs from the ledger as of the day, holds in
force at its close, promises broken and disputes open within the month, the team's customers that existed by
then, budgets against the month's actuals. "Change" is against the same figures one month earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from arms.analytics.aging import AgingFilters, AgingReport, aging_report, bucket_label
from arms.customers.models import Customer
from arms.customers.selectors import company_default
from arms.domain.money import BASE_CURRENCY, format_amount
from arms.earlywarning.selectors import warnings_in_period
from arms.reports import schedule
from arms.reports.selectors import facts, figures
from arms.reports.tables import COUNT, DATE, DECIMAL, MONEY, PERCENT, TEXT, Column, Table, cell_text
from arms.stress.services import standard_effect
from arms.web import charts

if TYPE_CHECKING:
    from arms.common.typing import Viewer
    from arms.domain.aging import Bucket

TOP = 10
AGING_MONTHS = 6
TREND_MONTHS = 12


def money_axis(minor: charts.Number) -> str:
    """Axis labels in 万元 (ten thousand yuan), as Chinese finance reports count: 1,250,000.00 -> "125万"."""
    yuan = Decimal(int(minor)).scaleb(-2)
    if abs(yuan) >= 10_000:
        wan = yuan / 10_000
        places = Decimal(1) if abs(wan) >= 10 or wan == wan.to_integral_value() else Decimal("0.1")
        return f"{wan.quantize(places, rounding=ROUND_HALF_UP):,}万"
    return f"{yuan.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def money_text(minor: charts.Number) -> str:
    return format_amount(int(minor), BASE_CURRENCY)


@dataclass
class KpiLine:
    """One KPI of the month beside the month before; ``kind`` is a tables column kind (money, decimal ...)."""

    key: str
    label: str
    kind: str
    value: Decimal | int | None
    previous: Decimal | int | None

    @property
    def change(self) -> Decimal | int | None:
        """This month less last month; days and ratios as shown (to 0.1), so the table adds up as read."""
        if self.value is None or self.previous is None:
            return None
        if self.kind in (DECIMAL, PERCENT):
            tenth = Decimal("0.1")
            return (Decimal(self.value).quantize(tenth, rounding=ROUND_HALF_UP)
                    - Decimal(self.previous).quantize(tenth, rounding=ROUND_HALF_UP))
        return self.value - self.previous


@dataclass
class MonthlyReport:
    month: date
    as_of: date
    previous_as_of: date
    month_to_date: bool
    generated_at: datetime
    company: str
    currency: str = BASE_CURRENCY
    kpis: list[KpiLine] = field(default_factory=list)
    kpi_table: Table | None = None
    aging_summary: Table | None = None
    aging_customers: Table | None = None
    aging_chart: charts.Chart | None = None
    aging_history: Table | None = None
    trend_table: Table | None = None
    trend_chart: charts.Chart | None = None
    top_overdue: Table | None = None
    top_overdue_chart: charts.Chart | None = None
    over_90: Table | None = None
    broken_promises: Table | None = None
    disputes: Table | None = None
    holds: Table | None = None
    team: Table | None = None
    budget: Table | None = None
    #: the risk outlook (issue 15): warnings of the month, the 13-week forecast, the standard stress scenario
    warnings: Table | None = None
    forecast: Table | None = None
    stress: Table | None = None
    stress_title: str = ""
    recommendations: list[str] = field(default_factory=list)

    @property
    def outlook_tables(self) -> list[Table]:
        return [t for t in (self.warnings, self.forecast, self.stress) if t is not None]

    @property
    def risk_tables(self) -> list[Table]:
        return [t for t in (self.over_90, self.broken_promises, self.disputes, self.holds) if t is not None]

    def sheets(self) -> list[tuple[str, list[Table]]]:
        """The workbook: one sheet per part, in the order of the PDF."""
        sheets = [
            (pgettext("report sheet", "Summary"), [t for t in (self.kpi_table, self.aging_summary) if t]),
            (pgettext("report sheet", "Aging"), [t for t in (self.aging_customers, self.aging_history) if t]),
            (pgettext("report sheet", "KPI trend"), [t for t in (self.trend_table,) if t]),
            (pgettext("report sheet", "Top risks"), [t for t in (self.top_overdue, *self.risk_tables) if t]),
            (pgettext("report sheet", "Team"), [t for t in (self.team, self.budget) if t]),
            (pgettext("report sheet", "Risk outlook"), self.outlook_tables),
        ]
        return [(name, tables) for name, tables in sheets if tables]


def monthly_report_data(*, month: date, today: date | None = None) -> MonthlyReport:
    """Everything the month's report shows. ``month`` is the first day of the month."""
    today = today or timezone.localdate()
    month = schedule.month_start(month)
    end = schedule.month_end(month)
    as_of = min(end, today)
    previous = schedule.previous_month(month)
    report = MonthlyReport(
        month=month, as_of=as_of, previous_as_of=schedule.month_end(previous), month_to_date=as_of < end,
        generated_at=timezone.now(), company=_company_name(),
    )
    aging = aging_report(as_of=as_of, group_by="customer")
    aging_before = aging_report(as_of=report.previous_as_of, group_by="customer")
    report.aging_summary = aging_summary_table(aging, aging_before)
    report.aging_customers = aging_customer_table(aging)
    report.aging_history, report.aging_chart = aging_history(end_month=month, as_of=as_of, chart_id="monthly-aging")
    report.top_overdue = top_overdue_table(aging)
    report.top_overdue_chart = top_overdue_chart(report.top_overdue, chart_id="monthly-top-overdue")
    report.over_90 = over_days_table(aging, days=90)
    _add_kpis(report, month=month)
    _add_team(report, month=month)
    _add_case_risks(report, month=month)
    _add_outlook(report, month=month)
    return report


def _company_name() -> str:
    company = company_default()
    return (company.name if company else "") or settings.ARMS_COMPANY_CODE


# ------------------------------------------------------------------------------------------------ aging


def _bucket_columns(aging: AgingReport) -> list[Column]:
    return [Column(f"b{i}", bucket_label(b), MONEY) for i, b in enumerate(aging.buckets)]


def aging_summary_table(aging: AgingReport, before: AgingReport | None = None) -> Table:
    """Per currency (and all in CNY): the open amount in each bucket, disputed apart, the total, and the
    total a month earlier. Foreign-currency rows are in their own currency; the CNY total converts each
    document at its own rate."""
    columns = [Column("currency", _("Currency")), *_bucket_columns(aging), Column("disputed", _("Disputed"), MONEY),
               Column("total", pgettext("sum", "Total"), MONEY), Column("count", _("Open items"), COUNT)]
    rows = []
    for total in aging.totals:
        rows.append([total.currency, *total.buckets, total.disputed_minor, total.total_minor, total.count])
    footer = None
    if aging.base_total is not None and (len(aging.totals) != 1 or aging.totals[0].currency != BASE_CURRENCY):
        base = aging.base_total
        footer = [_("All currencies in CNY"), *base.buckets, base.disputed_minor, base.total_minor, base.count]
    note = ""
    if before is not None and before.base_total is not None:
        note = _("Total a month earlier (%(date)s): CNY %(amount)s") % {
            "date": before.as_of.isoformat(), "amount": money_text(before.base_total.total_minor)}
    return Table("aging_summary", _("Aging as of %(date)s") % {"date": aging.as_of.isoformat()}, columns, rows,
                 footer=footer, note=note)


def aging_customer_table(aging: AgingReport) -> Table:
    """Every customer's aging row (the workbook's detail sheet)."""
    columns = [Column("customer", _("Customer")), Column("currency", _("Currency")), *_bucket_columns(aging),
               Column("disputed", _("Disputed"), MONEY), Column("total", pgettext("sum", "Total"), MONEY)]
    rows = [[row.label, row.currency, *row.buckets, row.disputed_minor, row.total_minor] for row in aging.rows]
    footer = None
    if len(aging.totals) == 1:
        total = aging.totals[0]
        footer = [pgettext("sum", "Total"), total.currency, *total.buckets, total.disputed_minor, total.total_minor]
    return Table("aging_customers", _("Aging by customer as of %(date)s") % {"date": aging.as_of.isoformat()},
                 columns, rows, footer=footer, currency=aging.totals[0].currency if len(aging.totals) == 1 else "")


@dataclass
class _CustomerFigures:
    label: str
    overdue: int = 0
    total: int = 0
    over: int = 0
    oldest_bucket: str = ""


def _by_customer(aging: AgingReport, *, days: int = 90) -> dict[str, _CustomerFigures]:
    """Each customer's CNY figures across its currencies: overdue, total open, and beyond ``days``."""
    beyond = [i for i, b in enumerate(aging.buckets) if b.low is not None and b.low > days]
    result: dict[str, _CustomerFigures] = {}
    for row in aging.rows:
        figures = result.setdefault(row.key, _CustomerFigures(row.label))
        figures.overdue += sum(row.base_buckets[1:]) if aging.basis == "due" else 0
        figures.total += row.base_total_minor
        figures.over += sum(row.base_buckets[i] for i in beyond)
        for index in range(len(row.base_buckets) - 1, 0, -1):
            if row.base_buckets[index]:
                label = bucket_label(aging.buckets[index])
                if not figures.oldest_bucket or index > _bucket_index(aging, figures.oldest_bucket):
                    figures.oldest_bucket = label
                break
    return result


def _bucket_index(aging: AgingReport, label: str) -> int:
    labels = [bucket_label(b) for b in aging.buckets]
    return labels.index(label) if label in labels else -1


def top_overdue_table(aging: AgingReport, *, limit: int = TOP, key: str = "top_overdue") -> Table:
    """The customers with the largest overdue amounts (CNY, undisputed), with their open total."""
    figures = sorted((f for f in _by_customer(aging).values() if f.overdue > 0),
                     key=lambda f: (-f.overdue, f.label))[:limit]
    columns = [Column("customer", _("Customer")), Column("overdue", _("Overdue (CNY)"), MONEY),
               Column("total", _("Open (CNY)"), MONEY), Column("oldest", _("Oldest bucket"))]
    return Table(key, _("Largest overdue customers"), columns,
                 [[f.label, f.overdue, f.total, f.oldest_bucket] for f in figures])


def top_overdue_chart(table: Table, *, chart_id: str) -> charts.Chart:
    return charts.horizontal_bars(
        title=table.title, chart_id=chart_id, labels=table.column("customer"), values=table.column("overdue"),
        value_format=money_text, color=charts.AGING_PALETTE[4], value_header=_("Overdue (CNY)"),
    )


def over_days_table(aging: AgingReport, *, days: int = 90, limit: int = TOP) -> Table:
    """The largest exposures more than ``days`` past due (CNY)."""
    figures = sorted((f for f in _by_customer(aging, days=days).values() if f.over > 0),
                     key=lambda f: (-f.over, f.label))[:limit]
    columns = [Column("customer", _("Customer")),
               Column("over", _("More than %(days)s days overdue (CNY)") % {"days": days}, MONEY),
               Column("total", _("Open (CNY)"), MONEY)]
    return Table("over_90", _("Largest exposures more than %(days)s days overdue") % {"days": days}, columns,
                 [[f.label, f.over, f.total] for f in figures])


def aging_history(*, end_month: date, as_of: date, chart_id: str, months: int = AGING_MONTHS,
                  user: Viewer | None = None, filters: AgingFilters | None = None,
                  width: int = 640) -> tuple[Table, charts.Chart]:
    """The aging (CNY) at each of the last ``months`` month-ends (the last one at ``as_of``): a table, and the
    same numbers as stacked bars."""
    rows: list[list[Any]] = []  # a table's rows: month, day, amounts
    bucket_list: list[Bucket] = []
    for first in schedule.months_back(end_month, months):
        day = min(schedule.month_end(first), as_of)
        report = aging_report(as_of=day, group_by="currency", user=user, filters=filters)
        bucket_list = report.buckets
        base = report.base_total
        amounts = [*(base.base_buckets if base else [0] * len(bucket_list)), base.base_disputed_minor if base else 0]
        rows.append([f"{first:%Y-%m}", day, *amounts, sum(amounts)])
    names = [bucket_label(b) for b in bucket_list] + [_("Disputed")]
    columns = [Column("month", _("Month")), Column("as_of", pgettext("figures date", "As of"), DATE),
               *[Column(f"b{i}", name, MONEY) for i, name in enumerate(names)],
               Column("total", pgettext("sum", "Total"), MONEY)]
    table = Table("aging_history", _("Aging at month-end (CNY)"), columns, rows)
    palette = charts.AGING_PALETTE
    colors = [palette[min(i, len(palette) - 1)] for i in range(len(names) - 1)] + [charts.DISPUTED_COLOR]
    series = [charts.Series(name, [row[2 + i] for row in rows], color=colors[i]) for i, name in enumerate(names)]
    chart = charts.stacked_bars(
        title=table.title, chart_id=chart_id, categories=[row[0] for row in rows], series=series,
        value_format=money_text, axis_format=money_axis, width=width,
        desc=_("Open receivables at each month-end, stacked by days past due."),
    )
    return table, chart


# ------------------------------------------------------------------------------------------------ KPIs


def _add_kpis(report: MonthlyReport, *, month: date) -> None:
    """KPIs of the month and the month before, and the twelve-month trend (from analytics)."""
    current = figures.kpis_for_month(month=month, as_of=report.as_of)
    previous = figures.kpis_for_month(month=schedule.previous_month(month), as_of=report.previous_as_of)
    if current is None:
        return
    report.kpis = [KpiLine(k.key, k.label, k.kind, k.value, previous[k.key].value if k.key in previous else None)
                   for k in current.values()]
    columns = [Column("kpi", _("KPI")), Column("value", _("This month"), TEXT),
               Column("previous", _("Last month"), TEXT), Column("change", pgettext("kpi", "Change"), TEXT)]
    rows = []
    for line in report.kpis:
        column = Column(line.key, line.label, line.kind)
        rows.append([line.label, cell_text(line.value, column), cell_text(line.previous, column),
                     _signed(line.change, column)])
    report.kpi_table = Table("kpis", _("Key figures of %(month)s") % {"month": f"{month:%Y-%m}"}, columns, rows)
    trend = figures.trend(end_month=month, months=TREND_MONTHS)
    if trend:
        report.trend_table, report.trend_chart = trend


def _signed(change: Decimal | int | None, column: Column) -> str:
    if change is None:
        return "—"
    text = cell_text(abs(change), column)
    return ("+" if change > 0 else "−" if change < 0 else "±") + text


def _add_team(report: MonthlyReport, *, month: date) -> None:
    report.team = figures.team_table(month=month, as_of=report.as_of)
    budget = figures.budget_table(month=month, today=report.as_of)
    report.budget = budget if budget.rows else None


# ------------------------------------------------------------------------------------------------ cases, holds


def _add_case_risks(report: MonthlyReport, *, month: date) -> None:
    everyone = Customer.objects.all()
    count, rows = facts.promises_broken(everyone, start=month, end=report.as_of)
    report.broken_promises = Table(
        "broken_promises", _("Promises to pay broken this month"),
        [Column("customer", _("Customer")), Column("promised_on", _("Promised date"), DATE),
         Column("currency", _("Currency")), Column("amount", _("Promised"), MONEY),
         Column("shortfall", _("Shortfall"), MONEY)],
        [[f"{p.customer.code} {p.customer.name}", p.promised_on, p.currency, p.amount_minor, p.shortfall_minor]
         for p in rows], note=_("%(count)s in all.") % {"count": count} if count > len(rows) else "",
    )
    count, disputes = facts.disputes_near_sla(everyone, as_of=report.as_of)
    report.disputes = Table(
        "disputes", _("Open disputes at or near their deadline"),
        [Column("customer", _("Customer")), Column("invoice", _("Invoice")),
         Column("reason", _("Reason")), Column("sla_due_on", _("Deadline"), DATE),
         Column("currency", _("Currency")), Column("amount", _("Disputed"), MONEY)],
        [[f"{d.customer.code} {d.customer.name}", d.invoice.number, d.get_reason_code_display(), d.sla_due_on,
          d.currency, d.amount_minor] for d in disputes],
        note=_("%(count)s in all.") % {"count": count} if count > len(disputes) else "",
    )
    count, holds = facts.holds_in_force(everyone, as_of=report.as_of)
    report.holds = Table(
        "holds", _("Customers on credit hold on %(date)s") % {"date": report.as_of.isoformat()},
        [Column("customer", _("Customer")), Column("reason", _("Reason")),
         Column("placed_at", _("Placed on"), DATE), Column("note", _("Note"))],
        [[f"{h.customer.code} {h.customer.name}", h.get_reason_code_display(),
          timezone.localdate(h.placed_at), h.note] for h in holds],
        note=_("%(count)s in all.") % {"count": count} if count > len(holds) else "",
    )



# ------------------------------------------------------------------------------------------------ risk outlook

#: warnings the report lists (the most severe first)
WARNINGS_SHOWN = 30


def _add_outlook(report: MonthlyReport, *, month: date) -> None:
    """The month's warnings, the 13-week cash-in forecast from the day, and the standard stress scenario's effect
    with its recommendations (computed as of the day, stored nowhere: the report itself is what is kept)."""
    rows = warnings_in_period(start=month, end=report.as_of)
    report.warnings = Table(
        "warnings", _("Early warnings of the month"),
        [Column("indicator", _("Indicator")), Column("severity", _("Severity")), Column("scope", _("Scope")),
         Column("raised_on", _("Raised on"), DATE), Column("status", _("Status")), Column("figures", _("Figures"))],
        [[w.indicator_name, w.severity_label, w.customer_name or w.scope_label, w.raised_on, w.status_label,
          w.figures_text] for w in rows[:WARNINGS_SHOWN]],
        note=_("%(count)s in all.") % {"count": len(rows)} if len(rows) > WARNINGS_SHOWN else "")
    company = company_default()
    if company is None:
        return
    effect = standard_effect(company=company, as_of=report.as_of)
    weeks = effect.results["weeks"]
    report.forecast = Table(
        "forecast", _("Cash-in forecast for the next 13 weeks"),
        [Column("week", _("Week of")), Column("expected", _("Expected"), MONEY), Column("low", _("Low"), MONEY),
         Column("high", _("High"), MONEY)],
        [[w["start"], w["base_minor"], w["low_minor"], w["high_minor"]] for w in weeks],
        footer=[_("Total"), sum(w["base_minor"] for w in weeks), sum(w["low_minor"] for w in weeks),
                sum(w["high_minor"] for w in weeks)])
    base, stressed = effect.results["base"], effect.results["stressed"]

    def ratio(bp: int | None) -> Decimal | None:
        return None if bp is None else Decimal(bp) / 100

    report.stress_title = _("Standard stress scenario: %(name)s (%(shocks)s)") % {
        "name": effect.name, "shocks": effect.shocks}
    report.stress = Table(
        "stress", report.stress_title,
        [Column("figure", _("Figure")), Column("base", _("Base"), MONEY), Column("stressed", _("Stressed"), MONEY)],
        [[_("Cash-in over 13 weeks"), base["cash_in_minor"], stressed["cash_in_minor"]],
         [_("Minimum cash position"), base["minimum_minor"], stressed["minimum_minor"]],
         [_("Required allowance"), base["allowance_minor"], stressed["allowance_minor"]],
         [_("Bad debts over the last 12 months"), base["bad_debt_minor"], stressed["bad_debt_minor"]]],
        note=_("Overdue ratio %(base)s%% base, %(stressed)s%% stressed.") % {
            "base": ratio(base["overdue_ratio_bp"]) if base["overdue_ratio_bp"] is not None else "—",
            "stressed": ratio(stressed["overdue_ratio_bp"]) if stressed["overdue_ratio_bp"] is not None else "—"})
    report.recommendations = effect.recommendations
