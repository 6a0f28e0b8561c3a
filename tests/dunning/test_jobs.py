"""Dunning runs and "send all" as background jobs; run pages that say what waits, and when nothing works the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from arms.common.jobs import job_run
from arms.common.models import Job
from arms.common.queue import heartbeat
from arms.dunning.models import DunningEmail, DunningRun, EmailStatus
from arms.dunning.services import dunning_run
from tests import factories
from tests.api.conftest import Api
from tests.dunning.conftest import make_customer

pytestmark = pytest.mark.django_db

WARNING = "The background task worker is not running."


@pytest.fixture
def due_day(policy, people):
    """Two customers each with an invoice 30 days overdue on the returned day (a letter at +30)."""
    for _n in range(2):
        cust = make_customer(people)
        invoice = factories.invoice(cust)
    return invoice.due_date + timedelta(days=30)


def test_a_run_whose_actions_wait_says_so_instead_of_done(due_day, people, client):
    run = dunning_run(as_of=due_day, process=False)  # the actions are left for the queue
    client.force_login(people["collector"])
    body = client.get(reverse("dunning:run", args=[run.pk])).content.decode()
    assert "Actions waiting" in body and "2 of 2 actions are waiting" in body
    assert '<dd id="actions-pending">2</dd>' in body and '<dd id="actions-done">0</dd>' in body
    assert WARNING in body and "tell your system administrator" in body  # and nothing has ever consumed the queue
    assert 'hx-trigger="every 3s"' in body  # the counts refresh while actions wait


def test_a_run_page_does_not_warn_while_a_consumer_works(due_day, people, client):
    run = dunning_run(as_of=due_day, process=False)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        heartbeat()
    client.force_login(people["collector"])
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        body = client.get(reverse("dunning:run", args=[run.pk])).content.decode()
    assert "Actions waiting" in body and WARNING not in body


def test_once_the_actions_are_carried_out_the_run_is_done(due_day, people, client,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = dunning_run(as_of=due_day)
    client.force_login(people["collector"])
    body = client.get(reverse("dunning:run", args=[run.pk])).content.decode()
    assert '<dd id="actions-done">2</dd>' in body and "Actions waiting" not in body
    assert 'hx-trigger="every 3s"' not in body


def test_the_run_button_is_disabled_while_the_days_run_is_queued(due_day, people, client,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(people["collector"])
    with django_capture_on_commit_callbacks(execute=False):  # no consumer: the job stays queued
        first = client.post(reverse("dunning:run_start"), {"as_of": str(due_day)})
        second = client.post(reverse("dunning:run_start"), {"as_of": str(due_day)})
    assert first.status_code == second.status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.status, job.dedupe_key, job.params) == (
        "dunning.run", "queued", str(due_day), {"as_of": str(due_day), "trigger": "ui"})
    page = client.get(first["Location"]).content.decode()
    assert '<button type="submit" class="primary" disabled' in page
    assert f'hx-get="{reverse("web:job", args=[job.pk])}?poll=1"' in page and WARNING in page
    assert not DunningRun.objects.exists()
    other_day = client.get(reverse("dunning:overview")).content.decode()  # today: a different day's run
    assert '<button type="submit" class="primary">' in other_day


def test_a_run_for_a_future_day_is_refused_before_anything_is_queued(policy, people):
    api = Api(people["manager"])
    response = api.post("/dunning/runs", {"as_of": str(timezone.localdate() + timedelta(days=5))})
    assert response.status_code == 422 and response.json()["error"]["field"] == "as_of"
    assert not Job.objects.exists() and not DunningRun.objects.exists()


def test_the_run_job_carries_out_the_actions_with_progress(due_day, people, django_capture_on_commit_callbacks):
    api = Api(people["manager"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = api.post("/dunning/runs", {"as_of": str(due_day)})
        again = api.post("/dunning/runs", {"as_of": str(due_day)})
    assert response.status_code == again.status_code == 202
    assert response.json()["id"] == again.json()["id"] and response.json()["status"] == "queued"
    assert len(queued) == 1
    job_run(response.json()["id"])
    body = api.get(response["Location"].removeprefix("/api/v1")).json()
    run = DunningRun.objects.get()
    assert (body["status"], body["progress_done"], body["progress_total"]) == ("done", 2, 2)
    assert body["result_data"] == {"run_id": run.pk, "as_of": str(due_day), "actions": 2, "done": 2, "failed": 0}
    assert (run.trigger, run.started_by) == ("api", people["manager"])
    assert body["result_page_url"] == reverse("dunning:run", args=[run.pk])


def test_send_all_is_a_job_that_sends_what_the_starter_may_see(due_day, people, smtp_server,
                                                              django_capture_on_commit_callbacks):
    run = dunning_run(as_of=due_day, process=False)
    from arms.dunning.services import process_actions

    process_actions(run.pk, queue_email=False)  # two e-mails pending in the outbox
    api = Api(people["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/dunning/emails/retry")
    assert response.status_code == 202 and response["Location"] == f"/api/v1/jobs/{response.json()['id']}"
    job = api.get(response["Location"].removeprefix("/api/v1")).json()
    assert (job["status"], job["result_data"]["sent"], job["result_data"]["failed"]) == ("done", 2, 0)
    assert len(smtp_server.messages) == 2
    assert set(DunningEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_the_outbox_warns_when_e_mails_wait_and_no_consumer_runs(due_day, people, client):
    run = dunning_run(as_of=due_day, process=False)
    from arms.dunning.services import process_actions

    process_actions(run.pk, queue_email=False)
    client.force_login(people["collector"])
    body = client.get(reverse("dunning:emails")).content.decode()
    assert WARNING in body
    heartbeat()
    assert WARNING not in client.get(reverse("dunning:emails")).content.decode()
    overview = client.get(reverse("dunning:overview")).content.decode()
    assert WARNING not in overview


def test_the_overview_warns_about_waiting_actions(due_day, people, client):
    dunning_run(as_of=due_day, process=False)
    client.force_login(people["collector"])
    body = client.get(reverse("dunning:overview")).content.decode()
    assert WARNING in body and '<span class="badge waiting">2</span>' in body


def test_a_pending_action_warns_when_no_consumer_runs(due_day, people, client):
    from arms.dunning.models import DunningAction

    run = dunning_run(as_of=due_day, process=False)
    action = DunningAction.objects.filter(run=run).first()
    client.force_login(people["collector"])
    assert WARNING in client.get(reverse("dunning:action", args=[action.pk])).content.decode()
    heartbeat()
    assert WARNING not in client.get(reverse("dunning:action", args=[action.pk])).content.decode()
