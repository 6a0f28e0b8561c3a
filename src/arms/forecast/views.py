"""Pages of the cash-in forecast at /forecast/: the latest forecast (chart with its band, tables by bucket, by
source and by currency, Excel/CSV), the run button, the stored forecasts and their measured accuracy. Each view
checks the permission, calls one selector or starts the run job, renders."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arms.common.errors import NotFound
from arms.common.jobs import jobs_for_page
from arms.customers.selectors import company_default
from arms.domain.money import format_amount
from arms.forecast import exports, selectors
from arms.forecast.forms import RunForm
from arms.forecast.jobs import RUN, run_job_start
from arms.forecast.models import Forecast
from arms.prediction.enums import method_label
from arms.web.charts import Series, line_chart
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW = "forecast.view_forecast"


def _company():
    company = company_default()
    if company is None:
        raise Http404("no company")
    return company


def _granularity(request) -> str:
    value = request.GET.get("granularity", "week")
    return value if value in selectors.GRANULARITIES else "week"


def _yuan(minor) -> str:
    return format_amount(int(minor))


def _chart(forecast: Forecast, lines: list):
    labels = [f"{line.start:%m-%d}" if forecast.granularity == "week" else f"{line.start:%Y-%m}" for line in lines]
    wan = Decimal(1_000_000)  # the axis reads in 万元

    def in_wan(minor: int) -> Decimal:
        return (Decimal(minor) / wan).quantize(Decimal("0.01"))

    return line_chart(
        title=_("Expected cash-in (10,000 CNY)"), chart_id="forecast-chart", labels=labels,
        series=[Series(_("Expected"), [in_wan(line.expected_minor) for line in lines])],
        band=(Series(_("Low"), [in_wan(line.low_minor) for line in lines]),
              Series(_("High"), [in_wan(line.high_minor) for line in lines])),
        desc=_("Expected cash-in per period with its band"), value_format=lambda v: f"{v:,}")


def _forecast_page(request, forecast: Forecast | None, *, tab: str, form: RunForm | None = None, status: int = 200):
    context: dict = {"tab": tab, "forecast": forecast, "granularity": forecast.granularity if forecast else
                     _granularity(request)}
    if forecast is not None:
        lines = list(selectors.forecast_lines(forecast))
        context.update({
            "lines": lines, "chart": _chart(forecast, lines), "currencies": selectors.forecast_currencies(forecast),
            "currency_lines": list(selectors.forecast_currency_lines(forecast)),
            "sources": {name: sum(getattr(line, name) for line in lines) for name in (
                "from_open_items_minor", "from_promises_minor", "from_plans_minor", "from_new_sales_minor")},
            "methods": [(method_label(name), count) for name, count in sorted(forecast.methods.items())]})
    if request.user.has_perm("forecast.add_forecast"):
        context["form"] = form or RunForm(initial={"as_of": timezone.localdate(),
                                                   "granularity": context["granularity"]})
        context["jobs"] = jobs_for_page(user=request.user, kind=RUN, limit=3)
    return render(request, "forecast/home.html", context, status=status)


def _export_name(forecast: Forecast) -> str:
    return f"cash-in-forecast-{forecast.as_of:%Y%m%d}-{forecast.granularity}"


def _export_table(forecast: Forecast):
    return exports.forecast_table(forecast, selectors.forecast_lines(forecast),
                                  selectors.forecast_currency_lines(forecast))


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def home(request):
    forecast = selectors.forecast_latest(company=_company(), granularity=_granularity(request))
    if forecast is not None and export_format(request):
        return export_response(request, _export_name(forecast), _export_table(forecast))
    return _forecast_page(request, forecast, tab="latest")


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def detail(request, forecast_id: int):
    try:
        forecast = selectors.forecast_get(company=_company(), forecast_id=forecast_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if export_format(request):
        return export_response(request, _export_name(forecast), _export_table(forecast))
    return _forecast_page(request, forecast, tab="list")


@require_POST
@login_required
@permission_required("forecast.add_forecast", raise_exception=True)
def run(request):
    form = RunForm(request.POST)

    def start(data):
        periods = selectors.forecast_input_check(as_of=data["as_of"], granularity=data["granularity"],
                                                 periods=data["periods"])
        return run_job_start(company=_company(), as_of=data["as_of"], granularity=data["granularity"],
                             periods=periods, include_new_sales=data["include_new_sales"], actor=request.user)[0]

    if form.run_service(start):
        messages.info(request, _("The forecast is being computed; it appears here when it is done."))
        return redirect(f"{reverse('forecast:home')}?granularity={form.cleaned_data['granularity']}")
    forecast = selectors.forecast_latest(company=_company(), granularity=form.data.get("granularity") or "week")
    return _forecast_page(request, forecast, tab="latest", form=form, status=400)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def forecast_list(request):
    forecasts = selectors.forecast_list(company=_company())
    if export_format(request):
        return export_response(request, f"cash-in-forecasts-{timezone.localdate():%Y%m%d}",
                               exports.forecast_list_table(forecasts))
    return render(request, "forecast/list.html", {"tab": "list", "page": paginate(request, forecasts)})


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def accuracy(request):
    granularity = _granularity(request)
    report = selectors.forecast_accuracy(company=_company(), today=timezone.localdate(), granularity=granularity)
    if export_format(request):
        return export_response(request, f"forecast-accuracy-{granularity}-{timezone.localdate():%Y%m%d}",
                               exports.accuracy_table(report))
    return render(request, "forecast/accuracy.html", {
        "tab": "accuracy", "granularity": granularity, "report": report, "page": paginate(request, report.rows)})
