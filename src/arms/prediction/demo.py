"""Demo data of payment-date prediction, after the ledger and the collections are loaded: a small model trained on
the demo's settled history (its backtest against the two simple methods recorded with it) and the predicted
payment dates of every open item. Kept to a few seconds (few boosting iterations). Safe to run twice: a model
already trained is kept."""

from __future__ import annotations

from datetime import date

from arms.common.errors import ArmsError
from arms.prediction.models import ModelVersion
from arms.prediction.services import model_train, predictions_refresh

DEMO_MAX_ITER = 40


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    if ModelVersion.objects.exists():
        return {"prediction models": 0}
    try:
        model_train(actor=None, as_of=today, max_iter=DEMO_MAX_ITER)
    except ArmsError:  # a tiny demo without enough settled history: the baseline predicts
        return {"prediction models": 0}
    refreshed = predictions_refresh(actor=None, as_of=today)
    return {"prediction models": 1, "payment predictions": refreshed.predicted}
