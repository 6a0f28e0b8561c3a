"""Every analytics table as an export table (``arms.web.exports``, which writes the CSV or Excel file).

Amounts go out as Decimals of major units (``to_decimal``), so a spreadsheet sums them exactly. The tables are
built row by row from generators; the aging drill-down streams its rows (``iterator``) rather than holding
them in a list.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.analytics.aging import AgingReport, AgingRow, RunningTotals, bucket_label
from arms.domain.money import BASE_CURRENCY, to_decimal, to_decimals
from arms.web.exports import AMOUNT, DATE, DECIMAL, INT, TEXT, Column, Table


def aging_table(report: AgingReport) -> Table:
    """Every group of the report (not only the page shown), then the totals per currency and in CNY: the report's,
    or for a report made without them (``aging_report(totals=False)``, the export's) summed from the rows as they
    are written, which saves the export a second pass over the open items."""
    columns = [Column(_("Group"), width=32), Column(_("Key")), Column(_("Currency")), Column(_("Items"), INT),
               *[Column(bucket_label(b), AMOUNT) for b in report.buckets], Column(_("Disputed"), AMOUNT),
               Column(_("Total"), AMOUNT), Column(_("Total (CNY)"), AMOUNT)]

    def line(row, currency: str, base_total: int) -> list:
        return [row.label, row.key, currency, row.count,
                *to_decimals([*row.buckets, row.disputed_minor, row.total_minor], currency),
                to_decimal(base_total, BASE_CURRENCY)]

    def footer_of(totals: list[AgingRow], base: AgingRow | None) -> list[list]:
        return [*(line(row, row.currency, row.base_total_minor) for row in totals),
                *([line(base, BASE_CURRENCY, base.total_minor)] if base is not None else [])]

    if not report.totals_from_rows:
        return Table(_("Aging"), columns, (line(row, row.currency, row.base_total_minor) for row in report.rows),
                     footer=footer_of(report.totals, report.base_total))
    running, footer = RunningTotals(len(report.buckets)), _FooterAfterRows()

    def rows() -> Iterator[list]:
        for row in report.rows:
            running.add(row)
            yield line(row, row.currency, row.base_total_minor)
        footer.totals = footer_of(*running.result())

    return Table(_("Aging"), columns, rows(), footer=footer)


class _FooterAfterRows(Sequence[list]):
    """A table's footer that exists once its rows have been written (totals summed from them): the writers
    (``arms.web.exports``) write the footer after the rows. Read before, it refuses rather than show no totals."""

    totals: list[list] | None = None

    def _lines(self) -> list[list]:
        if self.totals is None:
            raise RuntimeError("the aging export's totals are summed from its rows: write the rows first")
        return self.totals

    def __len__(self) -> int:
        return len(self._lines())

    def __getitem__(self, index):
        return self._lines()[index]

    def __iter__(self) -> Iterator[list]:
        return iter(self._lines())


def aging_invoices_table(queryset, *, as_of: date, report_buckets) -> Table:
    columns = [Column(_("Invoice")), Column(_("Customer code")), Column(_("Customer"), width=32),
               Column(_("Issue date"), DATE), Column(_("Due date"), DATE), Column(_("Days overdue"), INT),
               Column(_("Bucket")), Column(_("Currency")), Column(_("Gross amount"), AMOUNT),
               Column(_("Open amount"), AMOUNT), Column(_("Open amount (CNY)"), AMOUNT)]
    labels = [bucket_label(b) for b in report_buckets]

    def rows():
        for inv in queryset.iterator(chunk_size=2000):
            yield [inv.number, inv.customer.code, inv.customer.name, inv.issue_date, inv.due_date,
                   (as_of - inv.due_date).days, labels[inv.bucket], inv.currency,
                   to_decimal(inv.gross_minor, inv.currency), to_decimal(inv.open_as_of, inv.currency),
                   to_decimal(inv.open_base_as_of, BASE_CURRENCY)]

    return Table(_("Open items"), columns, rows())


def kpi_value_cell(kpi) -> object:
    if kpi.value is None:
        return None
    if kpi.unit == "amount":
        return to_decimal(kpi.value, BASE_CURRENCY)
    return kpi.value


def kpi_table(values: dict) -> Table:
    columns = [Column(_("KPI"), width=36), Column(_("Code")), Column(_("Value"), DECIMAL), Column(_("Unit"))]
    units = {"amount": _("CNY"), "days": _("days"), "percent": "%", "times": _("times"), "count": _("items")}
    return Table(_("KPIs"), columns, ([str(k.label), k.code, kpi_value_cell(k), units.get(k.unit, k.unit)]
                                      for k in values.values()))


def trend_table(trend: list[dict], codes: list[str], labels: dict, units: dict) -> Table:
    columns = [Column(_("Month"), TEXT, width=10),
               *[Column(str(labels[c]), AMOUNT if units[c] == "amount" else DECIMAL) for c in codes]]

    def cell(code, value):
        if value is None:
            return None
        return to_decimal(value, BASE_CURRENCY) if units[code] == "amount" else value

    return Table(_("KPI trend"), columns,
                 ([row["month"].strftime("%Y-%m"), *[cell(c, row[c]) for c in codes]] for row in trend))


def team_table(rows) -> Table:
    columns = [Column(_("Role")), Column(_("Name")), Column(_("Rank"), INT), Column(_("Score"), DECIMAL),
               Column(_("Turnover score"), DECIMAL), Column(_("Bad-debt score"), DECIMAL),
               Column(_("Collection score"), DECIMAL), Column(_("Customers"), INT),
               Column(_("Receivables at the end (CNY)"), AMOUNT), Column(_("Cash collected (CNY)"), AMOUNT),
               Column(_("Receivables turnover"), DECIMAL), Column(_("Bad-debt ratio %"), DECIMAL),
               Column(_("Over 365 days overdue %"), DECIMAL),
               Column(_("Dunning success rate (催收成功率) %"), DECIMAL),
               Column(_("Recovery rate (回收率) %"), DECIMAL), Column(_("Collection rate (回款率) %"), DECIMAL),
               Column(_("DSO"), DECIMAL), Column(_("Overdue ratio %"), DECIMAL), Column(_("Fell overdue"), INT),
               Column(_("Followed up within 24 hours"), INT), Column(_("Follow-up rate %"), DECIMAL),
               Column(_("Activities"), INT), Column(_("Complete records"), INT), Column(_("Completeness %"), DECIMAL)]
    return Table(_("Team performance"), columns, ([
        r.role, r.name, r.rank, r.score, r.scores.get("turnover"), r.scores.get("bad_debt"),
        r.scores.get("collection"), r.customer_count, to_decimal(r.receivables_closing, BASE_CURRENCY),
        to_decimal(r.collections, BASE_CURRENCY), r.receivables_turnover, r.bad_debt_ratio, r.over_365_share,
        r.dunning_success_rate,
        r.recovery_rate, r.collection_rate, r.dso, r.overdue_ratio, r.fell_overdue, r.followed_up_24h,
        r.follow_up_rate, r.activities, r.complete_activities, r.completeness_rate,
    ] for r in rows))


def budget_table(actuals) -> Table:
    columns = [Column(_("Month"), TEXT, width=10), Column(_("Team")), Column(_("Person")),
               Column(_("Collections target (CNY)"), AMOUNT), Column(_("Cash collected (CNY)"), AMOUNT),
               Column(_("Achieved %"), DECIMAL), Column(_("DSO target"), DECIMAL), Column(_("DSO"), DECIMAL),
               Column(_("Overdue ratio target %"), DECIMAL), Column(_("Overdue ratio %"), DECIMAL),
               Column(_("Recovery rate target %"), DECIMAL), Column(_("Recovery rate (回收率) %"), DECIMAL),
               Column(_("Note"), width=30)]

    def bp(value):
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))

    def money(value):
        return None if value is None else to_decimal(value, BASE_CURRENCY)

    return Table(_("Budgets"), columns, ([
        a.budget.period.strftime("%Y-%m"), a.budget.get_scope_display(),
        person_name(a.budget.user) if a.budget.user_id else "", money(a.budget.collections_target_minor),
        money(a.collections_minor), a.collections_achieved_pct, a.budget.dso_target_days, a.dso_days,
        bp(a.budget.overdue_ratio_target_bp), bp(a.overdue_ratio_bp), bp(a.budget.recovery_rate_target_bp),
        bp(a.recovery_rate_bp), a.budget.note,
    ] for a in actuals))
