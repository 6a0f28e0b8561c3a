"""Real threads against PostgreSQL: many simultaneous starts of one kind and key make one job, and every
caller gets that job (the conditional unique constraint decides; the losers read the winner's row)."""

from __future__ import annotations

import pytest

from arms.common.jobs import job_start
from arms.common.models import Job
from tests import factories
from tests.common.conftest import ECHO
from tests.conftest import postgres_available
from tests.ledger.concurrency import race

pytestmark = [
    pytest.mark.skipif(not postgres_available(), reason="row-lock concurrency needs PostgreSQL: set DATABASE_URL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_simultaneous_starts_of_one_key_make_one_job(echo, monkeypatch):
    from arms.common import jobs

    monkeypatch.setattr(jobs, "_enqueue", lambda job_id: None)  # this test is about starting, not running
    user = factories.user("starter-pg", role="finance_clerk")

    results = race([lambda: job_start(kind=ECHO, params={"n": 1}, actor=user, dedupe_key="2026-10")] * 16)

    assert all(isinstance(r, tuple) for r in results), results
    assert len({job.pk for job, _created in results}) == 1
    assert sorted(created for _job, created in results) == [False] * 15 + [True]
    assert Job.objects.count() == 1 and Job.objects.get().status == "queued"


def test_simultaneous_api_starts_of_a_days_dunning_run_make_one_job(monkeypatch):
    from datetime import date

    from arms.common import jobs
    from arms.dunning.jobs import run_job_start

    monkeypatch.setattr(jobs, "_enqueue", lambda job_id: None)
    manager = factories.user("fm-pg", role="finance_manager")

    results = race([lambda: run_job_start(as_of=date(2026, 3, 15), trigger="api", actor=manager)] * 32)

    assert all(isinstance(r, tuple) for r in results), results
    assert len({job.pk for job, _created in results}) == 1 and Job.objects.count() == 1
