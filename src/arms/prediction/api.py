"""REST API of payment-date prediction, mounted at /api/v1/prediction.

    GET  /invoices                      open items with their predicted payment dates, paginated (?customer_id=)
    GET  /invoices/{id}                 one open invoice's P10/P50/P90, the method and its measured error
    GET  /models, /models/{id}          model versions: training window, rows, features, backtest metrics
    POST /models/train                  train a new version on the settled history (202 with a job)
    POST /models/{id}/activate          make a version the one that predicts (then the predictions are refreshed)
    GET  /backtest                      the active model's backtest against the two baselines

Predictions are read with ``prediction.view_paymentprediction`` (and the invoice visible), model versions with
``prediction.view_modelversion``; training needs ``add_modelversion``, activating ``change_modelversion``.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.errors import NotFound
from arms.common.pagination import PageParams, paginate
from arms.prediction import selectors, services
from arms.prediction.enums import method_label
from arms.prediction.jobs import refresh_job_start, train_job_start
from arms.prediction.schemas import (
    PredictionBacktestOut,
    PredictionModelOut,
    PredictionModelPage,
    PredictionOpenQuery,
    PredictionOutlookOut,
    PredictionOutlookPage,
    PredictionTrainIn,
)

router = Router(tags=["prediction"])

SEE = "prediction.view_paymentprediction"
VIEW = "prediction.view_modelversion"


def outlook_rows(*, user, invoices) -> list[dict]:
    """The page of open invoices (model instances or ids with numbers) with their outlook, in the page's order."""
    as_of = timezone.localdate()
    numbers = dict(invoices.values_list("pk", "number")) if hasattr(invoices, "values_list") else dict(invoices)
    found = selectors.invoice_outlook(invoice_ids=list(numbers), as_of=as_of)
    error = selectors.model_error()
    rows = []
    for pk in numbers:
        row = found.get(pk)
        if row is None:
            continue
        rows.append({"invoice_id": pk, "invoice_number": numbers[pk], "customer_id": row.customer_id,
                     "currency": row.currency, "open_minor": row.open_minor, "open_base_minor": row.open_base_minor,
                     "due_date": row.due_date, "p10": row.p10, "p50": row.p50, "p90": row.p90,
                     "method": row.method, "method_label": method_label(row.method),
                     "mae_days": error if row.method == "model" else None})
    return rows


@router.get("/invoices", response=PredictionOutlookPage, summary="Open items with their predicted payment dates")
def invoices(request, page: Query[PageParams], query: Query[PredictionOpenQuery]):
    require_perm(request, SEE)
    result = paginate(selectors.open_items_visible(request.user, customer_id=query.customer_id).values("pk", "number"),
                      limit=page.limit, offset=page.offset)
    result["items"] = outlook_rows(user=request.user, invoices=[(r["pk"], r["number"]) for r in result["items"]])
    return result


@router.get("/invoices/{int:invoice_id}", response=PredictionOutlookOut,
            summary="One open invoice's predicted payment dates (P10, P50, P90) and how they were predicted")
def invoice(request, invoice_id: int):
    require_perm(request, SEE)
    rows = outlook_rows(user=request.user, invoices=selectors.open_items_visible(request.user).filter(pk=invoice_id))
    if not rows:
        raise NotFound(_("No open invoice %(id)s that you may see.") % {"id": invoice_id}, field="invoice_id")
    return rows[0]


@router.get("/models", response=PredictionModelPage, summary="Model versions, newest first")
def models(request, page: Query[PageParams]):
    require_perm(request, VIEW)
    return paginate(selectors.model_list(), limit=page.limit, offset=page.offset)


@router.get("/models/{int:version_id}", response=PredictionModelOut, summary="One model version with its backtest")
def model(request, version_id: int):
    require_perm(request, VIEW)
    return selectors.model_get(version_id=version_id)


@router.post("/models/train", response=ACCEPTED,
             summary="Train a new model version on the settled history and predict the open items (a job)")
def train(request, payload: PredictionTrainIn):
    require_perm(request, "prediction.add_modelversion")
    job, _created = train_job_start(actor=request.user, window_months=payload.window_months)
    return job_accepted(request, job)


@router.post("/models/{int:version_id}/activate", response=PredictionModelOut,
             summary="Make a version the one that predicts; the open items are predicted again (a job)")
def activate(request, version_id: int):
    require_perm(request, "prediction.change_modelversion")
    version = services.model_activate(actor=request.user, version=selectors.model_get(version_id=version_id))
    refresh_job_start(actor=request.user)
    return version


@router.get("/backtest", response=PredictionBacktestOut,
            summary="The active model's time-split backtest against the due date and the customer's average")
def backtest(request):
    require_perm(request, VIEW)
    active = selectors.model_active()
    if active is None or not active.metrics.get("scores"):
        raise NotFound(_("No model has been trained yet."), field="version_id")
    return active.metrics
