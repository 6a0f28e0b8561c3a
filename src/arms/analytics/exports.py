"""Every analytics table as Excel (openpyxl) or CSV: headers, then rows of plain values.

Amounts go out as Decimals of major units (``to_decimal``), so a spreadsheet sums them exactly; CSV starts with
a byte-order mark so Excel on Chinese Windows reads it as UTF-8. The tables are built row by row from
generators; the aging drill-down streams its rows (``iterator``) rather than holding them in a list.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.analytics.aging import AgingReport, bucket_label
from arms.domain.money import BASE_CURRENCY, to_decimal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    def lines():
        buffer = StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            if buffer.tell() > 16_384:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, title: str, header: list[str], rows: Iterable[list]) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    def styled(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    sheet.append([styled(h) for h in header])
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_cell(value))
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(fmt: str, *, filename: str, title: str, header: list[str], rows: Iterable[list]):
    if fmt == "xlsx":
        return xlsx_response(filename, title, header, rows)
    return csv_response(filename, header, rows)


# ---------------------------------------------------------------- the tables


def aging_table(report: AgingReport) -> tuple[list[str], Iterable[list]]:
    header = [_("Group"), _("Key"), _("Currency"), _("Items"),
              *[bucket_label(b) for b in report.buckets], _("Disputed"), _("Total"), _("Total (CNY)")]

    def rows():
        for row in [*report.rows, *report.totals]:
            yield [row.label, row.key, row.currency, row.count,
                   *[to_decimal(v, row.currency) for v in row.buckets],
                   to_decimal(row.disputed_minor, row.currency), to_decimal(row.total_minor, row.currency),
                   to_decimal(row.base_total_minor, BASE_CURRENCY)]
        base = report.base_total
        yield [base.label, base.key, BASE_CURRENCY, base.count,
               *[to_decimal(v, BASE_CURRENCY) for v in base.buckets],
               to_decimal(base.disputed_minor, BASE_CURRENCY), to_decimal(base.total_minor, BASE_CURRENCY),
               to_decimal(base.total_minor, BASE_CURRENCY)]

    return header, rows()


def aging_invoices_table(queryset, *, as_of: date, report_buckets) -> tuple[list[str], Iterable[list]]:
    header = [_("Invoice"), _("Customer code"), _("Customer"), _("Issue date"), _("Due date"), _("Days overdue"),
              _("Bucket"), _("Currency"), _("Gross amount"), _("Open amount"), _("Open amount (CNY)")]
    labels = [bucket_label(b) for b in report_buckets]

    def rows():
        for inv in queryset.iterator(chunk_size=2000):
            yield [inv.number, inv.customer.code, inv.customer.name, inv.issue_date, inv.due_date,
                   (as_of - inv.due_date).days, labels[inv.bucket], inv.currency,
                   to_decimal(inv.gross_minor, inv.currency), to_decimal(inv.open_as_of, inv.currency),
                   to_decimal(inv.open_base_as_of, BASE_CURRENCY)]

    return header, rows()


def kpi_value_cell(kpi) -> object:
    if kpi.value is None:
        return None
    if kpi.unit == "amount":
        return to_decimal(kpi.value, BASE_CURRENCY)
    return kpi.value


def kpi_table(values: dict) -> tuple[list[str], Iterable[list]]:
    header = [_("KPI"), _("Code"), _("Value"), _("Unit")]
    units = {"amount": _("CNY"), "days": _("days"), "percent": "%", "times": _("times"), "count": _("items")}
    return header, ([str(k.label), k.code, kpi_value_cell(k), units.get(k.unit, k.unit)] for k in values.values())


def trend_table(trend: list[dict], codes: list[str], labels: dict, units: dict) -> tuple[list[str], Iterable[list]]:
    header = [_("Month"), *[str(labels[c]) for c in codes]]

    def cell(code, value):
        if value is None:
            return None
        return to_decimal(value, BASE_CURRENCY) if units[code] == "amount" else value

    return header, ([row["month"].strftime("%Y-%m"), *[cell(c, row[c]) for c in codes]] for row in trend)


def team_table(rows) -> tuple[list[str], Iterable[list]]:
    header = [_("Role"), _("Name"), _("Rank"), _("Score"), _("Turnover score"), _("Bad-debt score"),
              _("Collection score"), _("Customers"), _("Receivables at the end (CNY)"), _("Cash collected (CNY)"),
              _("Receivables turnover"), _("Bad-debt ratio (proxy) %"), _("Collection rate %"), _("DSO"),
              _("Overdue ratio %"), _("Fell overdue"), _("Followed up within 24 hours"), _("Follow-up rate %"),
              _("Activities"), _("Complete records"), _("Completeness %")]
    return header, ([
        r.role, r.name, r.rank, r.score, r.scores.get("turnover"), r.scores.get("bad_debt"),
        r.scores.get("collection"), r.customer_count, to_decimal(r.receivables_closing, BASE_CURRENCY),
        to_decimal(r.collections, BASE_CURRENCY), r.receivables_turnover, r.bad_debt_proxy, r.collection_rate,
        r.dso, r.overdue_ratio, r.fell_overdue, r.followed_up_24h, r.follow_up_rate, r.activities,
        r.complete_activities, r.completeness_rate,
    ] for r in rows)


def budget_table(actuals) -> tuple[list[str], Iterable[list]]:
    header = [_("Month"), _("Team"), _("Person"), _("Collections target (CNY)"), _("Cash collected (CNY)"),
              _("Achieved %"), _("DSO target"), _("DSO"), _("Overdue ratio target %"), _("Overdue ratio %"),
              _("Note")]

    def bp(value):
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))

    def money(value):
        return None if value is None else to_decimal(value, BASE_CURRENCY)

    return header, ([
        a.budget.period.strftime("%Y-%m"), a.budget.get_scope_display(),
        person_name(a.budget.user) if a.budget.user_id else "", money(a.budget.collections_target_minor),
        money(a.collections_minor), a.collections_achieved_pct, a.budget.dso_target_days, a.dso_days,
        bp(a.budget.overdue_ratio_target_bp), bp(a.overdue_ratio_bp), a.budget.note,
    ] for a in actuals)
