"""/forecast/ and /api/v1/forecast: run (a job), the latest forecast with its chart and tables, the list, the
accuracy, exports, the CLI; bad input names the field and writes nothing; roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from arms.audit.models import AuditEvent
from arms.common.models import Job
from arms.forecast.models import Forecast, ForecastLine
from tests import factories as f
from tests.api.conftest import Api, assert_error

pytestmark = pytest.mark.django_db


def _counts():
    return (Forecast.objects.count(), ForecastLine.objects.count(), Job.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def book(today):
    customer = f.customer(payment_terms_days=30)
    f.invoice(customer, issued=today - timedelta(days=10))
    f.invoice(customer, issued=today - timedelta(days=40), net=500_000, tax=65_000)
    return customer


def test_run_through_the_api_then_read_it(book, today, django_capture_on_commit_callbacks):
    api = Api(f.user(role="finance_manager"))
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post("/forecast/runs", {"granularity": "week"})
    assert started.status_code == 202, started.content
    made = Forecast.objects.get()
    assert (made.as_of, made.granularity, made.periods, made.open_minor) == (today, "week", 13, 678_000)
    assert AuditEvent.objects.filter(action="forecast_made").count() == 1
    latest = api.get("/forecast/latest").json()
    assert latest["id"] == made.pk and len(latest["buckets"]) == 13
    assert sum(b["expected_minor"] for b in latest["buckets"]) + latest["beyond_minor"] == 678_000
    assert latest["by_currency"][0]["currency"] == "CNY" and latest["methods"] == {"due_date": 2}
    assert api.get(f"/forecast/forecasts/{made.pk}").json()["buckets"] == latest["buckets"]
    assert api.get("/forecast/forecasts", {"granularity": "week"}).json()["count"] == 1
    accuracy = api.get("/forecast/accuracy", {"granularity": "month"}).json()
    assert [h["horizon"] for h in accuracy["horizons"]] == [1, 3, 12] and accuracy["rows"] == []
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post("/forecast/runs", {"granularity": "month", "periods": 24,
                                           "include_new_sales": True}).status_code == 202
    assert Forecast.objects.filter(granularity="month", periods=24, include_new_sales=True).exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"granularity": "day"}, "granularity"),
    ({"granularity": "week", "periods": 53}, "periods"),
    ({"granularity": "month", "periods": 0}, "periods"),
    ({"as_of": "3000-01-01"}, "as_of"),
    ({"periods": "many"}, "periods"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(book, body, field):
    api = Api(f.user(role="finance_clerk"))
    before = _counts()
    assert_error(api.post("/forecast/runs", body), 422, "invalid", field=field)
    assert _counts() == before


def test_roles_read_or_run(book):
    assert Api(f.user(role="executive")).post("/forecast/runs", {}).status_code == 403
    assert Api(f.user(role="executive")).get("/forecast/forecasts").status_code == 200
    assert Api(f.user(role="sales")).get("/forecast/forecasts").status_code == 403
    assert_error(Api(f.user(role="auditor")).get("/forecast/latest"), 404, "not_found", field="granularity")


def test_the_pages_run_show_and_export(book, client, today, django_capture_on_commit_callbacks):
    manager = f.user(role="finance_manager")
    client.force_login(manager)
    empty = client.get(reverse("forecast:home")).content.decode()
    assert 'id="no-forecast"' in empty and 'id="run-form"' in empty
    refused = client.post(reverse("forecast:run"), {"as_of": today.isoformat(), "granularity": "week",
                                                    "periods": "60"})
    assert refused.status_code == 400 and Forecast.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        ran = client.post(reverse("forecast:run"), {"as_of": today.isoformat(), "granularity": "week"})
    assert ran.status_code == 302 and ran.url == reverse("forecast:home") + "?granularity=week"
    made = Forecast.objects.get()
    page = client.get(reverse("forecast:home")).content.decode()
    assert 'id="forecast-chart"' in page and 'class="band"' in page and 'id="bucket-table"' in page
    assert 'id="currency-table"' in page and "6,780.00" in page
    export = client.get(reverse("forecast:home"), {"export": "csv"})
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert text.count("\n") > 13
    assert client.get(reverse("forecast:detail", args=[made.pk])).status_code == 200
    assert client.get(reverse("forecast:detail", args=[made.pk + 99])).status_code == 404
    listed = client.get(reverse("forecast:list")).content.decode()
    assert f'data-forecast="{made.pk}"' in listed
    assert client.get(reverse("forecast:list"), {"export": "xlsx"}).status_code == 200
    accuracy = client.get(reverse("forecast:accuracy")).content.decode()
    assert 'id="horizon-table"' in accuracy
    assert client.get(reverse("forecast:accuracy"), {"export": "csv"}).status_code == 200
    client.force_login(f.user(role="executive"))
    read_only = client.get(reverse("forecast:home")).content.decode()
    assert 'id="forecast-chart"' in read_only and 'id="run-form"' not in read_only
    client.force_login(f.user(role="collector"))
    assert client.get(reverse("forecast:home")).status_code == 403


def test_the_cli_runs_lists_and_refuses(book, capsys, today):
    call_command("forecast", "run", "--granularity", "month", "--as-of", today.isoformat())
    assert Forecast.objects.get().granularity == "month"
    call_command("forecast", "list", "--granularity", "month", "--json")
    assert '"granularity": "month"' in capsys.readouterr().out
    call_command("forecast", "accuracy")
    before = _counts()
    with pytest.raises(CommandError, match="periods"):
        call_command("forecast", "run", "--periods", "99")
    with pytest.raises(CommandError, match="granularity"):
        call_command("forecast", "run", "--granularity", "year")
    assert _counts() == before


@pytest.mark.clock("2026-11-16")  # a Monday: the 12-month forecast too
def test_the_morning_schedule_queues_the_forecasts_as_jobs(book, django_capture_on_commit_callbacks):
    from arms.forecast.tasks import forecast_daily

    with django_capture_on_commit_callbacks(execute=True):
        jobs = forecast_daily.call_local()
    assert len(jobs) == 2
    assert sorted(Forecast.objects.values_list("granularity", "periods", "created_by")) == [
        ("month", 12, None), ("week", 13, None)]
