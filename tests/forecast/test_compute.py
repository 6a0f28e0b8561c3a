"""The forecast of a book sums to its open items (issue 15's proof), promises and plans not counted twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.forecast.selectors import forecast_compute
from arms.ledger.balances import open_items_as_of
from tests import factories as f

pytestmark = pytest.mark.django_db


def _open_base(today):
    return sum(open_items_as_of(today).values_list("open_base_as_of", flat=True))


def test_the_forecast_of_a_book_sums_to_its_open_items(today):
    a = f.customer(payment_terms_days=30)
    b = f.customer(payment_terms_days=60)
    f.invoice(a, issued=today - timedelta(days=10))
    f.invoice(a, issued=today - timedelta(days=50), net=33_333, tax=4_333)
    f.invoice(b, issued=today - timedelta(days=3), net=1_000_000, tax=130_000)

    for granularity in ("week", "month"):
        result = forecast_compute(as_of=today, granularity=granularity)
        assert len(result.buckets) == (13 if granularity == "week" else 12)
        assert result.open_minor == _open_base(today) == 113_000 + 37_666 + 1_130_000
        assert sum(x.expected_minor for x in result.buckets) + result.beyond_minor == result.open_minor
        for bucket in result.buckets:
            assert bucket.low_minor <= bucket.expected_minor <= bucket.high_minor
