"""Cell text -> value: dates, amounts, rates and days as Chinese spreadsheets write them."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from arms.imports.cells import CellError, parse_date, parse_days, parse_money, parse_rate, parse_uscc
from arms.imports.readers import cell_text


@pytest.mark.parametrize("text", ["2026-03-05", "2026/3/5", "2026.03.05", "2026年3月5日", "2026年03月05日",
                                  "２０２６－０３－０５", "2026-03-05 00:00:00", "2026/3/5 0:00"])
def test_dates_in_every_accepted_spelling(text):
    assert parse_date(text) == date(2026, 3, 5)


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-30", "3/5/2026", "05.03.2026", "2026-03-05 14:30", "soon"])
def test_a_date_that_is_not_one_is_refused_with_its_text(text):
    with pytest.raises(CellError) as info:
        parse_date(text)
    assert str(info.value) == f"'{text}' is not a date (write it as YYYY-MM-DD)"


@pytest.mark.parametrize(("text", "currency", "minor"), [
    ("1,234.56", "CNY", 123_456), ("¥1,234.56", "CNY", 123_456), ("￥１，２３４.５６", "CNY", 123_456),
    ("0.1", "CNY", 10), ("1234", "JPY", 1234), ("1,000,000.00", "USD", 100_000_000),
])
def test_amounts_are_exact_minor_units(text, currency, minor):
    assert parse_money(text, currency) == minor


def test_an_amount_with_more_decimals_than_the_currency_is_refused():
    with pytest.raises(CellError) as info:
        parse_money("0.30000000000000004", "CNY")
    assert str(info.value) == "'0.30000000000000004' has more than 2 decimal places for CNY"


@pytest.mark.parametrize(("text", "allow_zero", "message"), [
    ("-1.00", False, "'-1.00' must be greater than zero"),
    ("0", False, "'0' must be greater than zero"),
    ("-0.01", True, "'-0.01' must not be negative"),
    ("10000000000000.01", False, "'10000000000000.01' is larger than any amount ARMS accepts"),
])
def test_negative_zero_and_huge_amounts_are_refused(text, allow_zero, message):
    with pytest.raises(CellError) as info:
        parse_money(text, "CNY", allow_zero=allow_zero)
    assert str(info.value) == message


def test_zero_is_allowed_where_zero_makes_sense():
    assert parse_money("0.00", "CNY", allow_zero=True) == 0


@pytest.mark.parametrize(("text", "rate"), [
    ("0.05", Decimal("0.0500")), ("5%", Decimal("0.0500")), ("５％", Decimal("0.0500")), ("50‰", Decimal("0.0500")),
])
def test_penalty_rates_as_fractions_percentages_or_per_mille(text, rate):
    assert parse_rate(text, 4) == rate


@pytest.mark.parametrize("text", ["0.0005", "0.05%", "万分之5", "万分之五", "0.5‰", "5‱"])
def test_daily_interest_written_the_chinese_way(text):
    assert parse_rate(text, 7) == Decimal("0.0005000")


@pytest.mark.parametrize(("text", "message"), [
    ("150%", "'150%' is more than 100%"),
    ("abc", "'abc' is not a rate (write 0.05, 5% or 万分之5)"),
    ("万分之5%", "'万分之5%' is not a rate (write 0.05, 5% or 万分之5)"),
    ("0.00001", "'0.00001' has more precision than ARMS keeps (4 decimals)"),
])
def test_rates_that_cannot_be_kept_exactly_are_refused(text, message):
    with pytest.raises(CellError) as info:
        parse_rate(text, 4)
    assert str(info.value) == message


def test_payment_terms_are_whole_days():
    assert (parse_days("30"), parse_days("60天"), parse_days("0")) == (30, 60, 0)
    for text in ("30.5", "-1", "3651"):
        with pytest.raises(CellError):
            parse_days(text)


def test_a_uscc_with_a_wrong_check_character_is_refused():
    with pytest.raises(CellError) as info:
        parse_uscc("91310000000000001A")
    assert str(info.value).startswith("统一社会信用代码 check digit is A, expected ")


def test_cell_errors_are_in_the_language_of_the_import():
    with translation.override("zh-hans"):
        with pytest.raises(CellError) as uscc:
            parse_uscc("91310000000000001A")
        with pytest.raises(CellError) as amount:
            parse_money("12.345", "CNY")

    assert str(uscc.value).startswith("统一社会信用代码校验码为 A，应为 ")
    assert str(amount.value) == "“12.345”的小数位超过 CNY 允许的 2 位"


def test_excel_numbers_become_their_exact_decimal_digits():
    """openpyxl hands numbers over as float; the text is the float's shortest exact spelling, never rounded."""
    assert cell_text(1234.56) == "1234.56"
    assert cell_text(0.1 + 0.2) == "0.30000000000000004"
    assert cell_text(1e16) == "10000000000000000"
    assert cell_text(1500) == "1500"
    assert cell_text(None) == ""
