"""REST API of the cash-in forecast (现金流预测), mounted at /api/v1/forecast.

    POST /runs                              compute and store a forecast {as_of, granularity, periods,
                                            include_new_sales}: 202 with the job (it reads the whole book)
    GET  /forecasts?granularity=            stored forecasts, newest first, paginated
    GET  /forecasts/{id}                    one forecast with its buckets (CNY, band, sources) and currency lines
    GET  /latest?granularity=week           the newest forecast of that granularity, with its buckets
    GET  /accuracy?granularity=week         the stored forecasts against the cash that came, per horizon

Reading needs ``forecast.view_forecast``; running ``forecast.add_forecast``.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.errors import NotFound
from arms.common.pagination import PageParams, paginate
from arms.customers.selectors import company_default
from arms.forecast import selectors
from arms.forecast.jobs import run_job_start
from arms.forecast.models import Forecast
from arms.forecast.schemas import (
    ForecastAccuracyOut,
    ForecastDetailOut,
    ForecastGranularityQuery,
    ForecastOut,
    ForecastPage,
    ForecastQuery,
    ForecastRunIn,
)

router = Router(tags=["forecast"])

VIEW = "forecast.view_forecast"


def _company():
    company = company_default()
    if company is None:
        raise NotFound(_("The company is not set up yet (arms setup)."), field="company")
    return company


def _detail(forecast: Forecast) -> dict:
    return {**ForecastOut.model_validate(forecast).model_dump(),
            "buckets": list(selectors.forecast_lines(forecast).values(
                "seq", "start", "end", "expected_minor", "low_minor", "high_minor", "from_open_items_minor",
                "from_promises_minor", "from_plans_minor", "from_new_sales_minor")),
            "by_currency": list(selectors.forecast_currency_lines(forecast).values(
                "seq", "start", "end", "currency", "expected_minor"))}


@router.post("/runs", response=ACCEPTED, summary="Compute and store a cash-in forecast (a background job)")
def run(request, payload: ForecastRunIn):
    """Bad input (granularity not week or month, periods out of range, a day out of bounds) is a 422 naming the
    field, and no job is started."""
    require_perm(request, "forecast.add_forecast")
    as_of = payload.as_of or timezone.localdate()
    periods = selectors.forecast_input_check(as_of=as_of, granularity=payload.granularity, periods=payload.periods)
    job, _created = run_job_start(company=_company(), as_of=as_of, granularity=payload.granularity, periods=periods,
                                  include_new_sales=payload.include_new_sales, actor=request.user)
    return job_accepted(request, job)


@router.get("/forecasts", response=ForecastPage, summary="Stored cash-in forecasts, newest first")
def forecasts(request, page: Query[PageParams], query: Query[ForecastQuery]):
    require_perm(request, VIEW)
    if query.granularity:
        selectors.forecast_input_check(as_of=timezone.localdate(), granularity=query.granularity, periods=None)
    return paginate(selectors.forecast_list(company=_company(), granularity=query.granularity),
                    limit=page.limit, offset=page.offset)


@router.get("/forecasts/{forecast_id}", response=ForecastDetailOut,
            summary="One forecast: its buckets in CNY with the band and sources, and per invoice currency")
def forecast_detail(request, forecast_id: int):
    require_perm(request, VIEW)
    return _detail(selectors.forecast_get(company=_company(), forecast_id=forecast_id))


@router.get("/latest", response=ForecastDetailOut, summary="The newest forecast of a granularity")
def latest(request, query: Query[ForecastGranularityQuery]):
    require_perm(request, VIEW)
    selectors.forecast_input_check(as_of=timezone.localdate(), granularity=query.granularity, periods=None)
    found = selectors.forecast_latest(company=_company(), granularity=query.granularity)
    if found is None:
        raise NotFound(_("No forecast has been made yet."), field="granularity")
    return _detail(found)


@router.get("/accuracy", response=ForecastAccuracyOut,
            summary="Stored forecasts against the cash applied since, per horizon (MAE, WAPE, bias)")
def accuracy(request, query: Query[ForecastGranularityQuery]):
    require_perm(request, VIEW)
    report = selectors.forecast_accuracy(company=_company(), today=timezone.localdate(),
                                         granularity=query.granularity)
    return {"granularity": report.granularity, "today": report.today, "horizons": report.horizons,
            "rows": [{**{name: getattr(row, name) for name in row.__slots__}, "error_minor": row.error_minor}
                     for row in report.rows]}
