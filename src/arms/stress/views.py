"""Pages of stress tests at /stress/: the scenarios (exportable), a scenario with its runs and the form to run it,
the scenario form, a run's results (a chart of base against stressed cash-in and cash position, tables, Excel and
PDF), the runs, the cost of overdue (per customer, collector or salesperson; exportable) and the settings.
Each view checks the permission, calls one selector or service, renders."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from arms.accounts.names import person_name
from arms.common.errors import NotFound
from arms.common.files import file_response
from arms.common.jobs import jobs_for_page
from arms.customers.selectors import company_default
from arms.domain.money import to_decimal
from arms.domain.stress import scenario_check
from arms.stress import exports, selectors, services
from arms.stress.documents import file_stem, render_run_pdf
from arms.stress.forms import CostForm, RunForm, ScenarioForm, SettingsForm
from arms.stress.jobs import RUN, run_job_start
from arms.stress.models import Scenario, ScenarioRun
from arms.web import charts
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW = "stress.view_scenario"
VIEW_RUNS = "stress.view_scenariorun"
ADD = "stress.add_scenario"
CHANGE = "stress.change_scenario"
DELETE = "stress.delete_scenario"
RUN_PERMISSION = "stress.run_scenario"
SETTINGS = "stress.change_stresssettings"


def _company():
    company = company_default()
    if company is None:
        raise Http404("no company")
    return company


def _scenario(scenario_id: int) -> Scenario:
    try:
        return selectors.scenario_get(company=_company(), scenario_id=scenario_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _run(run_id: int) -> ScenarioRun:
    try:
        return selectors.run_get(company=_company(), run_id=run_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _describe(scenario: Scenario) -> str:
    return services.shocks_text(scenario.parameters())


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def home(request):
    company = _company()
    if not selectors.scenario_list(company=company).exists():
        services.standard_scenario_ensure(company=company)  # the built-in one is there from the first visit
    scenarios = selectors.scenario_list(company=company)
    if export_format(request):
        return export_response(request, f"stress-scenarios-{timezone.localdate():%Y%m%d}",
                               exports.scenario_table(scenarios, _describe))
    page = paginate(request, scenarios)
    rows = [(scenario, _describe(scenario)) for scenario in page.object_list]
    return render(request, "stress/home.html", {"tab": "scenarios", "page": page, "rows": rows,
                                                "jobs": jobs_for_page(user=request.user, kind=RUN, limit=3)})


def _scenario_form_page(request, form: ScenarioForm, *, scenario: Scenario | None, status: int = 200):
    return render(request, "stress/scenario_form.html", {"tab": "scenarios", "form": form, "scenario": scenario},
                  status=status)


def _save_scenario(request, form: ScenarioForm, scenario: Scenario | None):
    def save(data):
        if scenario is None:
            return services.scenario_create(actor=request.user, company=_company(), name=data["name"],
                                            description=data.get("description") or "", parameters=form.parameters(),
                                            is_standard=bool(data.get("is_standard")))
        return services.scenario_update(actor=request.user, scenario=scenario, name=data["name"],
                                        description=data.get("description") or "", parameters=form.parameters(),
                                        is_standard=bool(data.get("is_standard")))

    if form.run_service(save):
        messages.success(request, _("The scenario was saved."))
        return redirect("stress:scenario", form.result.pk)
    return _scenario_form_page(request, form, scenario=scenario, status=400)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(ADD, raise_exception=True)
def scenario_new(request):
    if request.method == "POST":
        return _save_scenario(request, ScenarioForm(request.POST), None)
    return _scenario_form_page(request, ScenarioForm(initial={"slip_days": 60, "slip_share": "10"}), scenario=None)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(CHANGE, raise_exception=True)
def scenario_edit(request, scenario_id: int):
    scenario = _scenario(scenario_id)
    if request.method == "POST":
        return _save_scenario(request, ScenarioForm(request.POST), scenario)
    return _scenario_form_page(request, ScenarioForm(initial=ScenarioForm.initial_for(scenario)), scenario=scenario)


@require_POST
@login_required
@permission_required(DELETE, raise_exception=True)
def scenario_delete(request, scenario_id: int):
    services.scenario_delete(actor=request.user, scenario=_scenario(scenario_id))
    messages.success(request, _("The scenario was deleted; its runs are kept."))
    return redirect("stress:home")


def _scenario_page(request, scenario: Scenario, *, form: RunForm | None = None, status: int = 200):
    runs = selectors.run_list(company=_company(), scenario_id=scenario.pk)
    return render(request, "stress/scenario.html", {
        "tab": "scenarios", "scenario": scenario, "shocks": _describe(scenario), "page": paginate(request, runs),
        "form": form or RunForm(initial={"as_of": timezone.localdate()}),
        "can_run": request.user.has_perm(RUN_PERMISSION),
        "jobs": jobs_for_page(user=request.user, kind=RUN, limit=3)}, status=status)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def scenario(request, scenario_id: int):
    return _scenario_page(request, _scenario(scenario_id))


@require_POST
@login_required
@permission_required(RUN_PERMISSION, raise_exception=True)
def scenario_run(request, scenario_id: int):
    """Run now on a small book; on a large one hand it to the queue and show its progress on the scenario page."""
    found = _scenario(scenario_id)
    form = RunForm(request.POST)
    if services.run_is_large(company=_company()) and form.is_valid():
        _job, created = run_job_start(scenario=found, as_of=form.cleaned_data["as_of"], actor=request.user)
        messages.info(request, _("The scenario is being run in the background.") if created
                      else _("This scenario is already being run."))
        return redirect("stress:scenario", found.pk)
    if form.run_service(lambda data: services.scenario_run(actor=request.user, scenario=found, as_of=data["as_of"])):
        return redirect("stress:run", form.result.pk)
    return _scenario_page(request, found, form=form, status=400)


@require_GET
@login_required
@permission_required(VIEW_RUNS, raise_exception=True)
def runs(request):
    found = selectors.run_list(company=_company())
    if export_format(request):
        return export_response(request, f"stress-runs-{timezone.localdate():%Y%m%d}", exports.run_list_table(found))
    return render(request, "stress/runs.html", {"tab": "runs", "page": paginate(request, found)})


def _yuan(minor) -> Decimal:
    return to_decimal(int(minor))


def run_charts(run: ScenarioRun) -> list[charts.Chart]:
    weeks = run.results["weeks"]
    labels = [w["label"] for w in weeks]
    cash_in = charts.line_chart(
        title=_("Cash-in per week"), chart_id=f"stress-cash-in-{run.pk}", labels=labels,
        series=[charts.Series(_("Base"), [_yuan(w["base_minor"]) for w in weeks]),
                charts.Series(_("Stressed"), [_yuan(w["stressed_minor"]) for w in weeks])],
        width=560, height=240)
    position = charts.line_chart(
        title=_("Cash position at the end of each week"), chart_id=f"stress-position-{run.pk}", labels=labels,
        series=[charts.Series(_("Base"), [_yuan(w["base_position_minor"]) for w in weeks]),
                charts.Series(_("Stressed"), [_yuan(w["stressed_position_minor"]) for w in weeks])],
        width=560, height=240)
    return [cash_in, position]


def _shocks_of(run: ScenarioRun) -> str:
    return services.shocks_text(scenario_check(run.inputs["scenario"]))


@require_GET
@login_required
@permission_required(VIEW_RUNS, raise_exception=True)
def run(request, run_id: int):
    found = _run(run_id)
    if export_format(request):
        return export_response(request, file_stem(found), exports.run_result_table(found))
    results = found.results
    return render(request, "stress/run.html", {
        "tab": "runs", "run": found, "results": results, "summary": exports.summary_rows(results),
        "charts": run_charts(found), "shocks": _shocks_of(found), "by": person_name(found.created_by),
        "recommendations": services.recommendation_texts(results),
        "bands": list(zip(results["allowance_bands"], results["base"]["allowance_by_band"],
                          results["stressed"]["allowance_by_band"], strict=True))})


@require_GET
@login_required
@permission_required(VIEW_RUNS, raise_exception=True)
def run_pdf(request, run_id: int) -> HttpResponse:
    found = _run(run_id)
    content = render_run_pdf(found, shocks=_shocks_of(found))
    return file_response(content, filename=f"{file_stem(found)}.pdf", content_type="application/pdf")


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def cost(request):
    company = _company()
    form = CostForm(request.GET or None)
    as_of, by = timezone.localdate(), "customer"
    if form.is_bound and form.is_valid():
        as_of = form.cleaned_data.get("as_of") or as_of
        by = form.cleaned_data.get("by") or by
    rate = services.stress_settings_for(company).financing_rate_bp
    rows = selectors.overdue_cost(company=company, as_of=as_of, rate_bp=rate, group_by=by)
    group_label = dict(form.fields["by"].choices)[by]
    if export_format(request):
        labels = (selectors.customer_labels_all(company=company) if by == "customer"
                  else _labels(by, [row.key for row in rows]))
        return export_response(request, f"cost-of-overdue-{as_of:%Y%m%d}", exports.cost_table(
            rows, labels=lambda key: labels.get(key, ("", _("Nobody assigned"))), group_label=str(group_label),
            as_of=as_of, rate_bp=rate))
    page = paginate(request, rows)
    labels = _labels(by, [row.key for row in page.object_list])
    shown = [(row, " ".join(filter(None, labels.get(row.key, ("", _("Nobody assigned"))))))
             for row in page.object_list]
    return render(request, "stress/cost.html", {
        "tab": "cost", "form": form, "page": page, "rows": shown, "as_of": as_of, "by": by, "rate": rate,
        "group_label": group_label, "total": sum(row.cost_minor for row in rows),
        "overdue": sum(row.overdue_minor for row in rows), "query": request.GET.urlencode()})


def _labels(by: str, keys: list[int | None]) -> dict[int | None, tuple[str, str]]:
    """(code, name) of the customers, ("", name) of the people a page or an export shows."""
    ids = [key for key in keys if key is not None]
    if by == "customer":
        return dict(selectors.customer_labels(ids))
    return {pk: ("", name) for pk, name in selectors.people_labels(ids).items()}


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(VIEW, raise_exception=True)
def settings_view(request):
    company = _company()
    current = services.stress_settings_for(company)
    can_change = request.user.has_perm(SETTINGS)
    initial = {"opening_cash": f"{to_decimal(current.opening_cash_minor):f}",
               "weekly_outflow": f"{to_decimal(current.weekly_outflow_minor):f}",
               "financing_rate": f"{Decimal(current.financing_rate_bp) / 100:f}",
               "concentration_limit": f"{Decimal(current.concentration_limit_bp) / 100:f}"}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied

        def save(data):
            return services.stress_settings_update(
                actor=request.user, company=company, opening_cash_minor=data["opening_cash"],
                weekly_outflow_minor=data["weekly_outflow"], financing_rate_bp=data["financing_rate"],
                concentration_limit_bp=data["concentration_limit"])

        if form.run_service(save):
            messages.success(request, _("The stress-test settings were saved."))
            return redirect("stress:settings")
        return render(request, "stress/settings.html", {"tab": "settings", "form": form, "settings": current,
                                                        "can_change": can_change}, status=400)
    return render(request, "stress/settings.html", {"tab": "settings", "form": form, "settings": current,
                                                    "can_change": can_change})
