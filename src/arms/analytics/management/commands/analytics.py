"""arms analytics: the aging, KPIs, team performance and budgets from the command line, and the tie-out.

    arms analytics aging --as-of 2026-10-31 --group-by salesperson --format csv
    arms analytics aging --as-of 2026-10-31 --items --bucket 4 --format xlsx --output items.xlsx
    arms analytics kpis --start 2026-10-01 --end 2026-10-31 [--salesperson ID | --collector ID | --customer ID]
    arms analytics trend --months 12 --end-month 2026-10-01
    arms analytics team --start 2026-10-01 --end 2026-10-31 --weights turnover=50,bad_debt=25,collection=25
    arms analytics budgets --year 2026
    arms analytics tie --as-of 2026-10-31     # open items (two ways) = the 1122 journal, per currency; exit 1 if not

Formats: ``table`` (default, for people), ``csv``, ``json``, ``xlsx`` (needs --output). Figures cover every
customer (the command runs as the system, not as a user).
"""

from __future__ import annotations

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from arms.analytics import exports
from arms.analytics.aging import AgingFilters, aging_invoices, aging_report, resolve_buckets
from arms.analytics.budgets import budget_actuals, budget_list
from arms.analytics.kpis import KPI_CODES, LABELS, UNITS, KpiScope, kpi_trend, kpi_values
from arms.analytics.schemas import aging_out
from arms.analytics.selectors import journal_receivables_as_of, open_totals_as_of
from arms.analytics.team import parse_weights, team_performance
from arms.common.errors import ArmsError
from arms.web.exports import Column, Table, csv_lines, xlsx_file


def _date(text: str) -> date:
    return date.fromisoformat(text)


class Command(BaseCommand):
    help = "Aging, KPIs, team performance, budgets and the receivables tie-out, as tables, CSV, JSON or Excel."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["aging", "kpis", "trend", "team", "budgets", "tie"])
        parser.add_argument("--as-of", type=_date, default=None, help="Aging / tie-out day (default today).")
        parser.add_argument("--basis", default="due", choices=["due", "invoice"], help="Age by due or invoice date.")
        parser.add_argument("--buckets", default="", help="Bucket upper bounds in days, e.g. 30,60,90,180,365,730.")
        parser.add_argument("--group-by", default="customer",
                            help="customer, salesperson, collector, region, industry, grade or currency.")
        parser.add_argument("--items", action="store_true", help="List the open items instead of the summary.")
        parser.add_argument("--bucket", type=int, default=None, help="With --items: only this bucket (index).")
        parser.add_argument("--currency", default="", help="Only this currency.")
        parser.add_argument("--start", type=_date, default=None, help="First day of the KPI period.")
        parser.add_argument("--end", type=_date, default=None, help="Last day of the KPI period.")
        parser.add_argument("--months", type=int, default=12, help="Months of trend.")
        parser.add_argument("--end-month", type=_date, default=None, help="Any day of the trend's last month.")
        parser.add_argument("--salesperson", type=int, default=None, help="User id of a salesperson.")
        parser.add_argument("--collector", type=int, default=None, help="User id of a collector.")
        parser.add_argument("--customer", type=int, default=None, help="Customer id.")
        parser.add_argument("--weights", default="", help="Team score weights, e.g. turnover=40,bad_debt=30,"
                                                          "collection=30.")
        parser.add_argument("--year", type=int, default=None, help="Budgets of this year (default this year).")
        parser.add_argument("--format", default="table", choices=["table", "csv", "json", "xlsx"])
        parser.add_argument("--output", default="", help="Write to this file instead of standard output.")

    def handle(self, *args, action: str, **options):
        try:
            header, rows, payload = getattr(self, f"_{action}")(**options)
        except ArmsError as error:
            raise CommandError(f"{error.field or ''}: {error.message}".lstrip(": ")) from None
        ok = payload.pop("_ok", True) if isinstance(payload, dict) else True
        self._emit(options["format"], options["output"], action, header, rows, payload)
        if not ok:
            sys.stdout.flush()
            raise CommandError("the open items and the 1122 journal do not agree")

    # ------------------------------------------------------------ actions: (header, rows, json payload)

    def _aging(self, *, as_of, basis, buckets, group_by, items, bucket, currency, salesperson, collector,
               customer, **_options):
        as_of = as_of or timezone.localdate()
        filters = AgingFilters(customer_id=customer, salesperson_id=salesperson, collector_id=collector,
                               currency=currency.upper())
        if items:
            qs = aging_invoices(as_of=as_of, basis=basis, buckets=buckets or None, filters=filters, bucket=bucket)
            header, rows = _parts(exports.aging_invoices_table(
                qs, as_of=as_of, report_buckets=resolve_buckets(basis=basis, buckets=buckets or None)))
            return header, rows, [dict(zip(_labels(header), row, strict=True)) for row in rows]
        report = aging_report(as_of=as_of, basis=basis, buckets=buckets or None, group_by=group_by, filters=filters)
        header, rows = _parts(exports.aging_table(report))

        return header, rows, aging_out(report)

    def _scope(self, salesperson, collector, customer) -> KpiScope:
        return KpiScope(salesperson_id=salesperson, collector_id=collector, customer_id=customer)

    def _kpis(self, *, start, end, salesperson, collector, customer, **_options):
        if start is None or end is None:
            raise CommandError("--start and --end are required")
        values = kpi_values(start=start, end=end, scope=self._scope(salesperson, collector, customer))
        header, rows = _parts(exports.kpi_table(values))
        return header, rows, {"start": start, "end": end, "kpis": [v.as_dict() for v in values.values()]}

    def _trend(self, *, months, end_month, salesperson, collector, customer, **_options):
        trend = kpi_trend(months=months, end_month=end_month or timezone.localdate(),
                          scope=self._scope(salesperson, collector, customer))
        header, rows = _parts(exports.trend_table(trend, KPI_CODES, LABELS, UNITS))
        return header, rows, trend

    def _team(self, *, start, end, weights, **_options):
        if start is None or end is None:
            raise CommandError("--start and --end are required")
        rows = team_performance(start=start, end=end, weights=parse_weights(weights))
        header, table = _parts(exports.team_table(rows))
        return header, table, [dict(zip(_labels(header), row, strict=True)) for row in table]

    def _budgets(self, *, year, **_options):
        year = year or timezone.localdate().year
        actuals = budget_actuals(budget_list(period_from=date(year, 1, 1), period_to=date(year, 12, 31)))
        header, rows = _parts(exports.budget_table(actuals))
        return header, rows, [dict(zip(_labels(header), row, strict=True)) for row in rows]

    def _tie(self, *, as_of, **_options):
        as_of = as_of or timezone.localdate()
        fast = open_totals_as_of(as_of)
        slow = open_totals_as_of(as_of, reconstructed=True)
        journal = journal_receivables_as_of(as_of)
        currencies = sorted(set(fast) | set(slow) | set(journal))
        header = ["currency", "open_minor", "open_reconstructed_minor", "open_cny_fen", "journal_1122_cny_fen", "ok"]
        rows, ok = [], True
        for cur in currencies:
            a, b = fast.get(cur, {"open": 0, "base": 0}), slow.get(cur, {"open": 0, "base": 0})
            same = a == b and a["base"] == journal.get(cur, 0)
            ok = ok and same
            rows.append([cur, a["open"], b["open"], a["base"], journal.get(cur, 0), same])
        return header, rows, {"as_of": as_of, "ok": ok, "_ok": ok,
                              "currencies": [dict(zip(header, row, strict=True)) for row in rows]}

    # ------------------------------------------------------------ output

    def _emit(self, fmt: str, output: str, action: str, header, rows, payload) -> None:
        columns = [c if isinstance(c, Column) else Column(str(c)) for c in header]
        if fmt == "xlsx":
            if not output:
                raise CommandError("--format xlsx needs --output FILE.xlsx")
            with xlsx_file(Table(action, columns, rows)) as workbook, open(output, "wb") as handle:
                handle.write(workbook.read())
            self.stderr.write(f"wrote {output}")
            return
        if fmt == "json":
            text = json.dumps(payload, default=str, ensure_ascii=False, indent=1)
        elif fmt == "csv":
            text = b"".join(csv_lines(Table(action, columns, rows), bom=False)).decode("utf-8")
        else:
            text = _table(_labels(columns), rows)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            self.stderr.write(f"wrote {output}")
        else:
            self.stdout.write(text)


def _parts(table: Table) -> tuple[list[Column], list[list]]:
    """A table's columns and every row (its totals last), for the terminal, a file or JSON."""
    return list(table.columns), [*table.rows, *table.footer]


def _labels(columns) -> list[str]:
    return [str(c.label) if isinstance(c, Column) else str(c) for c in columns]


def _table(header, rows) -> str:
    cells = [[str(h) for h in header]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(value + " " * (widths[i] - _width(value)) for i, value in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)
