"""Tiered late interest: each day at the rate of the tier it falls in, rounded half up once."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain.interest import late_interest

DUE = date(2030, 3, 31)
TIERS = [{"from_day": 1, "daily_rate": "0.0003"}, {"from_day": 30, "daily_rate": "0.0005"},
         {"from_day": 90, "daily_rate": "0.001"}]


def test_each_day_is_charged_at_its_tier():
    # 100 days late on 1,000,000.00: 29 days at 0.0003, 60 at 0.0005, 11 at 0.001
    charge = late_interest(amount_minor=100_000_000, due_date=DUE, as_of=DUE + timedelta(days=100), tiers=TIERS)
    assert charge.interest_minor == 100_000_000 * 29 * 3 // 10_000 + 100_000_000 * 60 * 5 // 10_000 \
        + 100_000_000 * 11 // 1000
    assert charge.interest_minor == 870_000 + 3_000_000 + 1_100_000


def test_day_29_and_day_30_sit_in_different_tiers():
    on_29 = late_interest(amount_minor=10_000, due_date=DUE, as_of=DUE + timedelta(days=29), tiers=TIERS)
    on_30 = late_interest(amount_minor=10_000, due_date=DUE, as_of=DUE + timedelta(days=30), tiers=TIERS)
    assert on_29.interest_minor == 87  # 29 x 3
    assert on_30.interest_minor - on_29.interest_minor == 5


def test_rounded_once_half_up_not_per_tier():
    # 1 minor unit x (0.5 + 0.5) would give 2 if each tier were rounded, 1 rounded once
    tiers = [{"from_day": 1, "daily_rate": "0.005"}, {"from_day": 101, "daily_rate": "0.005"}]
    charge = late_interest(amount_minor=1, due_date=DUE, as_of=DUE + timedelta(days=101), tiers=tiers)
    assert charge.interest_minor == 1  # 1 x 0.005 x 101 = 0.505 -> 1


def test_days_before_the_first_tier_are_free_and_the_single_rate_is_not_used():
    tiers = [{"from_day": 10, "daily_rate": "0.001"}]
    charge = late_interest(amount_minor=100_000, due_date=DUE, as_of=DUE + timedelta(days=12),
                           daily_rate=Decimal("0.5"), tiers=tiers)
    assert charge.interest_minor == 300


def test_bad_tiers_are_refused():
    with pytest.raises(ValueError):
        late_interest(amount_minor=1, due_date=DUE, as_of=DUE, tiers=[{"from_day": 5, "daily_rate": "0.1"},
                                                                      {"from_day": 5, "daily_rate": "0.2"}])


rates = st.decimals(min_value=0, max_value=Decimal("0.01"), places=5)


@given(amount=st.integers(0, 10**12), days=st.integers(-5, 2000), rate=rates)
def test_one_tier_from_day_one_equals_the_single_rate(amount, days, rate):
    as_of = DUE + timedelta(days=days)
    tiered = late_interest(amount_minor=amount, due_date=DUE, as_of=as_of, tiers=[{"from_day": 1, "daily_rate": rate}])
    single = late_interest(amount_minor=amount, due_date=DUE, as_of=as_of, daily_rate=rate)
    assert tiered == single


@given(amount=st.integers(0, 10**12), days=st.integers(1, 2000),
       steps=st.lists(st.tuples(st.integers(1, 400), rates), min_size=1, max_size=10, unique_by=lambda t: t[0]))
def test_tiered_equals_a_day_by_day_sum_and_never_falls_with_time(amount, days, steps):
    tiers = [{"from_day": d, "daily_rate": r} for d, r in sorted(steps)]
    charge = late_interest(amount_minor=amount, due_date=DUE, as_of=DUE + timedelta(days=days), tiers=tiers)
    exact = Decimal(0)
    for day in range(1, days + 1):
        applying = [Decimal(t["daily_rate"]) for t in tiers if t["from_day"] <= day]
        exact += amount * applying[-1] if applying else 0
    assert charge.interest_minor == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    later = late_interest(amount_minor=amount, due_date=DUE, as_of=DUE + timedelta(days=days + 1), tiers=tiers)
    assert later.interest_minor >= charge.interest_minor
