"""Training and the refresh as background jobs (what the page, the API and the schedule start): the weekly task
queues a training, which trains, activates and predicts; the nightly task queues a refresh once a model exists."""

from __future__ import annotations

import pytest

from arms.common.jobs import job_run
from arms.common.models import Job
from arms.prediction.models import ModelVersion, PaymentPrediction
from arms.prediction.tasks import prediction_daily_refresh, prediction_weekly_train

pytestmark = pytest.mark.django_db


def test_the_schedule_trains_weekly_and_refreshes_nightly(book):
    assert prediction_daily_refresh.call_local() is None  # nothing to refresh with yet
    job = Job.objects.get(pk=prediction_weekly_train.call_local())
    assert job.kind == "prediction.train"
    assert job_run(job.pk) == "done"
    job.refresh_from_db()
    assert job.result_data["version"] == 1 and job.result_data["predicted"] == 4
    assert ModelVersion.objects.get().status == "active" and PaymentPrediction.objects.count() == 4

    refresh = Job.objects.get(pk=prediction_daily_refresh.call_local())
    assert refresh.kind == "prediction.refresh" and job_run(refresh.pk) == "done"


def test_a_training_without_enough_history_fails_with_the_reason(db):
    job = Job.objects.get(pk=prediction_weekly_train.call_local())
    assert job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error and ModelVersion.objects.count() == 0
