"""Pages of analytics: aging with an htmx drill-down, KPIs with their monthly trend (inline SVG), team
performance, budgets. Each view parses its form, checks permission, calls one selector or service and renders;
``?export=xlsx`` or ``?export=csv`` returns the table shown as a file. Sales staff see their own customers only
(every selector takes ``user``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from arms.analytics import exports, services
from arms.analytics.aging import aging_invoices, aging_report, bucket_label, resolve_buckets
from arms.analytics.budgets import budget_actuals, budget_list
from arms.analytics.forms import AgingForm, BudgetForm, KpiForm, TeamForm
from arms.analytics.kpis import LABELS, UNITS, KpiScope, kpi_trend, kpi_values
from arms.analytics.team import team_performance
from arms.common.errors import ArmsError
from arms.web import charts
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW = "analytics.view_analytics"
TREND_MONTHS = 12
TREND_CODES = ["dso", "best_possible_dso", "overdue_ratio", "cei", "recovery_rate", "dunning_success_rate",
               "collection_rate", "receivables_closing", "collections", "credit_sales"]
CHART_CODES = ["dso", "best_possible_dso", "overdue_ratio", "cei", "recovery_rate", "dunning_success_rate"]


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def index(request):
    return redirect("analytics:aging")


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def aging(request):
    form = AgingForm(request.GET, user=request.user)
    report = None
    if form.is_valid():
        try:
            # an export streams every row and sums the totals from them; the page reads them with its first rows
            report = aging_report(**form.arguments(), user=request.user, totals=not export_format(request))
        except ArmsError as error:
            form.add_service_error(error)
    if report is not None and export_format(request):
        return export_response(request, f"aging-{report.as_of:%Y%m%d}-{report.group_by}", exports.aging_table(report))
    query = request.GET.copy()
    for key in ("page", "per_page", "export"):
        query.pop(key, None)
    context = {"form": form, "report": report, "query": query.urlencode(),
               "page": paginate(request, report.rows) if report is not None else None,
               "labels": [bucket_label(b) for b in report.buckets] if report else []}
    template = "analytics/aging.html#results" if request.htmx else "analytics/aging.html"
    return render(request, template, context, status=200 if report is not None else 400)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def aging_drill(request):
    """The open items of one group and (optionally) one bucket: a partial for htmx, a page otherwise."""
    form = AgingForm(request.GET, user=request.user)
    if not form.is_valid():
        raise Http404(_("Invalid filters."))
    arguments = form.arguments()
    bucket = request.GET.get("bucket", "")
    try:
        bucket_list = resolve_buckets(basis=arguments["basis"], buckets=arguments["buckets"])
        items = aging_invoices(
            as_of=arguments["as_of"], basis=arguments["basis"], buckets=arguments["buckets"],
            filters=arguments["filters"], user=request.user,
            group_by=arguments["group_by"] if "key" in request.GET else "",
            key=request.GET.get("key", ""), bucket=int(bucket) if bucket.isdigit() else None,
        )
    except ArmsError as error:
        raise Http404(error.message) from None
    if export_format(request):
        table = exports.aging_invoices_table(items, as_of=arguments["as_of"], report_buckets=bucket_list)
        return export_response(request, f"aging-items-{arguments['as_of']:%Y%m%d}", table)
    page = paginate(request, items)
    rows = [(inv, (arguments["as_of"] - inv.due_date).days, bucket_label(bucket_list[inv.bucket]))
            for inv in page]
    context = {"rows": rows, "page": page, "as_of": arguments["as_of"], "title": request.GET.get("title", "")}
    template = "analytics/aging_items.html#items" if request.htmx else "analytics/aging_items.html"
    return render(request, template, context)


def trend_chart(trend: list[dict], code: str) -> charts.Chart:
    """One KPI over the months as a line (a month without a value breaks the line), drawn by the shared charts."""
    return charts.line_chart(
        title=str(LABELS[code]), chart_id=f"kpi-trend-{code}", labels=[f"{row['month']:%Y-%m}" for row in trend],
        series=[charts.Series(str(LABELS[code]), [None if row[code] is None else Decimal(row[code]) for row in trend])],
        width=560, height=220,
    )


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def kpis(request):
    form = KpiForm(request.GET, user=request.user)
    context: dict = {"form": form, "query": request.GET.urlencode()}
    status = 400
    if form.is_valid():
        start, end = form.period()
        scope = KpiScope(**form.scope_arguments(), user=request.user)
        try:
            values = kpi_values(start=start, end=end, scope=scope)
            trend = kpi_trend(months=TREND_MONTHS, end_month=end, scope=scope, codes=TREND_CODES)
        except ArmsError as error:
            form.add_service_error(error)
        else:
            if export_format(request) and request.GET.get("table") == "trend":
                return export_response(request, f"kpi-trend-{end:%Y%m}",
                                       exports.trend_table(trend, TREND_CODES, LABELS, UNITS))
            if export_format(request):
                return export_response(request, f"kpis-{start:%Y%m%d}-{end:%Y%m%d}", exports.kpi_table(values))
            status = 200
            context.update({
                "start": start, "end": end, "values": values, "trend": trend, "trend_codes": TREND_CODES,
                "labels": LABELS, "units": UNITS, "charts": [trend_chart(trend, code) for code in CHART_CODES],
            })
    template = "analytics/kpis.html#results" if request.htmx else "analytics/kpis.html"
    return render(request, template, context, status=status)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
@permission_required("analytics.view_team_performance", raise_exception=True)
def team(request):
    form = TeamForm(request.GET)
    context: dict = {"form": form, "query": request.GET.urlencode()}
    status = 400
    if form.is_valid():
        start, end = form.period()
        try:
            rows = team_performance(start=start, end=end, weights=form.weights(), user=request.user)
        except ArmsError as error:
            form.add_service_error(error)
        else:
            if export_format(request):
                return export_response(request, f"team-{start:%Y%m%d}-{end:%Y%m%d}", exports.team_table(rows))
            status = 200
            context.update({"start": start, "end": end, "rows": rows,
                            "salespeople": paginate(request, [r for r in rows if r.role == "salesperson"],
                                                    param="sales_page"),
                            "collectors": paginate(request, [r for r in rows if r.role == "collector"],
                                                   param="collectors_page")})
    template = "analytics/team.html#results" if request.htmx else "analytics/team.html"
    return render(request, template, context, status=status)


def _budget_year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 1900), 2999)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("analytics.view_budget", raise_exception=True)
def budgets(request):
    """This year's budgets with actual vs target; the finance manager adds budgets from the same page."""
    year = _budget_year(request)
    can_edit = request.user.has_perm("analytics.add_budget")
    form = BudgetForm(initial={"month": f"{timezone.localdate():%Y-%m}", "scope": "company"})
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise Http404
        form = BudgetForm(request.POST)
        if form.run_service(lambda data: services.budget_create(
                actor=request.user, period=data["month"], scope=data["scope"],
                user_id=int(data["person"]) if data.get("person") else None, **form.targets())):
            budget = form.result
            messages.success(request, _("Budget for %(month)s saved.") % {"month": f"{budget.period:%Y-%m}"})
            url = reverse("analytics:budgets") + f"?year={budget.period.year}"
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        status = 400
        if request.htmx:
            return render(request, "analytics/budgets.html#budget_form", {"form": form, "can_edit": True},
                          status=status)
    qs = budget_list(user=request.user, period_from=date(year, 1, 1), period_to=date(year, 12, 31))
    if export_format(request):
        return export_response(request, f"budgets-{year}", exports.budget_table(
            budget_actuals(qs.iterator(), user=request.user)))
    page = paginate(request, qs)
    return render(request, "analytics/budgets.html", {
        "form": form, "page": page, "actuals": budget_actuals(page, user=request.user),
        "year": year, "can_edit": can_edit,
        "can_change": request.user.has_perm("analytics.change_budget"),
        "can_delete": request.user.has_perm("analytics.delete_budget"),
    }, status=status)


def _visible_budget(request, budget_id: int):
    budget = budget_list(user=request.user).filter(pk=budget_id).first()
    if budget is None:
        raise Http404(_("Budget not found."))
    return budget


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("analytics.change_budget", raise_exception=True)
def budget_edit(request, budget_id: int):
    budget = _visible_budget(request, budget_id)
    form = BudgetForm(request.POST or None, editing=True, initial=BudgetForm.initial_for(budget))
    if request.method == "POST" and form.run_service(
            lambda data: services.budget_update(actor=request.user, budget=budget, **form.targets())):
        messages.success(request, _("Budget for %(month)s saved.") % {"month": f"{budget.period:%Y-%m}"})
        return redirect(reverse("analytics:budgets") + f"?year={budget.period.year}")
    return render(request, "analytics/budget_edit.html", {"form": form, "budget": budget},
                  status=400 if request.method == "POST" else 200)


@require_POST
@login_required
@permission_required("analytics.delete_budget", raise_exception=True)
def budget_delete(request, budget_id: int):
    budget = _visible_budget(request, budget_id)
    services.budget_delete(actor=request.user, budget=budget)
    messages.success(request, _("Budget deleted."))
    return redirect(reverse("analytics:budgets") + f"?year={budget.period.year}")

