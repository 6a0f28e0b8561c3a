"""The monthly report's two layouts: a PDF (WeasyPrint, from ``reports/monthly_pdf.html``) and an XLSX workbook.

Both draw from one ``MonthlyReport``, so the numbers in the PDF, the workbook and the dashboard agree.
"""

from __future__ import annotations

from arms.common.pdf import render_pdf
from arms.reports.selectors.monthly import MonthlyReport
from arms.reports.tables import Column, Table, workbook_bytes


def monthly_pdf(report: MonthlyReport) -> bytes:
    return render_pdf("reports/monthly_pdf.html", {"report": report})


def monthly_xlsx(report: MonthlyReport) -> bytes:
    """One sheet per part (summary, aging, KPI trend, top risks, team), tables one below the other."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    cover = Table("cover", _("Monthly management report"), [Column("item", _("Item")), Column("value", _("Value"))], [
        [_("Company"), report.company],
        [_("Month"), f"{report.month:%Y-%m}"],
        [_("Figures as of"), report.as_of.isoformat()],
        [_("Generated at"), report.generated_at.strftime("%Y-%m-%d %H:%M")],
    ])
    sheets = report.sheets()
    if sheets:
        sheets[0] = (sheets[0][0], [cover, *sheets[0][1]])
    else:
        sheets = [(pgettext("report sheet", "Summary"), [cover])]
    return workbook_bytes(sheets)
