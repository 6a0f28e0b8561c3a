"""Background jobs (arms.common.jobs): their life (queued -> running -> done or failed), deduplication, who may
see them, the status partial the pages poll and the API's 202 convention."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from arms.common.errors import ValidationFailed
from arms.common.jobs import MAX_PARAMS_BYTES, job_run, job_start, jobs_sweep
from arms.common.models import Job, JobStatus
from tests import factories
from tests.api.conftest import Api
from tests.common.conftest import ECHO

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_user(db):
    return factories.user("clerk-j", role="finance_clerk")


def test_a_job_is_queued_after_commit_then_runs_with_progress_to_done(echo, clerk_user,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job, created = job_start(kind=ECHO, params={"steps": 3, "file": "aging.csv"}, actor=clerk_user)
    assert created and len(callbacks) == 1  # handed to the queue only once the transaction commits
    job.refresh_from_db()
    assert (job.status, job.started_by, job.language, echo.calls) == ("queued", clerk_user, "en", 0)

    callbacks[0]()  # the queue (immediate in the tests) runs it

    assert echo.seen == [("start", "running"), ("running", 0, 3, {"number": 1, "total": 3}),
                         ("running", 1, 3, {"number": 2, "total": 3}), ("running", 2, 3, {"number": 3, "total": 3})]
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total, job.percent) == ("done", 3, 3, 100)
    assert job.started_at <= job.finished_at and job.error == "" and job.worker
    assert (job.result_url, job.result_data) == ("/reports/monthly/", {"filename": "aging.csv", "steps": 3})
    assert job.result_content_type == "text/csv; charset=utf-8"
    assert job.result_file.read() == b"\xef\xbb\xbfa,b\n1,2\n"


def test_a_refusal_is_kept_as_its_message_and_code(echo, clerk_user):
    job, _created = job_start(kind=ECHO, params={"refuse": True}, actor=clerk_user)
    assert job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.error, job.error_code) == ("failed", "The month must be between 01 and 12.", "invalid")
    assert job.finished_at is not None and not job.result_file


def test_a_crash_tells_the_user_which_job_not_the_traceback(echo, clerk_user, caplog):
    job, _created = job_start(kind=ECHO, params={"crash": True}, actor=clerk_user)
    with caplog.at_level(logging.ERROR, logger="arms.common.jobs"):
        job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", "internal")
    assert "hunter2" not in job.error and "Traceback" not in job.error and "RuntimeError" not in job.error
    assert f"job {job.pk}" in job.error
    assert "hunter2" in caplog.text  # the details are in the log, for the administrators


def test_a_job_runs_once_even_if_the_queue_hands_it_out_twice(echo, clerk_user):
    job, _created = job_start(kind=ECHO, params={"steps": 1}, actor=clerk_user)
    assert job_run(job.pk) == "done"
    assert job_run(job.pk) == "done"
    assert echo.calls == 1


def test_starting_the_same_kind_and_key_again_returns_the_running_job(echo, clerk_user):
    other = factories.user("fm-j", role="finance_manager")
    first, created = job_start(kind=ECHO, params={"steps": 1}, actor=clerk_user, dedupe_key="2026-10")
    again, created_again = job_start(kind=ECHO, params={"steps": 1}, actor=other, dedupe_key="2026-10")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Job.objects.count() == 1
    another_key, created_other = job_start(kind=ECHO, params={}, actor=clerk_user, dedupe_key="2026-11")
    assert created_other and another_key.pk != first.pk

    job_run(first.pk)  # once it is done, the key is free again
    later, created_later = job_start(kind=ECHO, params={}, actor=clerk_user, dedupe_key="2026-10")
    assert created_later and later.pk not in (first.pk, another_key.pk)


def test_the_database_refuses_two_active_jobs_with_one_key(echo, clerk_user):
    from django.db import IntegrityError, transaction

    job_start(kind=ECHO, actor=clerk_user, dedupe_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=ECHO, dedupe_key="k", status=JobStatus.RUNNING)
    assert Job.objects.count() == 1


def test_bad_starts_are_refused_and_write_nothing(echo, clerk_user):
    with pytest.raises(ValidationFailed) as unknown:
        job_start(kind="tests.nothing", actor=clerk_user)
    with pytest.raises(ValidationFailed) as too_big:
        job_start(kind=ECHO, params={"ids": list(range(MAX_PARAMS_BYTES))}, actor=clerk_user)
    with pytest.raises(ValidationFailed) as not_a_dict:
        job_start(kind=ECHO, params=["2026-10"], actor=clerk_user)
    assert (unknown.value.field, too_big.value.field, not_a_dict.value.field) == ("kind", "params", "params")
    assert Job.objects.count() == 0


def test_jobs_whose_consumer_died_or_never_came_are_given_up(echo, clerk_user):
    now = timezone.now()
    stuck, _c = job_start(kind=ECHO, actor=clerk_user, dedupe_key="a")
    Job.objects.filter(pk=stuck.pk).update(status=JobStatus.RUNNING, updated_at=now - timedelta(minutes=31))
    busy, _c = job_start(kind=ECHO, actor=clerk_user, dedupe_key="b")
    Job.objects.filter(pk=busy.pk).update(status=JobStatus.RUNNING, updated_at=now - timedelta(minutes=5))
    forgotten, _c = job_start(kind=ECHO, actor=clerk_user, dedupe_key="c")
    Job.objects.filter(pk=forgotten.pk).update(created_at=now - timedelta(days=1, minutes=1))
    waiting, _c = job_start(kind=ECHO, actor=clerk_user, dedupe_key="d")

    assert jobs_sweep(now=now) == {"interrupted": 1, "abandoned": 1}

    status = dict(Job.objects.values_list("pk", "status"))
    assert status == {stuck.pk: "failed", busy.pk: "running", forgotten.pk: "failed", waiting.pk: "queued"}
    assert Job.objects.get(pk=stuck.pk).error_code == "interrupted"
    assert job_run(forgotten.pk) == "failed" and echo.calls == 0  # a late delivery does not run it


# ---------------------------------------------------------------------------------------------- who sees a job


def test_the_starter_and_holders_of_the_kinds_permission_see_a_job_nobody_else(echo, clerk_user, client):
    job, _created = job_start(kind=ECHO, actor=clerk_user)  # tests.echo: seen with reports.view_reportrun
    sales = factories.user("sales-j", role="sales")  # lacks it
    auditor = factories.user("auditor-j", role="auditor")  # holds it
    assert Api(clerk_user).get(f"/jobs/{job.pk}").status_code == 200
    assert Api(auditor).get(f"/jobs/{job.pk}").json()["started_by"] == "clerk-j"
    refused = Api(sales).get(f"/jobs/{job.pk}")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert Api(sales).get(f"/jobs/{job.pk}/file").status_code == 404
    assert Api(sales).get("/jobs").json()["count"] == 0  # the list is one's own jobs
    assert Api(auditor).get("/jobs").json()["count"] == 0
    client.force_login(sales)
    assert client.get(reverse("web:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("web:job_file", args=[job.pk])).status_code == 404


def test_the_api_lists_my_jobs_and_serves_a_file_as_an_attachment(echo, clerk_user):
    mine, _c = job_start(kind=ECHO, params={"file": "aging.csv"}, actor=clerk_user)
    job_run(mine.pk)
    job_start(kind=ECHO, params={"file": "page.html"}, actor=factories.user("other-j", role="finance_clerk"))
    api = Api(clerk_user)
    listed = api.get("/jobs").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["id"], item["status"], item["status_label"], item["percent"]) == (mine.pk, "done", "Done", 100)
    assert (item["url"], item["file_url"]) == (f"/api/v1/jobs/{mine.pk}", f"/api/v1/jobs/{mine.pk}/file")
    assert item["result_label"] == "Download aging.csv"
    response = api.get(f"/jobs/{mine.pk}/file")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == "attachment; filename=\"aging.csv\"; filename*=UTF-8''aging.csv"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"\xef\xbb\xbfa,b\n1,2\n"


def test_a_file_of_any_other_type_is_served_as_bytes_not_as_a_page(echo, clerk_user):
    job, _c = job_start(kind=ECHO, params={"file": "page.html"}, actor=clerk_user)
    job_run(job.pk)
    response = Api(clerk_user).get(f"/jobs/{job.pk}/file")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


# ---------------------------------------------------------------------------------------------- the pages


def test_the_status_partial_polls_while_the_job_waits_and_reloads_the_page_when_it_ends(echo, clerk_user, client):
    job, _c = job_start(kind=ECHO, params={"steps": 2, "file": "aging.csv"}, actor=clerk_user)
    client.force_login(clerk_user)
    url = reverse("web:job", args=[job.pk])

    waiting = client.get(url, {"poll": "1"}, headers={"HX-Request": "true"})
    body = waiting.content.decode()
    assert waiting.status_code == 200 and "<html" not in body  # the partial alone
    assert 'hx-trigger="every 2s"' in body and f'hx-get="{url}?poll=1"' in body
    assert "Waiting for the background worker" in body and "HX-Refresh" not in waiting

    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress_done=1, progress_total=2,
                                         message="Carrying out action %(number)d of %(total)d",
                                         message_params={"number": 2, "total": 2})
    running = client.get(url, {"poll": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert '<progress max="2" value="1">' in running and "Carrying out action 2 of 2" in running

    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    job_run(job.pk)
    done = client.get(url, {"poll": "1"}, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"  # the page that polled reloads, showing what the job changed
    body = done.content.decode()
    assert "hx-trigger" not in body and "Download aging.csv" in body
    assert reverse("web:job_file", args=[job.pk]) in body
    page = client.get(url)  # the job's own page, once done, does not poll
    assert page.status_code == 200 and "hx-trigger" not in page.content.decode()


def test_the_status_partial_shows_a_failure_in_the_users_words(echo, clerk_user, client):
    job, _c = job_start(kind=ECHO, params={"refuse": True}, actor=clerk_user)
    job_run(job.pk)
    client.force_login(clerk_user)
    body = client.get(reverse("web:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "The month must be between 01 and 12." in body and "hx-trigger" not in body


def test_my_jobs_page_lists_my_jobs_25_a_page(echo, clerk_user, client):
    for n in range(27):
        job_start(kind=ECHO, params={"n": n}, actor=clerk_user)
    job_start(kind=ECHO, actor=factories.user("other-j2", role="finance_clerk"))
    client.force_login(clerk_user)
    first = client.get(reverse("web:jobs"))
    assert first.status_code == 200 and first.context["page"].paginator.count == 27
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("web:jobs"), {"page": 2})
    assert len(second.context["page"].object_list) == 2


def test_the_job_pages_speak_chinese(echo, clerk_user, client):
    job, _c = job_start(kind=ECHO, params={"refuse": False, "steps": 1}, actor=clerk_user)
    client.force_login(clerk_user)
    body = client.get(reverse("web:job", args=[job.pk]), headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "排队中" in body and "等待后台任务处理程序" in body
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress_done=0, progress_total=3,
                                         message="Carrying out action %(number)d of %(total)d",
                                         message_params={"number": 1, "total": 3})
    body = client.get(reverse("web:job", args=[job.pk]), headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "正在执行第 1 项催收动作，共 3 项" in body
