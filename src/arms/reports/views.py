"""Pages of the dashboard and the monthly management report.

The dashboard (/reports/) shows each role its panels for an as-of day (today unless ``?as_of=`` names one; the
date field reloads the panels by htmx). Every table on it downloads as Excel or CSV
(/reports/export/<panel>.xlsx|csv, built for the viewer alone). /reports/monthly/ lists the stored monthly
reports, makes a new one on demand and downloads them.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arms.common.errors import ArmsError
from arms.reports import schedule
from arms.reports.api import file_response
from arms.reports.dashboard import dashboard_panel, dashboard_panels
from arms.reports.models import ReportFormat, ReportKind, ReportRun, ReportTrigger
from arms.reports.services import report_generate
from arms.reports.tables import table_csv, table_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _as_of(request) -> tuple[date, str]:
    """The as-of day from ``?as_of=YYYY-MM-DD`` (today when absent); a bad or future day is an error text."""
    today = timezone.localdate()
    text = request.GET.get("as_of", "").strip()
    if not text:
        return today, ""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return today, _("'%(text)s' is not a date like 2026-10-31.") % {"text": text[:20]}
    if day > today or day.year < 1900:
        return today, _("The as-of date must not be after today.")
    return day, ""


@require_GET
@login_required
@permission_required("reports.view_dashboard", raise_exception=True)
def dashboard(request):
    as_of, error = _as_of(request)
    context = {"as_of": as_of, "today": timezone.localdate(), "error": error,
               "panels": dashboard_panels(user=request.user, as_of=as_of)}
    template = "reports/dashboard.html#body" if request.htmx else "reports/dashboard.html"
    return render(request, template, context, status=400 if error else 200)


@require_GET
@login_required
@permission_required("reports.view_dashboard", raise_exception=True)
def dashboard_export(request, key: str, fmt: str):
    """One dashboard table as Excel or CSV, built for this viewer and as-of day."""
    if fmt not in ("xlsx", "csv"):
        raise Http404("unknown format")
    as_of, error = _as_of(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    panel = dashboard_panel(user=request.user, key=key, as_of=as_of)
    if panel is None or panel.table is None:
        raise Http404("no such table")
    name = f"arms-{panel.table.key}-{as_of:%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(table_csv(panel.table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(panel.table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
@permission_required("reports.view_reportrun", raise_exception=True)
def monthly_list(request):
    runs = ReportRun.objects.filter(kind=ReportKind.MONTHLY).select_related("generated_by").defer("content")
    page = Paginator(runs.order_by("-period", "-generated_at", "-pk"), 25).get_page(request.GET.get("page"))
    last_month = schedule.previous_month(schedule.month_start(timezone.localdate()))
    return render(request, "reports/monthly.html", {
        "page": page, "default_month": f"{last_month:%Y-%m}", "formats": ReportFormat.choices,
        "can_generate": request.user.has_perm("reports.generate_report"),
    })


@require_POST
@login_required
@permission_required("reports.generate_report", raise_exception=True)
def monthly_generate(request):
    fmt = request.POST.get("format", ReportFormat.PDF)
    try:
        run = report_generate(month=request.POST.get("month", ""), fmt=fmt, trigger=ReportTrigger.WEB,
                              actor=request.user, email=request.POST.get("email") == "on")
    except ArmsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is ready.") % {"name": run.filename})
    return redirect(reverse("reports:monthly"))


@require_GET
@login_required
@permission_required("reports.view_reportrun", raise_exception=True)
def run_download(request, run_id: int):
    return file_response(get_object_or_404(ReportRun, pk=run_id))
