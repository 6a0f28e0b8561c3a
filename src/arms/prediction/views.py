"""Pages of payment-date prediction at /prediction/: the active model with its measured error against the two
baselines (table and chart), the model versions (paginated, Excel/CSV), train now (a job); a version's page
(activate it); the open items with their predicted payment dates (paginated, Excel/CSV).
Each view checks the permission, calls one selector or service, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arms.common.errors import Conflict, NotFound
from arms.common.jobs import jobs_for_page
from arms.prediction import exports, selectors, services
from arms.prediction.enums import BacktestMethod
from arms.prediction.forms import TrainForm
from arms.prediction.jobs import REFRESH, TRAIN, refresh_job_start, train_job_start
from arms.web import charts
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW = "prediction.view_modelversion"


def _scores(version) -> list[dict]:
    """The backtest's rows with their labels, in the order model, customer average, due date."""
    labels = dict(BacktestMethod.choices)
    scores = {entry["method"]: entry for entry in (version.metrics or {}).get("scores", [])} if version else {}
    return [{**scores[code], "label": str(labels[code]), "within_7_pct": round(scores[code]["within_7"] * 100, 1)}
            for code in BacktestMethod.values if code in scores]


def _chart(scores: list[dict]):
    if not scores:
        return None
    return charts.horizontal_bars(
        title=_("Mean absolute error of the payment date (days)"), chart_id="chart-prediction-error",
        labels=[row["label"] for row in scores], values=[row["mae_days"] for row in scores],
        value_format=lambda value: _("%(days)s days") % {"days": value}, value_header=_("Days"))


def _home(request, *, form: TrainForm | None = None, status: int = 200):
    active = selectors.model_active()
    scores = _scores(active)
    return render(request, "prediction/home.html", {
        "active": active, "scores": scores, "chart": _chart(scores),
        "page": paginate(request, selectors.model_list()),
        "form": form or TrainForm(), "can_train": request.user.has_perm("prediction.add_modelversion"),
        "jobs": [*jobs_for_page(user=request.user, kind=TRAIN, limit=2),
                 *jobs_for_page(user=request.user, kind=REFRESH, limit=2)]}, status=status)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def home(request):
    if export_format(request):
        return export_response(request, f"prediction-models-{timezone.localdate():%Y%m%d}",
                               exports.version_table(selectors.model_list()))
    return _home(request)


@require_POST
@login_required
@permission_required("prediction.add_modelversion", raise_exception=True)
def train(request):
    form = TrainForm(request.POST)
    if form.run_service(lambda data: train_job_start(actor=request.user, window_months=data["window_months"])):
        messages.info(request, _("The model is being trained in the background; this page shows its progress."))
        return redirect("prediction:home")
    return _home(request, form=form, status=400)


def _version(version_id: int):
    try:
        return selectors.model_get(version_id=version_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def version(request, version_id: int):
    found = _version(version_id)
    scores = _scores(found)
    return render(request, "prediction/version.html", {
        "version": found, "scores": scores, "chart": _chart(scores),
        "coverage_pct": round((found.metrics or {}).get("coverage_p10_p90", 0) * 100, 1),
        "can_activate": request.user.has_perm("prediction.change_modelversion") and found.status != "active"})


@require_POST
@login_required
@permission_required("prediction.change_modelversion", raise_exception=True)
def activate(request, version_id: int):
    found = _version(version_id)
    try:
        services.model_activate(actor=request.user, version=found)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("prediction:version", found.pk)
    refresh_job_start(actor=request.user)
    messages.success(request, _("Version %(version)s now predicts; the open items are being predicted again.")
                     % {"version": found.version})
    return redirect("prediction:home")


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def items(request):
    today = timezone.localdate()
    open_items = selectors.open_items_visible(request.user).select_related("customer")
    if export_format(request):
        return export_response(request, f"payment-predictions-{today:%Y%m%d}",
                               exports.outlook_table(selectors.outlook_export_rows(open_items, as_of=today)))
    page = paginate(request, open_items)
    outlooks = selectors.payment_outlook(invoice_ids=[i.pk for i in page.object_list])
    for invoice in page.object_list:
        invoice.outlook = outlooks.get(invoice.pk)
    return render(request, "prediction/items.html", {"page": page, "today": today,
                                                     "active": selectors.model_active()})
