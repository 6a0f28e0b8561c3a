"""What ``arms bench --also analytics`` times on the loaded ledger: the aging summary as of today and as of a
past month-end, for every grouping the first page as the web page and the API read it (the totals, the count of
groups and the first 50 rows), by customer and by salesperson every row, and by customer the whole summary
written to an Excel workbook as the export does; the drill-down's first page, the KPI set of last month and its
回收率 and 催收成功率 queries alone (for the company, and by salesperson / collector), and, once, the tie-out of
the open items against the 1122 journal on the past month-end."""

from __future__ import annotations

from datetime import date, timedelta

from arms.analytics.aging import GROUP_BY, aging_invoices, aging_report
from arms.analytics.exports import aging_table
from arms.analytics.kpis import kpi_values
from arms.analytics.recovery import dunning_parts, recovery_parts
from arms.analytics.selectors import journal_receivables_as_of, open_totals_as_of
from arms.bench.measure import summary_ms, timed
from arms.web.exports import xlsx_file

PAGE = 50


def _past_month_end(today: date, months: int = 3) -> date:
    day = today.replace(day=1) - timedelta(days=1)
    for _n in range(months - 1):
        day = day.replace(day=1) - timedelta(days=1)
    return day


def bench_measure(*, today: date, seed: int, repeat: int) -> dict:
    past = _past_month_end(today)
    last_month_end = today.replace(day=1) - timedelta(days=1)
    result: dict = {"as_of_today": str(today), "as_of_past_month_end": str(past)}

    def aging(as_of: date, group_by: str):
        return lambda: aging_report(as_of=as_of, group_by=group_by)

    def first_page(as_of: date, group_by: str):
        def read():
            report = aging_report(as_of=as_of, group_by=group_by)
            return len(report.rows), list(report.rows[:PAGE]), report.totals
        return read

    for day, when in ((today, "today"), (past, "past_month_end")):
        for group_by in GROUP_BY:
            seconds, (count, _page, totals) = timed(first_page(day, group_by), repeat)
            result[f"aging_first_page_{when}_by_{group_by}"] = {
                **summary_ms(seconds), "rows": count, "open_items": sum(t.count for t in totals)}

    def every_row(as_of: date, group_by: str):
        return lambda: list(aging_report(as_of=as_of, group_by=group_by).rows)

    for name, function in [
        ("aging_today_by_customer", every_row(today, "customer")),
        ("aging_past_month_end_by_customer", every_row(past, "customer")),
        ("aging_today_by_salesperson", every_row(today, "salesperson")),
        ("aging_past_month_end_by_salesperson", every_row(past, "salesperson")),
    ]:
        seconds, rows = timed(function, repeat)
        result[name] = {**summary_ms(seconds), "rows": len(rows)}

    def workbook(as_of: date):
        def write():
            # as the export view makes it: the totals summed from the rows written
            with xlsx_file(aging_table(aging_report(as_of=as_of, group_by="customer", totals=False))) as output:
                return output.seek(0, 2)
        return write

    for day, when in ((today, "today"), (past, "past_month_end")):
        seconds, size = timed(workbook(day), repeat)
        result[f"aging_xlsx_{when}_by_customer"] = {**summary_ms(seconds), "bytes": size}
    def drill():
        return list(aging_invoices(as_of=past, bucket=5)[:50])

    seconds, page = timed(drill, repeat)
    result["aging_drill_first_page"] = {**summary_ms(seconds), "items": len(page)}
    last_month = {"start": last_month_end.replace(day=1), "end": last_month_end}
    seconds, _values = timed(lambda: kpi_values(**last_month), repeat)
    result["kpi_set_last_month"] = summary_ms(seconds)
    for name, function in [
        ("recovery_rate_last_month", lambda: recovery_parts(**last_month)),
        ("dunning_success_last_month", lambda: dunning_parts(**last_month)),
        ("recovery_rate_last_month_by_salesperson", lambda: recovery_parts(**last_month, group_by="salesperson")),
        ("dunning_success_last_month_by_collector", lambda: dunning_parts(**last_month, group_by="collector")),
    ]:
        seconds, parts = timed(function, repeat)
        result[name] = {**summary_ms(seconds), "groups": len(parts)}
    def totals_and_journal():
        return open_totals_as_of(past), journal_receivables_as_of(past)

    seconds, (totals, journal) = timed(totals_and_journal, 1)
    result["tie_out_past_month_end"] = {
        "open_items_and_journal_ms": round(seconds[0] * 1000, 3),
        "ok": {cur: t["base"] for cur, t in totals.items()} == journal,
    }
    return result
