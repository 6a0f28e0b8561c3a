"""The monthly report's figures are analytics' figures for the month, and the aging total is the hand-computed one."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from arms.analytics.aging import aging_report
from arms.analytics.kpis import kpi_values
from arms.reports.selectors.monthly import monthly_report_data
from tests.reports.conftest import AGING_TOTAL_OCTOBER, BUCKETS_OCTOBER, OCTOBER, ON_BOOK_DAY, TODAY

pytestmark = ON_BOOK_DAY


def _beijing(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def october(book):
    with translation.override("en"):
        return monthly_report_data(month=OCTOBER, today=TODAY)


def test_the_aging_total_is_the_hand_computed_one_and_analytics_one(october):
    summary = october.aging_summary
    [cny] = summary.rows
    assert cny[0] == "CNY"
    assert summary.column("total") == [AGING_TOTAL_OCTOBER]
    assert aging_report(as_of=date(2026, 10, 31)).totals[0].total_minor == AGING_TOTAL_OCTOBER
    keys = [c.key for c in summary.columns]
    buckets = aging_report(as_of=date(2026, 10, 31)).bucket_keys
    by_bucket = dict(zip(buckets, cny[keys.index("b0"):keys.index("b0") + len(buckets)], strict=True))
    assert {k: v for k, v in by_bucket.items() if v} == BUCKETS_OCTOBER


def test_the_kpis_are_analytics_kpis_of_the_month_beside_september(october):
    expected = kpi_values(start=date(2026, 10, 1), end=date(2026, 10, 31))
    before = kpi_values(start=date(2026, 9, 1), end=date(2026, 9, 30))
    lines = {line.key: line for line in october.kpis}
    assert set(lines) == set(expected)
    for code, value in expected.items():
        assert lines[code].value == value.value
        assert lines[code].previous == before[code].value
    assert lines["collections"].value == 30_000_00
    assert lines["receivables_closing"].value == AGING_TOTAL_OCTOBER


def test_largest_overdue_customers_and_exposures_over_90_days(october):
    assert october.top_overdue.rows == [
        ["HD001 华东精密机械有限公司", 83_000_00 + 5_650_00, 83_000_00 + 5_650_00, "91-180 days"],
        ["XN001 西南物流有限公司", 11_300_00, 11_300_00 + 2_260_00, "61-90 days"],
    ]
    assert october.over_90.rows == [["HD001 华东精密机械有限公司", 83_000_00, 88_650_00]]


def test_the_aging_chart_shows_six_month_ends_with_october_last(october):
    chart = october.aging_chart
    assert chart.table.rows[-1][0] == "2026-10"
    assert len(chart.table.rows) == 6
    assert chart.table.rows[-1][-1] == "102,210.00"


@pytest.mark.django_db
def test_top_risks_name_the_broken_promise_the_dispute_near_its_deadline_and_the_hold(book):
    from arms.cases.services.disputes import dispute_raise
    from arms.cases.services.promises import promise_record, promises_check
    from arms.exposure.services import hold_place
    from arms.ledger.models import Invoice

    xn0 = Invoice.objects.get(number="INV-XN-0")
    hd1 = Invoice.objects.get(number="INV-HD-1")
    promise_record(customer=book.xn, amount_minor=5_000_00, promised_on=date(2026, 10, 20), made_on=date(2026, 10, 5),
                   invoices=[xn0], actor=book.collector)
    promises_check(as_of=date(2026, 10, 21))
    dispute = dispute_raise(invoice=hd1, amount_minor=1_000_00, reason_code="quality", actor=book.collector,
                            raised_on=date(2026, 10, 20))
    with time_machine.travel(_beijing(date(2026, 10, 26), 15), tick=False):
        hold_place(customer=book.xn, reason_code="manual", note="等待对账", actor=book.clerk)

    with translation.override("en"):
        report = monthly_report_data(month=OCTOBER, today=TODAY)

    assert report.broken_promises.rows == [["XN001 西南物流有限公司", date(2026, 10, 20), "CNY", 5_000_00, 5_000_00]]
    assert report.disputes.rows == [["HD001 华东精密机械有限公司", "INV-HD-1", "Quality", dispute.sla_due_on, "CNY",
                                     1_000_00]]
    assert [row[0] for row in report.holds.rows] == ["XN001 西南物流有限公司"]
    # the disputed part is shown apart in the aging; the total is still the ledger's open amount
    keys = [c.key for c in report.aging_summary.columns]
    [cny] = report.aging_summary.rows
    assert cny[keys.index("disputed")] == 1_000_00 and cny[keys.index("total")] == AGING_TOTAL_OCTOBER


@pytest.mark.django_db
def test_the_month_in_progress_is_reported_to_date(book):
    with translation.override("en"):
        november = monthly_report_data(month=date(2026, 11, 1), today=TODAY)
    assert november.month_to_date and november.as_of == TODAY
    # INV-HD-2 was paid on 5 November: 102,210.00 - 5,650.00 left open on the 23rd
    assert november.aging_summary.column("total") == [AGING_TOTAL_OCTOBER - 5_650_00]
    collected = {line.key: line for line in november.kpis}["collections"]
    assert (collected.value, collected.previous) == (5_650_00, 30_000_00)


@pytest.mark.django_db
def test_a_past_month_shows_nothing_that_happened_after_it(book):
    """October's report, made in December: holds, disputes, promises, invoices, payments, customers and
    budgets from after 31 October are left out; holds are those in force on 31 October."""
    from arms.analytics.services import budget_create
    from arms.cases.services.disputes import dispute_raise
    from arms.cases.services.promises import promise_record, promises_check
    from arms.exposure.services import hold_place, hold_release
    from arms.ledger import services
    from arms.ledger.models import Invoice
    from arms.ledger.services.allocations import AllocationRequest
    from tests import factories

    xn0 = Invoice.objects.get(number="INV-XN-0")
    with time_machine.travel(_beijing(date(2026, 10, 5), 9), tick=False):
        brief = hold_place(customer=book.xn, reason_code="manual", note="十月初暂停，十月内解除", actor=book.clerk)
    with time_machine.travel(_beijing(date(2026, 10, 20), 9), tick=False):
        hold_release(hold=brief, actor=book.clerk, note="已对账")
    with time_machine.travel(_beijing(date(2026, 10, 28), 23), tick=False):
        lasting = hold_place(customer=book.hd, reason_code="manual", note="十月底暂停", actor=book.clerk)
    with time_machine.travel(_beijing(date(2026, 11, 1), 0), tick=False):
        hold_release(hold=lasting, actor=book.clerk, note="十一月解除")
    with time_machine.travel(_beijing(date(2026, 12, 2), 10), tick=False):
        hold_place(customer=book.xn, reason_code="manual", note="十二月暂停", actor=book.clerk)
    # November: a dispute near its deadline, a promise broken, a new customer of a new salesperson, an invoice
    dispute_raise(invoice=xn0, amount_minor=1_000_00, reason_code="price", actor=book.collector,
                  raised_on=date(2026, 11, 2))
    promise_record(customer=book.xn, amount_minor=2_000_00, promised_on=date(2026, 11, 10),
                   made_on=date(2026, 11, 3), invoices=[xn0], actor=book.collector)
    promises_check(as_of=date(2026, 11, 11))
    newcomer = factories.user("sales_new", role="sales")
    with time_machine.travel(_beijing(date(2026, 11, 15), 10), tick=False):
        late = factories.customer("NEW001", name="新客户有限公司", salesperson=newcomer)
    invoice = factories.invoice(late, net=9_000_00, tax=0, issued=date(2026, 11, 15), number="INV-NEW-1",
                                actor=book.clerk)
    paid = factories.payment(late, amount=9_000_00, received=date(2026, 11, 20), number="RCV-NEW-1",
                             actor=book.clerk)
    services.payment_allocate(actor=book.clerk, payment=paid, lines=[AllocationRequest(invoice.pk, 9_000_00)],
                              on=date(2026, 11, 20))
    budget_create(actor=book.finance_manager, period=OCTOBER, collections_target_minor=20_000_00,
                  recovery_rate_target_bp=9_500)

    with translation.override("en"):
        report = monthly_report_data(month=OCTOBER, today=date(2026, 12, 4))

    assert report.as_of == date(2026, 10, 31) and not report.month_to_date
    assert report.holds.title == "Customers on credit hold on 2026-10-31"
    assert report.holds.rows == [["HD001 华东精密机械有限公司", "Manual hold", date(2026, 10, 28), "十月底暂停"]]
    assert report.disputes.rows == []
    assert report.broken_promises.rows == []
    assert report.aging_summary.column("total") == [AGING_TOTAL_OCTOBER]
    assert {line.key: line.value for line in report.kpis}["collections"] == 30_000_00
    assert "新客户有限公司" not in str(report.aging_customers.rows)
    team = {(row[0], row[1]): row for row in report.team.rows}
    assert ("Salesperson", "sales_new") not in team
    assert [row[2] for key, row in team.items() if key[0] == "Salesperson"] == [1, 1]
    # the budget's actuals are October's: 30,000.00 collected, against 20,000.00
    [line] = report.budget.rows
    assert (line[1], line[2]) == (20_000_00, 30_000_00)


@pytest.mark.django_db
def test_the_collection_rates_in_key_figures_team_and_budget(book):
    from arms.analytics.services import budget_create

    budget_create(actor=book.finance_manager, period=OCTOBER, recovery_rate_target_bp=9_500)
    with translation.override("en"):
        report = monthly_report_data(month=OCTOBER, today=TODAY)
    lines = {line.key: line for line in report.kpis}
    assert (lines["recovery_rate"].value, lines["dunning_success_rate"].value) == (Decimal("0.00"),
                                                                                   Decimal("24.14"))
    assert lines["recovery_rate"].label == "Recovery rate by due date (回收率)"
    keys = [c.key for c in report.team.columns]
    sales_a = next(row for row in report.team.rows if row[1] == "sales_a")
    assert (sales_a[keys.index("recovery_rate")], sales_a[keys.index("dunning_success_rate")]) == (
        Decimal("0.00"), Decimal("26.55"))
    keys = [c.key for c in report.budget.columns]
    [line] = report.budget.rows
    assert (line[keys.index("recovery_target")], line[keys.index("recovery")]) == (Decimal("95"), Decimal("0"))
    assert "recovery_rate" in [c.key for c in report.trend_table.columns]
