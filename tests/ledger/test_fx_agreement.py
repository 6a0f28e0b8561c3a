"""Every caller that converts between currencies gives what the domain's one conversion gives.

The arithmetic lives once, in ``arms.domain.money`` (``to_base_minor`` / ``from_base_minor``: exact, rounded
once, half up; ADR 0001). The ledger (posting invoices and payments), credit (limits and the finance-manager
threshold) and exposure (amounts in the limit's currency) only look the rate up. Before they shared it, credit
rounded down one way and exposure divided by an inverted rate the other, so they disagreed on ties and on
amounts with many digits.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from arms.credit.services.ratings import from_cny_minor, to_cny_minor
from arms.domain.money import BASE_CURRENCY, from_base_minor, to_base_minor
from arms.exposure.selectors import convert_between
from arms.ledger.models import ExchangeRate
from arms.ledger.services.fx import exchange_rate_on, to_base

amounts = st.integers(min_value=-(10**15), max_value=10**15)
#: rates as the ledger stores them: up to 8 decimals, from a yen to a pound
rates = st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal("99999"), places=8).filter(lambda r: r > 0)
currencies = st.sampled_from(["USD", "JPY", "EUR", "KRW"])


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minor=amounts, rate=rates, currency=currencies)
@example(minor=1, rate=Decimal("0.5"), currency="USD")  # a tie: half up, not down
@example(minor=3, rate=Decimal("3"), currency="USD")  # 3 fen CNY = 1 US cent exactly (the inverse rate is 0.333…)
@example(minor=123_456_789, rate=Decimal("7.12345678"), currency="JPY")
def test_every_caller_agrees_with_the_domain(today, minor, rate, currency):
    ExchangeRate.objects.update_or_create(currency=currency, date=today - timedelta(days=3),
                                          defaults={"rate": rate})
    looked_up = exchange_rate_on(currency, today)
    assert looked_up == rate
    into_base = to_base_minor(minor, currency, rate)
    out_of_base = from_base_minor(minor, currency, rate)

    assert to_base(minor, currency, looked_up) == into_base  # ledger: invoices and payments
    assert to_cny_minor(minor, currency, today) == into_base  # credit: limits against the threshold
    assert from_cny_minor(minor, currency, today) == out_of_base  # credit: a proposed limit in its currency
    assert convert_between(minor, currency, BASE_CURRENCY, on=today) == into_base  # exposure
    assert convert_between(minor, BASE_CURRENCY, currency, on=today) == out_of_base
