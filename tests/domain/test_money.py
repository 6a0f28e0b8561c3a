"""Money at the edges: parsing and formatting amounts, splitting them exactly."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain.money import (
    Money,
    MoneyError,
    exponent,
    format_amount,
    format_money,
    from_base_minor,
    parse_amount,
    proportional_part,
    split_largest_remainder,
    to_base_minor,
    to_decimal,
    to_decimals,
)


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("1,234.56", 123456),
        ("¥1 234.5", 123450),
        ("￥1，234.56", 123456),
        ("1234.56元", 123456),
        ("RMB 1,000", 100000),
        ("CNY 0.01", 1),
        ("  12 ", 1200),
        ("-0.01", -1),
        ("¥-3", -300),
        ("+5", 500),
        ("1,234,567.89", 123456789),
        ("0", 0),
    ],
)
def test_parse_amount_reads_what_people_write(text, minor):
    assert parse_amount(text) == minor


def test_parse_amount_takes_int_and_decimal_but_never_float():
    assert parse_amount(12) == 1200
    assert parse_amount(Decimal("0.10")) == 10
    with pytest.raises(MoneyError, match="never floats"):
        parse_amount(12.5)
    with pytest.raises(MoneyError):
        parse_amount(True)


def test_parse_amount_refuses_a_third_decimal():
    with pytest.raises(MoneyError, match="more than 2 decimal places for CNY"):
        parse_amount("1.234")
    assert parse_amount("1.230") == 123


def test_parse_amount_knows_zero_decimal_currencies():
    assert parse_amount("1,000", "JPY") == 1000
    with pytest.raises(MoneyError, match="more than 0 decimal places for JPY"):
        parse_amount("1.5", "JPY")


@pytest.mark.parametrize(
    "text", ["", "   ", "-", "abc", "1.2.3", "12a", "NaN", "Infinity", "1e3", "1_000", "1,50", "12,34.5",
             "1,2,3,4", "1,234 567", "0x10"],
)
def test_parse_amount_refuses_garbage(text):
    with pytest.raises(MoneyError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [(123456, "CNY", "1,234.56"), (5, "CNY", "0.05"), (-5, "CNY", "-0.05"), (-100, "CNY", "-1.00"),
     (0, "CNY", "0.00"), (123456789, "USD", "1,234,567.89"), (1000, "JPY", "1,000")],
)
def test_format_amount(minor, currency, text):
    assert format_amount(minor, currency) == text


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_format_then_parse_is_the_identity(minor):
    assert parse_amount(format_amount(minor)) == minor


def test_money_refuses_floats_and_mixed_currencies():
    with pytest.raises(MoneyError):
        Money(1.5)
    with pytest.raises(MoneyError, match="cannot combine CNY with USD"):
        Money(1, "CNY") + Money(1, "USD")
    assert Money(150) + Money(50) == Money(200)
    assert str(Money(123456)) == "1,234.56 CNY"
    assert str(Money(-100, "USD")) == "-1.00 USD"
    assert format_money(100_000, "JPY") == "100,000 JPY"


@given(minor=st.integers(min_value=-(10**18), max_value=10**18), currency=st.sampled_from(["CNY", "JPY", "USD", "XXX"]))
def test_to_decimal_is_the_minor_units_shifted_by_the_places(minor, currency):
    """The product with the cached unit is the exact number with exactly the currency's places: the same digits
    and exponent as ``Decimal.scaleb`` (what exports write), zero included."""
    expected = Decimal(minor).scaleb(-exponent(currency)).as_tuple()
    assert to_decimal(minor, currency).as_tuple() == expected
    assert to_decimals([minor, 0], currency)[0].as_tuple() == expected


def test_to_decimal_and_convert():
    assert to_decimal(123456) == Decimal("1234.56")
    assert to_decimal(1000, "JPY") == Decimal("1000")
    assert to_decimals([123456, -1, 0], "CNY") == [Decimal("1234.56"), Decimal("-0.01"), Decimal("0.00")]
    assert to_decimals([1000, 7], "JPY") == [Decimal("1000"), Decimal("7")]
    assert [str(v) for v in to_decimals([5, 0])] == ["0.05", "0.00"]  # the digits an export writes
    # 1,000.00 USD at 7.1234 -> 7,123.40 CNY; 0.01 USD at 7.1235 -> 0.071235 CNY rounds half up to 0.07
    assert to_base_minor(100_000, "USD", Decimal("7.1234")) == 712_340
    assert to_base_minor(1, "USD", Decimal("7.1235")) == 7
    assert to_base_minor(1, "USD", Decimal("7.5")) == 8  # a tie goes up ...
    assert to_base_minor(-1, "USD", Decimal("7.5")) == -8  # ... and away from zero
    # 1,000 JPY at 0.048 CNY per yen -> 48.00 CNY; back: 48.00 CNY is 1,000 JPY
    assert to_base_minor(1000, "JPY", Decimal("0.048")) == 4800
    assert from_base_minor(4800, "JPY", Decimal("0.048")) == 1000
    # 7.13 CNY at 7.1234 per USD is 1.000926 USD -> 1.00 USD; 3 fen at 6 per USD is half a cent -> 1 cent
    assert from_base_minor(713, "USD", Decimal("7.1234")) == 100
    assert from_base_minor(3, "USD", Decimal("6")) == 1
    assert to_base_minor(5, "CNY", Decimal("9")) == 5  # the base currency is never converted
    for bad in (Decimal(0), Decimal(-1), Decimal("NaN")):
        with pytest.raises(MoneyError):
            to_base_minor(1, "USD", bad)
    with pytest.raises(MoneyError):
        to_base_minor(1, "USD", 7.1)


@given(minor=st.integers(-(10**15), 10**15),
       rate=st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal("99999"), places=8),
       currency=st.sampled_from(["USD", "JPY", "KRW", "EUR"]))
def test_conversion_is_the_exact_value_rounded_half_up_once(minor, rate, currency):
    shift = Fraction(10) ** (exponent("CNY") - exponent(currency))
    for got, exact in ((to_base_minor(minor, currency, rate), minor * Fraction(rate) * shift),
                       (from_base_minor(minor, currency, rate), minor / (Fraction(rate) * shift))):
        assert abs(got - exact) <= Fraction(1, 2)
        if abs(got - exact) == Fraction(1, 2):  # a tie: away from zero
            assert abs(got) > abs(exact)


def test_split_largest_remainder_examples():
    assert split_largest_remainder(100, [1, 1, 1]) == [34, 33, 33]
    assert split_largest_remainder(10_000, [3000, 6000, 1000]) == [3000, 6000, 1000]
    assert split_largest_remainder(-10, [1, 1, 1]) == [-3, -3, -4]
    with pytest.raises(MoneyError):
        split_largest_remainder(100, [0, 0])
    with pytest.raises(MoneyError):
        split_largest_remainder(100, [1, -1, 1])


@given(
    total=st.integers(min_value=-10**12, max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(lambda w: sum(w) > 0),
)
def test_split_largest_remainder_adds_up_and_stays_within_one_of_the_exact_share(total, weights):
    parts = split_largest_remainder(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(total) * weight / whole
        assert abs(Decimal(part) - exact) < 1


def test_proportional_part_rounds_half_up_and_is_exact_at_the_end():
    assert proportional_part(1000, 3, 1) == 333
    assert proportional_part(1000, 3, 2) == 667
    assert proportional_part(1000, 3, 3) == 1000
    assert proportional_part(5, 2, 1) == 3
    assert proportional_part(-5, 2, 1) == -3
    assert proportional_part(1000, 0, 0) == 0


@given(
    total=st.integers(min_value=0, max_value=10**12),
    steps=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=20),
)
def test_proportional_parts_taken_cumulatively_end_exactly_at_the_total(total, steps):
    whole = sum(steps)
    done = 0
    relieved = 0
    for step in steps:
        done += step
        part = proportional_part(total, whole, done) - relieved
        assert part >= 0
        relieved += part
    assert relieved == total
