"""REST API of stress tests (压力测试), mounted at /api/v1/stress.

    GET  /scenarios, POST /scenarios            the scenarios; save one (parameters checked, the field named)
    GET|PUT|DELETE /scenarios/{id}              one scenario; replace it; delete it (its runs stay)
    POST /scenarios/{id}/run                    run it {as_of} (201 with the run; 202 with a job on a large book)
    GET  /runs, /runs/{id}                      stored runs; one run with every figure
    GET  /runs/{id}/report?format=xlsx|csv|pdf  the run's report as a file
    GET  /cost-of-overdue?as_of=&by=            the financing cost of the overdue receivables, largest first
    GET|PUT /settings                           opening cash, weekly outflows, financing rate, concentration limit

Reading needs ``stress.view_scenario`` (runs ``stress.view_scenariorun``); saving ``add_scenario`` /
``change_scenario`` / ``delete_scenario``; running ``run_scenario``; settings ``change_stresssettings``.
"""

from __future__ import annotations

from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.errors import NotFound
from arms.common.files import file_response
from arms.common.pagination import PageParams, paginate
from arms.customers.selectors import company_default
from arms.domain.stress import scenario_check
from arms.stress import exports, selectors, services
from arms.stress.documents import file_stem, render_run_pdf
from arms.stress.jobs import run_job_start
from arms.stress.models import Scenario, ScenarioRun
from arms.stress.schemas import (
    StressCostPage,
    StressCostQuery,
    StressRunBrief,
    StressRunIn,
    StressRunOut,
    StressRunPage,
    StressScenarioIn,
    StressScenarioOut,
    StressScenarioPage,
    StressSettingsIn,
    StressSettingsOut,
)
from arms.web.exports import CSV_TYPE, XLSX_TYPE, csv_lines, xlsx_file

router = Router(tags=["stress"])

VIEW = "stress.view_scenario"
VIEW_RUNS = "stress.view_scenariorun"


class StressReportQuery(Schema):
    format: Literal["xlsx", "csv", "pdf"] = "xlsx"


def _company():
    company = company_default()
    if company is None:
        raise NotFound(_("The company is not set up yet (arms setup)."), field="company")
    return company


def _scenario_out(scenario: Scenario) -> dict:
    return {"id": scenario.pk, "name": scenario.name, "description": scenario.description,
            **scenario.parameters().as_data(), "is_standard": scenario.is_standard,
            "shocks": services.shocks_text(scenario.parameters()), "created_at": scenario.created_at,
            "updated_at": scenario.updated_at}


def _parameters(payload: StressScenarioIn) -> dict:
    """The shock parameters the request gave (a refusal names the one given, not a default)."""
    return {name: getattr(payload, name) for name in ("slip_share_bp", "slip_days", "default_top_n", "default_grade",
                                                      "migrate_grade", "fx_currency", "fx_move_bp")
            if name in payload.model_fields_set}


def _run_out(run: ScenarioRun) -> dict:
    return {"id": run.pk, "scenario_id": run.scenario_id, "scenario_name": run.scenario_name, "as_of": run.as_of,
            "stressed_minimum_minor": run.stressed_minimum_minor, "allowance_delta_minor": run.allowance_delta_minor,
            "created_at": run.created_at, "inputs": run.inputs, "results": run.results,
            "recommendations": services.recommendation_texts(run.results)}


@router.get("/scenarios", response=StressScenarioPage, summary="Stress scenarios, the standard one first")
def scenarios(request, page: Query[PageParams]):
    require_perm(request, VIEW)
    found = paginate(selectors.scenario_list(company=_company()), limit=page.limit, offset=page.offset)
    found["items"] = [_scenario_out(s) for s in found["items"]]
    return found


@router.post("/scenarios", response={201: StressScenarioOut}, summary="Save a scenario")
def scenario_create(request, payload: StressScenarioIn):
    require_perm(request, "stress.add_scenario")
    made = services.scenario_create(actor=request.user, company=_company(), name=payload.name,
                                    description=payload.description, parameters=_parameters(payload),
                                    is_standard=payload.is_standard)
    return Status(201, _scenario_out(made))


@router.get("/scenarios/{scenario_id}", response=StressScenarioOut, summary="One scenario")
def scenario_detail(request, scenario_id: int):
    require_perm(request, VIEW)
    return _scenario_out(selectors.scenario_get(company=_company(), scenario_id=scenario_id))


@router.put("/scenarios/{scenario_id}", response=StressScenarioOut, summary="Replace a scenario")
def scenario_update(request, scenario_id: int, payload: StressScenarioIn):
    require_perm(request, "stress.change_scenario")
    found = selectors.scenario_get(company=_company(), scenario_id=scenario_id)
    changed = services.scenario_update(actor=request.user, scenario=found, name=payload.name,
                                       description=payload.description, parameters=_parameters(payload),
                                       is_standard=payload.is_standard)
    return _scenario_out(changed)


@router.delete("/scenarios/{scenario_id}", response={204: None}, summary="Delete a scenario (its runs stay)")
def scenario_delete(request, scenario_id: int):
    require_perm(request, "stress.delete_scenario")
    services.scenario_delete(actor=request.user, scenario=selectors.scenario_get(company=_company(),
                                                                                 scenario_id=scenario_id))
    return Status(204, None)


@router.post("/scenarios/{scenario_id}/run", response={201: StressRunOut, **ACCEPTED},
             summary="Run a scenario as of a day")
def scenario_run(request, scenario_id: int, payload: StressRunIn):
    """On a book of more than 500 customers the run is a background job (202 with the job)."""
    require_perm(request, "stress.run_scenario")
    company = _company()
    found = selectors.scenario_get(company=company, scenario_id=scenario_id)
    as_of = payload.as_of or timezone.localdate()
    if services.run_is_large(company=company):
        job, _created = run_job_start(scenario=found, as_of=as_of, actor=request.user)
        return job_accepted(request, job)
    run = services.scenario_run(actor=request.user, scenario=found, as_of=as_of)
    return Status(201, _run_out(run))


@router.get("/runs", response=StressRunPage, summary="Stored scenario runs, newest first")
def runs(request, page: Query[PageParams]):
    require_perm(request, VIEW_RUNS)
    found = paginate(selectors.run_list(company=_company()), limit=page.limit, offset=page.offset)
    found["items"] = [StressRunBrief.model_validate(r) for r in found["items"]]
    return found


@router.get("/runs/{run_id}", response=StressRunOut, summary="One run with every figure")
def run_detail(request, run_id: int):
    require_perm(request, VIEW_RUNS)
    return _run_out(selectors.run_get(company=_company(), run_id=run_id))


@router.get("/runs/{run_id}/report", response={200: None}, summary="The run's report: xlsx, csv or pdf")
def run_report(request, run_id: int, query: Query[StressReportQuery]):
    require_perm(request, VIEW_RUNS)
    run = selectors.run_get(company=_company(), run_id=run_id)
    if query.format == "pdf":
        shocks = services.shocks_text(scenario_check(run.inputs["scenario"]))
        return file_response(render_run_pdf(run, shocks=shocks), filename=f"{file_stem(run)}.pdf",
                             content_type="application/pdf")
    table = exports.run_result_table(run)
    if query.format == "csv":
        return file_response(b"".join(csv_lines(table)), filename=f"{file_stem(run)}.csv", content_type=CSV_TYPE)
    return file_response(xlsx_file(table), filename=f"{file_stem(run)}.xlsx", content_type=XLSX_TYPE)


@router.get("/cost-of-overdue", response=StressCostPage,
            summary="The financing cost of the overdue receivables per customer, collector or salesperson")
def cost_of_overdue(request, query: Query[StressCostQuery]):
    require_perm(request, VIEW)
    company = _company()
    as_of = query.as_of or timezone.localdate()
    rate = services.stress_settings_for(company).financing_rate_bp
    rows = selectors.overdue_cost(company=company, as_of=as_of, rate_bp=rate, group_by=query.by)
    shown = rows[query.offset:query.offset + query.limit]
    ids = [row.key for row in shown if row.key is not None]
    if query.by == "customer":
        labels: dict[int | None, str] = {pk: f"{code} {name}"
                                         for pk, (code, name) in selectors.customer_labels(ids).items()}
    else:
        labels = selectors.people_labels(ids)
    return {"as_of": as_of, "by": query.by, "financing_rate_bp": rate,
            "total_overdue_minor": sum(r.overdue_minor for r in rows),
            "total_cost_minor": sum(r.cost_minor for r in rows),
            "count": len(rows), "limit": query.limit, "offset": query.offset,
            "items": [{"id": r.key, "label": labels.get(r.key, ""), "customers": r.customers,
                       "overdue_minor": r.overdue_minor, "average_days": r.average_days, "cost_minor": r.cost_minor}
                      for r in shown]}


@router.get("/settings", response=StressSettingsOut, summary="The stress-test settings")
def settings_get(request):
    require_perm(request, VIEW)
    return services.stress_settings_for(_company())


@router.put("/settings", response=StressSettingsOut, summary="Change the stress-test settings")
def settings_put(request, payload: StressSettingsIn):
    require_perm(request, "stress.change_stresssettings")
    return services.stress_settings_update(
        actor=request.user, company=_company(), opening_cash_minor=payload.opening_cash_minor,
        weekly_outflow_minor=payload.weekly_outflow_minor, financing_rate_bp=payload.financing_rate_bp,
        concentration_limit_bp=payload.concentration_limit_bp)
