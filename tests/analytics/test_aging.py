"""Aging as of any day, reconstructed from the ledger, tied to the 1122 journal."""

from __future__ import annotations

from datetime import date

import pytest

from arms.analytics import selectors
from arms.analytics.aging import AgingFilters, aging_invoices, aging_report
from arms.common.errors import ValidationFailed
from tests.analytics.conftest import ON_BOOK_DAY

pytestmark = ON_BOOK_DAY


def _open(as_of):
    return {inv.number: inv.open_as_of for inv in selectors.open_items_as_of(as_of)}


def test_open_amounts_are_what_was_open_on_the_day(book):
    assert _open(date(2026, 1, 9)) == {}
    assert _open(date(2026, 1, 31)) == {"INV-A1": 113_000_00, "INV-B1": 1_130_00}
    assert _open(date(2026, 2, 20)) == {"INV-A1": 63_000_00, "INV-A2": 56_500_00, "INV-B1": 1_130_00}
    assert _open(date(2026, 3, 5)) == {"INV-A1": 51_700_00, "INV-A2": 56_500_00, "INV-B1": 1_130_00}
    # A2 settled on 20 March, the allocation undone on 10 April
    assert _open(date(2026, 3, 31)) == {"INV-A1": 51_700_00, "INV-B1": 630_00}
    assert _open(date(2026, 4, 10)) == {"INV-A1": 51_700_00, "INV-A2": 56_500_00, "INV-B1": 630_00}
    # the bill settles 30,000 of A1 on 15 April and bounces on 5 May
    assert _open(date(2026, 4, 30)) == {"INV-A1": 21_700_00, "INV-A2": 56_500_00, "INV-B1": 630_00}
    assert _open(date(2026, 5, 5)) == {"INV-A1": 51_700_00, "INV-A2": 56_500_00, "INV-B1": 630_00}


DAYS = [date(2026, 1, 10), date(2026, 1, 31), date(2026, 2, 20), date(2026, 3, 5), date(2026, 3, 20),
        date(2026, 3, 31), date(2026, 4, 10), date(2026, 4, 15), date(2026, 4, 30), date(2026, 5, 5),
        date(2026, 12, 31)]


def test_the_three_ways_to_the_receivables_balance_agree(book):
    """On every day a document moved: the fast open amounts, the long reconstruction, the 1122 journal."""
    for as_of in DAYS:
        fast = selectors.open_totals_as_of(as_of)
        slow = selectors.open_totals_as_of(as_of, reconstructed=True)
        journal = selectors.journal_receivables_as_of(as_of)
        assert fast == slow, as_of
        assert {cur: t["base"] for cur, t in fast.items()} == journal, as_of
        report = aging_report(as_of=as_of, group_by="customer")
        assert {t.currency: t.total_minor for t in report.totals} == {cur: t["open"] for cur, t in fast.items()}
        assert report.base_total.total_minor == sum(journal.values())


def test_aging_by_due_date_puts_each_item_in_its_bucket(book):
    report = aging_report(as_of=date(2026, 4, 30), group_by="customer")
    assert report.bucket_keys == ["current", "1-30", "31-60", "61-90", "91-180", "181-365", "366-730", "731+"]
    [a_row, b_row] = report.rows
    # A1 due 9 Feb: 80 days overdue; A2 due 17 March: 44 days overdue
    assert (a_row.key, a_row.currency, a_row.buckets) == (
        str(book["a"].pk), "CNY", [0, 0, 56_500_00, 21_700_00, 0, 0, 0, 0])
    assert a_row.label == f"A {book['a'].name}"
    assert a_row.count == 2
    # B1 due 19 Feb: 70 days; USD 630.00 open, in CNY 8,023.00 less what 500.00 relieved at 7.10
    assert (b_row.currency, b_row.buckets) == ("USD", [0, 0, 0, 630_00, 0, 0, 0, 0])
    assert b_row.base_total_minor == 8_023_00 - 3_550_00
    assert [t.currency for t in report.totals] == ["CNY", "USD"]
    assert report.base_total.base_buckets == [0, 0, 56_500_00, 21_700_00 + 4_473_00, 0, 0, 0, 0]


def test_aging_by_invoice_date_and_custom_buckets(book):
    report = aging_report(as_of=date(2026, 4, 30), basis="invoice", buckets="60,100", group_by="currency")
    assert report.bucket_keys == ["0-60", "61-100", "101+"]
    cny = next(r for r in report.rows if r.currency == "CNY")
    # A1 issued 10 Jan: 110 days; A2 issued 15 Feb: 74 days
    assert cny.buckets == [0, 56_500_00, 21_700_00]
    assert cny.key == "CNY"


def test_group_by_salesperson_region_industry_grade(book):
    as_of = date(2026, 4, 30)
    by_person = {r.label: r.total_minor for r in aging_report(as_of=as_of, group_by="salesperson").rows}
    assert by_person == {"sam": 78_200_00, "sally": 630_00}
    by_collector = {r.key: r.total_minor for r in aging_report(as_of=as_of, group_by="collector").rows}
    assert by_collector == {str(book["cole"].pk): 78_200_00, "none": 630_00}
    by_region = {r.key: r.total_minor for r in aging_report(as_of=as_of, group_by="region").rows}
    assert by_region == {"east": 78_200_00, "south": 630_00}
    by_grade = {(r.key, r.currency) for r in aging_report(as_of=as_of, group_by="grade").rows}
    assert by_grade == {("unrated", "CNY"), ("unrated", "USD")}


def test_filters_and_visibility(book):
    as_of = date(2026, 4, 30)
    only_usd = aging_report(as_of=as_of, filters=AgingFilters(currency="USD"))
    assert [r.currency for r in only_usd.rows] == ["USD"]
    south = aging_report(as_of=as_of, filters=AgingFilters(region="south"))
    assert [r.key for r in south.rows] == [str(book["b"].pk)]
    mine = aging_report(as_of=as_of, user=book["sam"])
    assert [r.key for r in mine.rows] == [str(book["a"].pk)]


def test_drill_down_lists_the_items_of_a_group_and_bucket(book):
    as_of = date(2026, 4, 30)
    items = aging_invoices(as_of=as_of, group_by="customer", key=str(book["a"].pk))
    assert [(i.number, i.open_as_of, i.bucket) for i in items] == [("INV-A1", 21_700_00, 3), ("INV-A2", 56_500_00, 2)]
    assert [i.number for i in aging_invoices(as_of=as_of, bucket=3)] == ["INV-A1", "INV-B1"]
    assert list(aging_invoices(as_of=as_of, group_by="customer", key=str(book["a"].pk), user=book["sally"])) == []


def test_bad_input_names_the_field(book):
    with pytest.raises(ValidationFailed) as exc:
        aging_report(as_of=date(2026, 4, 30), group_by="planet")
    assert exc.value.field == "group_by"
    with pytest.raises(ValidationFailed) as exc:
        aging_report(as_of=date(2026, 4, 30), buckets="60,30")
    assert exc.value.field == "buckets"
    with pytest.raises(ValidationFailed) as exc:
        aging_report(as_of=date(2026, 4, 30), basis="moon")
    assert exc.value.field == "basis"


def test_group_and_filter_by_credit_grade(book):
    from arms.credit.models import CreditProfile
    from arms.credit.services.profiles import credit_profile_ensure

    credit_profile_ensure(book["a"])
    CreditProfile.objects.filter(customer=book["a"]).update(grade="B")  # as an accepted rating leaves it
    as_of = date(2026, 4, 30)
    by_grade = {(r.key, r.label, r.currency): r.total_minor for r in aging_report(as_of=as_of, group_by="grade").rows}
    assert by_grade == {("B", "B", "CNY"): 78_200_00, ("unrated", "Unrated", "USD"): 630_00}
    assert [r.key for r in aging_report(as_of=as_of, filters=AgingFilters(grade="unrated")).rows] == [
        str(book["b"].pk)]
    assert [r.key for r in aging_report(as_of=as_of, filters=AgingFilters(grade="B")).rows] == [str(book["a"].pk)]
    assert [i.number for i in aging_invoices(as_of=as_of, group_by="grade", key="unrated")] == ["INV-B1"]
