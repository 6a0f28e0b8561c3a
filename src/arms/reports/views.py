"""Pages of the dashboard and the monthly management report.

The dashboard (/reports/) shows each role its panels for an as-of day (today unless ``?as_of=`` names one; the
date field reloads the panels by htmx). Every table on it downloads as Excel or CSV
(/reports/export/<panel>.xlsx|csv, built for the viewer alone). /reports/monthly/ lists the stored monthly
reports, makes a new one on demand (a background job the page shows while it runs) and downloads them.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from arms.common.errors import ArmsError
from arms.common.jobs import job_active_get, jobs_for_page
from arms.reports import schedule
from arms.reports.api import file_response
from arms.reports.jobs import MONTHLY, monthly_job_key, monthly_job_start
from arms.reports.models import ReportFormat, ReportKind, ReportRun, ReportTrigger
from arms.reports.selectors.dashboard import dashboard_panel, dashboard_panels
from arms.reports.tables import export_table
from arms.web.exports import DATETIME, INT, Column, Table, export_format, export_response
from arms.web.paging import paginate
from arms.web.templatetags.arms_web import person


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
    return export_response(fmt, f"arms-{panel.table.key}-{as_of:%Y%m%d}", export_table(panel.table))


@require_GET
@login_required
@permission_required("reports.view_reportrun", raise_exception=True)
def monthly_list(request):
    """The stored reports, the form to make one (in the background) and the reports being made."""
    runs = (ReportRun.objects.filter(kind=ReportKind.MONTHLY).select_related("generated_by").defer("content")
            .order_by("-period", "-generated_at", "-pk"))
    if export_format(request):
        return export_response(request, f"monthly-reports-{timezone.localdate():%Y%m%d}", _run_table(runs))
    page = paginate(request, runs)
    last_month = schedule.previous_month(schedule.month_start(timezone.localdate()))
    month = request.GET.get("month", "")[:7] or f"{last_month:%Y-%m}"
    fmt = request.GET.get("format", "") if request.GET.get("format") in ReportFormat.values else ReportFormat.PDF
    email = request.GET.get("email") == "on"
    return render(request, "reports/monthly.html", {
        "page": page, "default_month": month, "format": fmt, "email": email, "formats": ReportFormat.choices,
        "can_generate": request.user.has_perm("reports.generate_report"),
        "jobs": jobs_for_page(user=request.user, kind=MONTHLY),
        "busy": job_active_get(kind=MONTHLY, dedupe_key=monthly_job_key(month=month, fmt=fmt, email=email)),
    })


def _run_table(runs) -> Table:
    """The stored monthly reports as a list (what was made, when, by whom, for whom), not their content."""
    columns = [Column(_("Month"), width=10), Column(_("Format")), Column(_("Generated at"), DATETIME),
               Column(pgettext("report made by", "By")), Column(_("E-mailed to"), width=40), Column(_("File")),
               Column(_("Size (bytes)"), INT), Column("SHA-256", width=66)]
    rows = ([f"{run.period:%Y-%m}", run.get_format_display(), run.generated_at,
             person(run.generated_by) if run.generated_by_id else run.get_trigger_display(),
             ", ".join(run.emailed_to or []), run.filename, run.size_bytes, run.sha256]
            for run in runs.iterator(chunk_size=500))
    return Table(_("Monthly management reports"), columns, rows)


@require_POST
@login_required
@permission_required("reports.generate_report", raise_exception=True)
def monthly_generate(request):
    """Queue the report; the monthly page shows its progress and, once made, the link to the file."""
    fmt = request.POST.get("format", ReportFormat.PDF)
    email = request.POST.get("email") == "on"
    try:
        job, created = monthly_job_start(month=request.POST.get("month", ""), fmt=fmt, email=email,
                                         trigger=ReportTrigger.WEB, actor=request.user)
    except ArmsError as error:
        messages.error(request, error.message)
        return redirect(reverse("reports:monthly"))
    if created:
        messages.info(request, _("The report for %(month)s is being made in the background; its progress is shown "
                                 "below.") % {"month": job.params["month"]})
    else:
        messages.info(request, _("This report is already being made; its progress is shown below."))
    query = urlencode({"month": job.params["month"], "format": job.params["format"], **({"email": "on"} if email
                                                                                          else {})})
    return redirect(f"{reverse('reports:monthly')}?{query}")


@require_GET
@login_required
@permission_required("reports.view_reportrun", raise_exception=True)
def run_download(request, run_id: int):
    return file_response(get_object_or_404(ReportRun, pk=run_id))
