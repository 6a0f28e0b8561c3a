"""The demo trains a small model and predicts the open items; `arms bench --also prediction` reports what it
measured (never asserting a time)."""

from __future__ import annotations

import pytest

from arms.prediction.bench import bench_measure
from arms.prediction.demo import seed_demo
from arms.prediction.models import ModelVersion, PaymentPrediction
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_demo_trains_once_and_predicts(book, today):
    assert seed_demo(today=today, seed=1) == {"prediction models": 1, "payment predictions": 4}
    assert seed_demo(today=today, seed=1) == {"prediction models": 0}
    assert ModelVersion.objects.count() == 1 and PaymentPrediction.objects.count() == 4


def test_bench_measures_training_refresh_and_outlook(book, today):
    result = bench_measure(today=today, seed=1, repeat=2)
    assert result["open_items_predicted"] == result["outlook_rows"] == 4
    assert result["training_rows"] > 20 and result["outlook"]


def test_bench_on_a_book_too_small_to_train(db, today):
    f.invoice(f.customer(), issued=today)
    result = bench_measure(today=today, seed=1, repeat=1)
    assert result["train_refused"] and result["outlook_rows"] == 1
