"""The monthly management report made on demand is a background job: the page shows its progress and keeps the
button from starting the same report twice; a bad month is refused before anything is queued."""

from __future__ import annotations

import pytest

from arms.common.jobs import job_run
from arms.common.models import Job
from arms.reports.models import ReportRun
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WARNING = "The background task worker is not running."


def test_the_page_shows_the_queued_report_and_disables_its_button(client, book, django_capture_on_commit_callbacks):
    client.login(username="fm", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=False):  # no consumer: the job stays queued
        response = client.post("/reports/monthly/generate/", {"month": "2026-10", "format": "pdf"})
        again = client.post("/reports/monthly/generate/", {"month": "2026-10", "format": "pdf"})
    job = Job.objects.get()
    assert again.status_code == 302 and (job.kind, job.status, job.dedupe_key) == (
        "reports.monthly", "queued", "2026-10:pdf:file")
    page = client.get(response["Location"]).content.decode()
    assert 'class="button primary" disabled' in page and "Being made" in page
    assert f'hx-get="/jobs/{job.pk}/?poll=1"' in page and WARNING in page
    other = client.get("/reports/monthly/?month=2026-09&format=pdf").content.decode()
    assert 'class="button primary" disabled' not in other  # another month may be made meanwhile

    job_run(job.pk)
    job.refresh_from_db()
    run = ReportRun.objects.get()
    assert (job.status, job.progress_done, job.progress_total) == ("done", 2, 2)
    assert (run.trigger, run.generated_by, run.format) == ("web", book.finance_manager, "pdf")
    page = client.get(response["Location"]).content.decode()
    assert 'class="button primary" disabled' not in page and f"/reports/monthly/{run.pk}/download/" in page


def test_a_bad_month_is_refused_at_once_and_nothing_is_queued(client, book):
    client.login(username="fm", password=PASSWORD)
    response = client.post("/api/v1/reports/monthly", {"month": "2026-13", "format": "pdf"},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["field"] == "month"
    response = client.post("/reports/monthly/generate/", {"month": "2099-01", "format": "pdf"})
    assert response.status_code == 302
    assert not Job.objects.exists() and not ReportRun.objects.exists()
