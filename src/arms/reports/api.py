"""/api/v1/reports: the monthly management report as PDF or XLSX, and the stored report runs.

    GET  /reports/monthly?month=2026-10&format=pdf   the month's stored report (none yet: 202, the job making it)
    POST /reports/monthly {"month", "format", "email"} make a new one (202, the job; Location: /api/v1/jobs/{id})
    GET  /reports/runs?month=&format=                  stored runs, newest first
    GET  /reports/runs/{id}/file                       one stored file
    GET  /reports/dashboard?as_of=2026-10-31           the viewer's dashboard panels as data

Reading stored reports needs ``reports.view_reportrun``; making one needs ``reports.generate_report``.
The management report covers every customer, so salespeople (who see only their own) cannot read it.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from arms.common import files
from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.errors import ErrorCode, NotFound, ValidationFailed
from arms.common.pagination import paginate
from arms.reports.jobs import monthly_job_start
from arms.reports.models import CONTENT_TYPES, ReportFormat, ReportKind, ReportRun, ReportTrigger
from arms.reports.schemas import (
    DashboardOut,
    DashboardQuery,
    MonthlyIn,
    MonthlyQuery,
    ReportRunPage,
    RunFilters,
)
from arms.reports.selectors.dashboard import dashboard_panels
from arms.reports.services import report_format_check, report_latest, report_month_check

router = Router(tags=["Dashboard and management reports"])


def file_response(run: ReportRun) -> HttpResponse:
    return files.file_response(run.content, filename=run.filename, content_type=CONTENT_TYPES[ReportFormat(run.format)],
                               sha256=run.sha256)


@router.get("/monthly", response={200: None, **ACCEPTED}, summary="Download the monthly management report",
            openapi_extra={"responses": {200: {"content": {"application/pdf": {}, CONTENT_TYPES["xlsx"]: {}}}}})
def monthly_download(request, query: Query[MonthlyQuery]):
    """The stored file (200). None stored yet (or ``fresh``): a user who may make reports gets 202 with the job
    that makes it (``Location``: poll it, then ask again); anyone else 404 ``not_generated``."""
    require_perm(request, "reports.view_reportrun")
    month = report_month_check(query.month)
    fmt = report_format_check(query.format)
    run = None if query.fresh else report_latest(month=month, fmt=fmt)
    if run is None:
        if not request.user.has_perm("reports.generate_report"):
            raise NotFound(_("No report is stored for %(month)s yet.") % {"month": f"{month:%Y-%m}"},
                           field="month", code=ErrorCode.NOT_GENERATED)
        job, _created = monthly_job_start(month=month, fmt=fmt, email=False, trigger=ReportTrigger.API,
                                          actor=request.user)
        return job_accepted(request, job)
    return file_response(run)


@router.post("/monthly", response=ACCEPTED, summary="Make the monthly management report (a background job)")
def monthly_generate(request, payload: MonthlyIn):
    """202 with the job that makes the report and ``Location: /api/v1/jobs/{id}``; the job's
    ``result_data.report_run_id`` and ``result_api_url`` name the stored run once it is done. Asked again while
    the same month, format and e-mail choice is being made, it answers with that job."""
    require_perm(request, "reports.generate_report")
    job, _created = monthly_job_start(month=payload.month, fmt=payload.format, email=payload.email,
                                      trigger=ReportTrigger.API, actor=request.user)
    return job_accepted(request, job)


@router.get("/runs", response=ReportRunPage, summary="Stored report runs, newest first")
def run_list(request, filters: Query[RunFilters]):
    require_perm(request, "reports.view_reportrun")
    qs = ReportRun.objects.filter(kind=ReportKind.MONTHLY).select_related("generated_by").defer("content")
    if filters.month:
        qs = qs.filter(period=report_month_check(filters.month))
    if filters.format:
        qs = qs.filter(format=report_format_check(filters.format))
    return paginate(qs.order_by("-period", "-generated_at", "-pk"), limit=filters.limit, offset=filters.offset)


@router.get("/runs/{run_id}/file", response={200: None}, summary="Download a stored report run")
def run_file(request, run_id: int):
    require_perm(request, "reports.view_reportrun")
    run = ReportRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("Report run %(id)s not found.") % {"id": run_id}, field="run_id")
    return file_response(run)


@router.get("/dashboard", response=DashboardOut, summary="The viewer's dashboard as data")
def dashboard(request, query: Query[DashboardQuery]):
    """Each panel the viewer's roles see (the same as /reports/), with its tiles and its table: money as integer
    minor units, for the customers the viewer may see."""
    require_perm(request, "reports.view_dashboard")
    today = timezone.localdate()
    as_of = query.as_of or today
    if as_of > today or as_of.year < 1900:
        raise ValidationFailed(_("The as-of date must not be after today."), field="as_of")
    panels = []
    for panel in dashboard_panels(user=request.user, as_of=as_of):
        table = panel.table
        columns = table.columns if table else []
        panels.append({
            "key": panel.key, "title": str(panel.title),
            "tiles": [{"key": t.key, "label": str(t.label), "value": t.value, "note": t.note} for t in panel.tiles],
            "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in columns],
            "rows": [*(table.rows if table else []), *([table.footer] if table and table.footer else [])],
            "export_xlsx": f"/reports/export/{panel.key}.xlsx?as_of={as_of:%Y-%m-%d}",
            "export_csv": f"/reports/export/{panel.key}.csv?as_of={as_of:%Y-%m-%d}",
        })
    return {"as_of": as_of, "panels": panels}
