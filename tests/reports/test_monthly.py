"""The monthly report's figures are analytics' figures for the month, and the aging total is the hand-computed one."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from arms.analytics.aging import aging_report
from arms.analytics.kpis import kpi_values
from arms.reports.monthly import monthly_report_data
from tests.reports.conftest import AGING_TOTAL_OCTOBER, BUCKETS_OCTOBER, OCTOBER, ON_BOOK_DAY, TODAY

pytestmark = ON_BOOK_DAY


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
