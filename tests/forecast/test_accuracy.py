"""A stored forecast against the cash that came: the error per horizon on a fixture with known payments."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arms.forecast.selectors import forecast_accuracy
from arms.forecast.services import forecast_run
from arms.ledger.services import payment_allocate
from arms.ledger.services.allocations import AllocationRequest
from tests import factories as f

pytestmark = pytest.mark.django_db


def _pay(customer, invoice, amount, on):
    payment = f.payment(customer, amount=amount, received=on)
    payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, amount)], on=on)


@pytest.mark.clock("2026-10-20")
def test_each_horizon_compares_the_forecast_with_the_cash_applied_to_the_items_it_forecast():
    customer = f.customer(payment_terms_days=30)
    overdue = f.invoice(customer, issued=date(2026, 8, 1))  # due 08-31: expected at once, in week 1
    later = f.invoice(customer, issued=date(2026, 9, 1))  # due 10-01: expected in week 3 (09-28 .. 10-04)
    company = customer.company
    forecast_run(actor=None, company=company, as_of=date(2026, 9, 15))  # a first run of the day, superseded
    stored = forecast_run(actor=None, company=company, as_of=date(2026, 9, 15))
    fresh = f.invoice(customer, issued=date(2026, 9, 20))  # sold after the forecast: its cash is not compared
    _pay(customer, overdue, 100_000, date(2026, 9, 17))  # week 1: 100,000 of the 113,000 forecast
    _pay(customer, later, 113_000, date(2026, 10, 6))  # week 4 (10-05 .. 10-11): forecast 0
    _pay(customer, fresh, 50_000, date(2026, 10, 7))

    lines = {line.seq: line.expected_minor for line in stored.lines.filter(is_total=True)}
    assert lines[0] == 113_000 and lines[2] == 113_000 and lines[3] == 0

    report = forecast_accuracy(company=company, today=date(2026, 10, 20), granularity="week")

    assert [(r.forecast_id, r.horizon, r.forecast_minor, r.actual_minor, r.error_minor) for r in report.rows] == [
        (stored.pk, 1, 113_000, 100_000, 13_000), (stored.pk, 4, 0, 113_000, -113_000)]
    week1, week4, week13 = report.horizons
    assert (week1.horizon, week1.count, week1.mae_minor, week1.bias_minor, week1.wape_bp) == (
        1, 1, 13_000, 13_000, 1300)
    assert (week4.count, week4.mae_minor, week4.bias_minor, week4.wape_bp) == (1, 113_000, -113_000, 10000)
    assert (week13.horizon, week13.count, week13.wape_bp) == (13, 0, None)  # not ended yet
    assert forecast_accuracy(company=company, today=date(2026, 10, 20), granularity="month").rows == []


def test_the_demo_makes_past_and_present_forecasts_once_and_the_bench_times_them(today):
    from arms.forecast.bench import bench_measure
    from arms.forecast.demo import seed_demo
    from arms.forecast.models import Forecast

    customer = f.customer(payment_terms_days=30)
    f.invoice(customer, issued=today - timedelta(days=100))
    f.invoice(customer, issued=today - timedelta(days=20))
    assert seed_demo(today=today, seed=3) == {"cash-in forecasts": 13}
    assert seed_demo(today=today, seed=3) == {"cash-in forecasts": 0}
    assert Forecast.objects.filter(as_of__lt=today, granularity="week").count() == 8
    assert Forecast.objects.get(as_of=today, granularity="week").include_new_sales is True
    measured = bench_measure(today=today, seed=3, repeat=1)
    assert measured["items"] == 2 and measured["compute_week"]["runs"] == 1
