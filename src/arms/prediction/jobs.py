"""Background jobs of prediction (``arms.common.jobs``), registered in ``PredictionConfig.ready``.

- ``prediction.train``: train a model version on the settled history (backtest, fit, store, activate), then
  refresh the predictions of every open item with it. One at a time (the dedupe key).
- ``prediction.refresh``: predict every open item with the active model and store the dates (daily, and after
  a version is activated). One at a time.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.prediction.services import model_train, predictions_refresh

TRAIN = "prediction.train"
REFRESH = "prediction.refresh"
PERMISSION = "prediction.view_modelversion"


def train_job_start(*, actor: Any, window_months: int | None = None) -> tuple[Any, bool]:
    params = {"window_months": window_months} if window_months else {}
    return job_start(kind=TRAIN, params=params, actor=actor, dedupe_key="train")


def refresh_job_start(*, actor: Any) -> tuple[Any, bool]:
    return job_start(kind=REFRESH, params={}, actor=actor, dedupe_key="refresh")


def train_job(job, progress) -> JobResult:
    message = gettext_noop("Training the payment prediction model")
    progress(0, None, message)
    kwargs = {"window_months": int(job.params["window_months"])} if job.params.get("window_months") else {}
    version = model_train(actor=job.started_by, progress=lambda done, total: progress(done, total, message),
                          **kwargs)
    refreshing = gettext_noop("Predicting the open items")
    refreshed = predictions_refresh(actor=job.started_by,
                                    progress=lambda done, total: progress(done, total, refreshing))
    return JobResult(url=f"/prediction/models/{version.pk}/", api_url=f"/api/v1/prediction/models/{version.pk}",
                     label=gettext_noop("Model version %(version)s"),
                     data={"version": version.version, "predicted": refreshed.predicted})


def refresh_job(job, progress) -> JobResult:
    message = gettext_noop("Predicting the open items")
    progress(0, None, message)
    refreshed = predictions_refresh(actor=job.started_by,
                                    progress=lambda done, total: progress(done, total, message))
    return JobResult(url="/prediction/items/", api_url="/api/v1/prediction/invoices",
                     label=gettext_noop("%(predicted)s open items predicted"),
                     data={"version": refreshed.version, "predicted": refreshed.predicted})


def register_jobs() -> None:
    register(JobKind(TRAIN, gettext_lazy("Payment prediction training"), PERMISSION, train_job))
    register(JobKind(REFRESH, gettext_lazy("Payment prediction refresh"), PERMISSION, refresh_job))
