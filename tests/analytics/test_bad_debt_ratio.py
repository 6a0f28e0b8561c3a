"""坏账率, the true bad-debt ratio: bad debts written off less recovered in the period / credit sales of the period,
against the seeds' 1–3% target band; the old proxy is now "over 365 days overdue". Hand figures throughout."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from arms.analytics.kpis import KpiScope, kpi_values
from arms.analytics.team import team_performance
from arms.domain import kpi
from arms.ledger.services.writeoffs import invoice_write_off, write_off_recover
from tests import factories
from tests.small_balances.helpers import pay

pytestmark = [pytest.mark.django_db, pytest.mark.clock(date(2026, 4, 15))]


@pytest.fixture
def book(db):
    sam = factories.user("sam-bd", role="sales")
    customer = factories.customer(salesperson=sam)
    first = factories.invoice(customer, net=10_000_00, tax=0, issued=date(2026, 2, 1))
    factories.invoice(customer, net=30_000_00, tax=0, issued=date(2026, 2, 10))
    small = factories.invoice(customer, net=1_000_00, tax=0, issued=date(2026, 2, 12))
    pay(customer, small, 982_00, on=date(2026, 2, 14))
    march = factories.invoice(customer, net=8_982_00, tax=0, issued=date(2026, 3, 5))
    # February: 600.00 written off as a bad debt, 200.00 of it recovered; an 18.00 small balance written off
    bad = invoice_write_off(actor=None, invoice=first, amount_minor=600_00, on=date(2026, 2, 20), kind="bad_debt",
                            account="1231", reason="破产清算")
    write_off_recover(actor=None, write_off=bad, amount_minor=200_00, on=date(2026, 2, 25), reason="破产分配")
    invoice_write_off(actor=None, invoice=small, amount_minor=18_00, on=date(2026, 2, 20), kind="small_balance",
                      account="6603", reason="尾差")
    # March: 500.00 more written off, 100.00 of February's recovered
    invoice_write_off(actor=None, invoice=march, amount_minor=500_00, on=date(2026, 3, 20), kind="bad_debt",
                      account="1231", reason="无法执行")
    write_off_recover(actor=None, write_off=bad, amount_minor=100_00, on=date(2026, 3, 28), reason="破产分配")
    return sam


def test_the_ratio_is_net_bad_debts_over_credit_sales_of_the_period(book):
    feb = kpi_values(start=date(2026, 2, 1), end=date(2026, 2, 28))
    # sales 10,000 + 30,000 + 1,000 = 41,000.00; bad debts 600 − 200 = 400.00 (the small balance is no bad debt)
    assert (feb["credit_sales"].value, feb["bad_debts_written_off"].value, feb["bad_debts_recovered"].value) == (
        41_000_00, 600_00, 200_00)
    assert feb["bad_debt_ratio"].value == Decimal("0.98")  # 400 / 41,000 = 0.9756 %
    assert kpi.bad_debt_band(feb["bad_debt_ratio"].value) == "within"

    mar = kpi_values(start=date(2026, 3, 1), end=date(2026, 3, 31))
    # sales 8,982.00; 500 written off, 100 of February's recovered in March: 400 / 8,982 = 4.4533 %
    assert (mar["credit_sales"].value, mar["bad_debts_written_off"].value, mar["bad_debts_recovered"].value) == (
        8_982_00, 500_00, 100_00)
    assert mar["bad_debt_ratio"].value == Decimal("4.45")
    assert kpi.bad_debt_band(mar["bad_debt_ratio"].value) == "above"

    quarter = kpi_values(start=date(2026, 1, 1), end=date(2026, 3, 31), scope=KpiScope(salesperson_id=book.pk))
    assert quarter["bad_debt_ratio"].value == Decimal("1.60")  # (1,100 − 300) / 49,982 = 1.6006 %
    assert quarter["over_365_share"].value == Decimal("0.00")


def test_the_team_score_uses_the_true_ratio(book):
    [row] = [r for r in team_performance(start=date(2026, 3, 1), end=date(2026, 3, 31)) if r.role == "salesperson"]
    assert row.bad_debt_ratio == Decimal("4.45")
    assert row.scores["bad_debt"] == Decimal("55.50")  # 100 − 10 × 4.45


@pytest.mark.parametrize(("ratio", "band", "score"), [
    (Decimal("0.50"), "within", Decimal("95.00")), (Decimal("3.00"), "within", Decimal("70.00")),
    (Decimal("3.01"), "above", Decimal("69.90")), (Decimal("12.00"), "above", Decimal("0.00")),
    (None, None, None)])
def test_band_and_score(ratio, band, score):
    assert (kpi.bad_debt_band(ratio), kpi.bad_debt_score(ratio)) == (band, score)


def test_no_sales_no_ratio():
    assert kpi.bad_debt_ratio(written_off=100, recovered=0, sales=0) is None
    assert kpi.bad_debt_ratio(written_off=100, recovered=300, sales=10_000) == Decimal("-2.00")
