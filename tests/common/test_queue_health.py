"""Queue health: consumers write heartbeats; a page with work waiting warns when none was seen for two minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from arms.common.jobs import job_start
from arms.common.models import Job, JobStatus, QueueHeartbeat
from arms.common.queue import consumer_name, heartbeat, queue_health
from tests import factories
from tests.common.conftest import ECHO

pytestmark = pytest.mark.django_db

WARNING = "The background task worker is not running."


@pytest.fixture
def waiting_job(echo):
    user = factories.user("clerk-q", role="finance_clerk")
    job, _created = job_start(kind=ECHO, actor=user)
    return job


def _job_page(client, job, **headers) -> str:
    client.force_login(job.started_by)
    return client.get(reverse("web:job", args=[job.pk]), headers=headers).content.decode()


def test_no_heartbeat_ever_means_no_consumer():
    health = queue_health()
    assert (health.last_seen, health.consumers, health.consumer_running) == (None, 0, False)


def test_a_fresh_heartbeat_means_a_consumer_and_a_stale_one_does_not():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        row = heartbeat(started=True)
        assert (row.consumer, row.seen_at, row.started_at) == (consumer_name(), start, start)
        assert queue_health().consumer_running and queue_health().consumers == 1
    with time_machine.travel(start + timedelta(minutes=1, seconds=59), tick=False):
        assert queue_health().consumer_running
    with time_machine.travel(start + timedelta(minutes=2, seconds=1), tick=False):
        health = queue_health()
        assert (health.consumer_running, health.consumers, health.minutes_since_seen) == (False, 0, 2)


def test_several_consumers_keep_one_row_each_and_the_latest_counts():
    now = timezone.now()
    QueueHeartbeat.objects.create(consumer="worker-a:11", seen_at=now - timedelta(minutes=30), started_at=now)
    QueueHeartbeat.objects.create(consumer="worker-b:12", seen_at=now - timedelta(seconds=20), started_at=now)
    health = queue_health(now=now)
    assert (health.last_seen, health.consumers, health.consumer_running) == (now - timedelta(seconds=20), 1, True)


def test_the_page_of_a_waiting_job_warns_when_the_heartbeat_is_stale(waiting_job, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        heartbeat()
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        body = _job_page(client, waiting_job)
    assert WARNING in body and "No worker has been seen for 5 minutes" in body
    assert "tell your system administrator" in body and "arms run_huey" not in body  # a clerk cannot start it


def test_an_administrator_is_told_the_command_that_starts_the_worker(echo, client):
    admin = factories.user("admin-q", role="admin")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    job, _created = job_start(kind=ECHO, actor=admin)
    body = _job_page(client, job)
    assert WARNING in body and "<code>arms run_huey</code>" in body


def test_the_warning_is_in_chinese_for_a_chinese_user(waiting_job, client):
    body = _job_page(client, waiting_job, **{"Accept-Language": "zh-hans"})
    assert "后台任务处理程序未运行" in body and "系统管理员" in body


def test_no_warning_when_a_consumer_was_seen_lately(waiting_job, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        heartbeat()
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        body = _job_page(client, waiting_job)
    assert WARNING not in body and "Waiting for the background worker" in body


def test_no_warning_when_nothing_waits(waiting_job, client):
    Job.objects.filter(pk=waiting_job.pk).update(status=JobStatus.DONE, finished_at=timezone.now())
    assert WARNING not in _job_page(client, waiting_job)


def test_the_heartbeat_task_and_the_start_hook_write_the_heartbeat(waiting_job):
    from arms.common.tasks import queue_consumer_started, queue_heartbeat

    long_ago = timezone.now() - timedelta(days=2)
    QueueHeartbeat.objects.create(consumer="gone:1", seen_at=long_ago, started_at=long_ago)
    queue_consumer_started()
    assert QueueHeartbeat.objects.get(consumer=consumer_name()).started_at is not None
    result = queue_heartbeat.call_local()
    assert result == {"swept": {"interrupted": 0, "abandoned": 0}, "forgotten": 1}
    assert list(QueueHeartbeat.objects.values_list("consumer", flat=True)) == [consumer_name()]
    assert queue_health().consumer_running
