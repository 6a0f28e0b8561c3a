"""/api/v1/analytics: aging as of a day (summary and drill-down), KPIs and their monthly trend, team performance,
budgets with actual vs target.

Every read goes through the viewer's customer visibility: sales staff get figures for their own customers only.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from arms.analytics import budgets, services
from arms.analytics.aging import aging_invoices, aging_report
from arms.analytics.kpis import KPI_CODES, KpiScope, kpi_trend, kpi_values
from arms.analytics.models import Budget
from arms.analytics.schemas import (
    AgingDrillQuery,
    AgingInvoicePage,
    AgingOut,
    AgingPageParams,
    AgingQuery,
    BudgetFilters,
    BudgetIn,
    BudgetOut,
    BudgetPage,
    BudgetTargetsIn,
    KpiQuery,
    KpisOut,
    KpiTrendQuery,
    TeamQuery,
    TeamRowOut,
    aging_invoice_out,
    aging_out,
    budget_out,
    team_row_out,
)
from arms.analytics.team import parse_weights, team_performance
from arms.common.access import require_perm
from arms.common.errors import NotFound
from arms.common.pagination import PageParams, paginate

router = Router(tags=["analytics"])

VIEW = "analytics.view_analytics"


@router.get("/aging", response=AgingOut, summary="Aging (账龄) as of any day, summarised by a dimension")
def aging(request, query: Query[AgingQuery], page: Query[AgingPageParams]):
    require_perm(request, VIEW)
    report = aging_report(as_of=query.as_of or timezone.localdate(), basis=query.basis, buckets=query.buckets or None,
                          group_by=query.group_by, filters=query.filters(), user=request.user)
    return aging_out(report, limit=page.limit, offset=page.offset)


@router.get("/aging/invoices", response=AgingInvoicePage, summary="The open items behind an aging summary")
def aging_drill(request, query: Query[AgingDrillQuery], page: Query[PageParams]):
    require_perm(request, VIEW)
    as_of = query.as_of or timezone.localdate()
    qs = aging_invoices(as_of=as_of, basis=query.basis, buckets=query.buckets or None, filters=query.filters(),
                        user=request.user, group_by=query.group_by, key=query.key, bucket=query.bucket)
    result = paginate(qs, limit=page.limit, offset=page.offset)
    result["items"] = [aging_invoice_out(invoice, as_of) for invoice in result["items"]]
    return result


def _scope(request, query) -> KpiScope:
    return KpiScope(salesperson_id=query.salesperson_id, collector_id=query.collector_id,
                    customer_id=query.customer_id, user=request.user)


@router.get("/kpis", response=KpisOut, summary="Receivables KPIs of a period (amounts in CNY fen)")
def kpis(request, query: Query[KpiQuery]):
    require_perm(request, VIEW)
    values = kpi_values(start=query.start, end=query.end, scope=_scope(request, query))
    return {"start": query.start, "end": query.end, "kpis": [v.as_dict() for v in values.values()]}


@router.get("/kpis/trend", response=list[dict], summary="KPIs month by month, oldest first")
def kpis_trend(request, query: Query[KpiTrendQuery]):
    require_perm(request, VIEW)
    codes = [c.strip() for c in query.codes.split(",") if c.strip()] or KPI_CODES
    rows = kpi_trend(months=query.months, end_month=query.end_month or timezone.localdate(),
                     scope=_scope(request, query), codes=codes)
    return [{**row, **{code: (str(row[code]) if row[code] is not None and not isinstance(row[code], int)
                              else row[code]) for code in codes}} for row in rows]


@router.get("/team", response=list[TeamRowOut], summary="Team performance per salesperson and collector")
def team(request, query: Query[TeamQuery]):
    require_perm(request, VIEW, "analytics.view_team_performance")
    rows = team_performance(start=query.start, end=query.end, weights=parse_weights(query.weights),
                            user=request.user)
    return [team_row_out(row) for row in rows]


def _budget(request, budget_id: int) -> Budget:
    budget = budgets.budget_list(user=request.user).filter(pk=budget_id).first()
    if budget is None:
        raise NotFound(_("Budget %(id)s not found.") % {"id": budget_id}, field="budget_id")
    return budget


@router.get("/budgets", response=BudgetPage, summary="Budgets with the month's actuals")
def budget_list(request, filters: Query[BudgetFilters], page: Query[PageParams]):
    require_perm(request, "analytics.view_budget")
    qs = budgets.budget_list(user=request.user, **filters.model_dump())
    result = paginate(qs, limit=page.limit, offset=page.offset, max_limit=100)
    result["items"] = [budget_out(actual) for actual in budgets.budget_actuals(result["items"], user=request.user)]
    return result


@router.post("/budgets", response={201: BudgetOut}, summary="Set a month's targets for the company or a person")
def budget_create(request, payload: BudgetIn):
    require_perm(request, "analytics.add_budget")
    budget = services.budget_create(actor=request.user, **payload.model_dump())
    return Status(201, budget_out(budgets.budget_actual(budget, user=request.user)))


@router.get("/budgets/{budget_id}", response=BudgetOut, summary="One budget with actual vs target")
def budget_detail(request, budget_id: int):
    require_perm(request, "analytics.view_budget")
    return budget_out(budgets.budget_actual(_budget(request, budget_id), user=request.user))


@router.put("/budgets/{budget_id}", response=BudgetOut, summary="Replace a budget's targets")
def budget_update(request, budget_id: int, payload: BudgetTargetsIn):
    require_perm(request, "analytics.change_budget")
    budget = services.budget_update(actor=request.user, budget=_budget(request, budget_id),
                                    **payload.model_dump())
    return budget_out(budgets.budget_actual(budget, user=request.user))


@router.delete("/budgets/{budget_id}", response={204: None}, summary="Delete a budget")
def budget_delete(request, budget_id: int):
    require_perm(request, "analytics.delete_budget")
    services.budget_delete(actor=request.user, budget=_budget(request, budget_id))
    return Status(204, None)
