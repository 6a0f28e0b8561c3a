"""The demo hook, the benchmark on a tiny book, and INTERFACE h1 (``warnings_in_period``) for the management report."""

from datetime import timedelta

import pytest

from arms.earlywarning.bench import bench_measure
from arms.earlywarning.demo import seed_demo
from arms.earlywarning.models import RiskSignal, Warning
from arms.earlywarning.selectors import warnings_in_period
from arms.earlywarning.services import IndicatorFields, indicator_create, warnings_evaluate
from tests import factories

pytestmark = pytest.mark.django_db


def test_seed_demo_shows_warnings_an_acknowledgement_and_a_risk_signal(today):
    factories.user("finmgr", role="finance_manager")
    sales = factories.user("sales1", role="sales")
    for n in range(3):
        customer = factories.customer(f"D{n}", salesperson=sales)
        factories.invoice(customer, issued=today - timedelta(days=200 + n), net=500_000_00, tax=0)
    counts = seed_demo(today=today, seed=7)
    assert counts["early warnings raised"] >= 3 and counts["risk signals"] == 1
    assert Warning.objects.filter(status="acknowledged").count() == 1
    assert RiskSignal.objects.get().raised_by == sales
    again = seed_demo(today=today, seed=7)
    assert again["early warnings raised"] == 0 and again["risk signals"] == 1


def test_the_benchmark_runs_on_a_one_customer_book(today):
    factories.invoice(factories.customer("B1"), issued=today - timedelta(days=120))
    result = bench_measure(today=today, seed=1, repeat=1)
    assert result["readings"]["oldest_overdue_days"]["subjects"] == 1
    assert result["first_evaluation"]["raised"] >= 1 and result["next_evaluation_result"]["raised"] == 0


def test_warnings_in_period_most_severe_first_with_labels(today):
    manager = factories.user("fm", role="finance_manager")
    customer = factories.customer("W1", name="华东机电有限公司")
    factories.invoice(customer, issued=today - timedelta(days=150), due_date=today - timedelta(days=120))
    info = indicator_create(actor=manager, fields=IndicatorFields(
        name="逾期提示", metric="oldest_overdue_days", threshold=30, severity="info"))
    critical = indicator_create(actor=manager, fields=IndicatorFields(
        name="集中度", metric="concentration_largest", threshold=5000, severity="critical"))
    warnings_evaluate(as_of=today - timedelta(days=40), indicator_ids=[info.pk, critical.pk])
    rows = warnings_in_period(start=today.replace(day=1), end=today)  # raised before, still open: included
    assert [(r.indicator_name, r.severity, r.customer_name) for r in rows] == [
        ("集中度", "critical", ""), ("逾期提示", "info", "华东机电有限公司")]
    assert rows[1].customer_id == customer.pk and rows[1].closed_on is None and rows[1].url.startswith("/warnings/")
    assert rows[1].figures_text.startswith("80 days against a threshold of 30 days")
    # closed before the period and not raised in it: left out
    Warning.objects.update(status="closed", closed_on=today - timedelta(days=35))
    assert warnings_in_period(start=today - timedelta(days=30), end=today) == []
    assert len(warnings_in_period(start=today - timedelta(days=40), end=today)) == 2
