"""The cost of overdue receivables equals a hand computation, per customer and per team."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.customers.services import company_ensure
from arms.stress.selectors import overdue_cost
from tests import factories

pytestmark = pytest.mark.django_db


def test_cost_per_customer_and_per_collector_equals_the_hand_computation(today):
    collector = factories.user("coll", role="collector")
    a = factories.customer("A1", collector=collector)
    b = factories.customer("B1", collector=collector)
    c = factories.customer("C1")
    factories.invoice(a, net=100_000, tax=0, issued=today - timedelta(days=70), due_date=today - timedelta(days=40))
    factories.invoice(a, net=50_000, tax=0, issued=today - timedelta(days=40), due_date=today - timedelta(days=10))
    factories.invoice(b, net=33_333, tax=0, issued=today - timedelta(days=130), due_date=today - timedelta(days=100))
    factories.invoice(c, net=80_000, tax=0, issued=today - timedelta(days=5), due_date=today + timedelta(days=25))
    company = company_ensure()
    rate = 600  # 6% a year

    rows = {row.key: row for row in overdue_cost(company=company, as_of=today, rate_bp=rate)}
    # A: (100,000 × 40 + 50,000 × 10) × 600 / 3,650,000 = 4,500,000 × 600 / 3,650,000 = 739.726… → 740
    # B: 33,333 × 100 × 600 / 3,650,000 = 547.939… → 548;  C: nothing overdue
    assert {key: (r.overdue_minor, r.cost_minor) for key, r in rows.items()} == {
        a.pk: (150_000, 740), b.pk: (33_333, 548)}
    assert rows[a.pk].average_days == 30
    by_collector = overdue_cost(company=company, as_of=today, rate_bp=rate, group_by="collector")
    assert [(r.key, r.customers, r.overdue_minor, r.cost_minor) for r in by_collector] == [
        (collector.pk, 2, 183_333, 740 + 548)]
