"""The aging summary read a page at a time (SQL LIMIT/OFFSET) is the whole summary: for every grouping and on a
past day, the pages put together equal the unpaginated rows, the rows add up to the separate totals, the rows equal
an independent sum over the open items, and the exported workbook, the API's pages and the web page's pages hold
the same rows."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from arms.accounts.services import token_create
from arms.analytics.aging import GROUP_BY, AgingRows, aging_items, aging_report, disputed_by_invoice
from arms.analytics.exports import aging_table
from arms.cases.services.disputes import dispute_raise
from arms.domain.money import BASE_CURRENCY, proportional_part, to_decimal
from arms.ledger import services
from arms.ledger.services.allocations import AllocationRequest
from arms.web.exports import export_response
from tests import factories
from tests.analytics.conftest import BOOK_DAY, ON_BOOK_DAY
from tests.vacuum import vacuumed

pytestmark = ON_BOOK_DAY

PAST = date(2026, 6, 30)  # a past month-end: some invoices below were paid after it


@pytest.fixture
def wide_book(db, company):
    """Fourteen customers over two salespeople (and none), a collector, three regions, two industries, grades and
    two currencies; invoices of several ages, some paid after ``PAST``, one disputed."""
    from arms.credit.models import CreditProfile
    from arms.credit.services.profiles import credit_profile_ensure

    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.10"))
    people = [factories.user("s1", role="sales"), factories.user("s2", role="sales"), None]
    collector = factories.user("k1", role="collector")
    regions, industries, grades = ["east", "south", "north"], ["manufacturing", "energy"], ["A", "B", "", None]
    invoices = []
    for n in range(14):
        customer = factories.customer(
            f"W{n:02d}", salesperson=people[n % 3], collector=collector if n % 2 else None,
            region=regions[n % 3], industry=industries[n % 2], currency="USD" if n % 5 == 4 else "CNY")
        grade = grades[n % 4]
        if grade is not None:
            credit_profile_ensure(customer)
            CreditProfile.objects.filter(customer=customer).update(grade=grade)
        for k in range(1 + n % 3):
            invoices.append(factories.invoice(customer, net=(n + 1) * 10_000_00 + k * 1_000_00, tax=0,
                                              issued=date(2026, 1, 5) + timedelta(days=37 * k + 11 * n)))
    for invoice in invoices[::4]:  # paid in full after the past month-end: open on PAST, not today
        payment = factories.payment(invoice.customer, amount=invoice.gross_minor, received=date(2026, 8, 3),
                                    currency=invoice.currency)
        services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk,
                                                                                        invoice.gross_minor)],
                                  on=date(2026, 8, 3))
    dispute_raise(invoice=invoices[1], amount_minor=3_000_00, reason_code="quality", actor=None,
                  raised_on=date(2026, 5, 2))
    return invoices


def _reference(*, as_of: date, group_by: str) -> dict[tuple[str, str], tuple[int, list[int], int, int]]:
    """{(key, currency): (items, buckets, disputed, CNY total)} summed item by item in Python: the long way."""
    disputed = disputed_by_invoice(as_of)
    report = aging_report(as_of=as_of, group_by=group_by)
    size = len(report.buckets)
    groups: dict = defaultdict(lambda: [0, [0] * size, 0, 0])
    for item in aging_items(as_of=as_of).select_related("customer__credit_profile"):
        customer = item.customer
        key = {
            "customer": str(customer.pk),
            "salesperson": str(customer.salesperson_id or "none"),
            "collector": str(customer.collector_id or "none"),
            "region": customer.region, "industry": customer.industry,
            "grade": (getattr(getattr(customer, "credit_profile", None), "grade", "") or "unrated"),
            "currency": item.currency,
        }[group_by]
        group = groups[(key, item.currency)]
        part = min(disputed.get(item.pk, 0), item.open_as_of)
        group[0] += 1
        group[1][item.bucket] += item.open_as_of - part
        group[2] += part
        group[3] += item.open_base_as_of
        assert proportional_part(item.open_base_as_of, item.open_as_of, part) <= item.open_base_as_of
    return {key: (n, buckets, part, base) for key, (n, buckets, part, base) in groups.items()}


def _figures(row) -> tuple:
    return (row.key, row.label, row.currency, row.count, row.buckets, row.base_buckets, row.disputed_minor,
            row.base_disputed_minor)


@pytest.mark.parametrize("as_of", [PAST, BOOK_DAY])
@pytest.mark.parametrize("group_by", GROUP_BY)
def test_pages_put_together_are_the_whole_summary_and_add_up_to_the_totals(wide_book, group_by, as_of):
    report = aging_report(as_of=as_of, group_by=group_by)
    everything = list(report.rows)
    pages = [row for start in range(0, len(report.rows) + 3, 3) for row in report.rows[start:start + 3]]

    assert [_figures(r) for r in pages] == [_figures(r) for r in everything]
    assert len(report.rows) == len(everything) == len({(r.key, r.currency) for r in everything})
    assert report.rows[len(everything) - 1].key == everything[-1].key
    by_currency: dict = defaultdict(lambda: [0, [0] * len(report.buckets), 0, 0])
    for row in everything:
        sums = by_currency[row.currency]
        sums[0] += row.count
        sums[1] = [a + b for a, b in zip(sums[1], row.buckets, strict=True)]
        sums[2] += row.disputed_minor
        sums[3] += row.base_total_minor
    assert {t.currency: [t.count, t.buckets, t.disputed_minor, t.base_total_minor] for t in report.totals} == \
        {currency: sums for currency, sums in by_currency.items()}
    assert report.base_total.total_minor == sum(t.base_total_minor for t in report.totals)
    assert {(r.key, r.currency): (r.count, r.buckets, r.disputed_minor, r.base_total_minor) for r in everything} == \
        _reference(as_of=as_of, group_by=group_by)
    totals = [r.total_minor for r in everything if r.currency == BASE_CURRENCY]
    assert totals == sorted(totals, reverse=True)


@pytest.mark.parametrize("as_of", [PAST, BOOK_DAY])
def test_the_rows_read_with_the_totals_are_the_first_rows_of_the_summary(wide_book, as_of, monkeypatch):
    """By customer the totals' statement also reads the first ``HEAD`` rows (ranked on their totals alone, bucket
    sums for those groups only): with a head shorter than the summary, the head, the pages after it and the
    totals are those of the grouped query and of the few-groups path (by currency: every row read at once)."""
    monkeypatch.setattr(AgingRows, "HEAD", 4)
    report = aging_report(as_of=as_of, group_by="customer")
    head = report.rows[0:4]
    everything = list(report.rows)
    assert len(everything) > 4
    assert [_figures(r) for r in head] == [_figures(r) for r in everything[:4]]
    assert [_figures(r) for r in report.rows[2:7]] == [_figures(r) for r in everything[2:7]]
    by_currency = aging_report(as_of=as_of, group_by="currency")
    assert [_figures(t) for t in report.totals] == [_figures(t) for t in by_currency.totals]
    assert _figures(report.base_total) == _figures(by_currency.base_total)


def test_a_past_month_end_differs_from_today_and_holds_the_disputed_part(wide_book):
    past, today = aging_report(as_of=PAST), aging_report(as_of=BOOK_DAY)
    assert sum(t.count for t in past.totals) > sum(t.count for t in today.totals)
    assert past.base_total.disputed_minor == 3_000_00


@pytest.mark.parametrize("totals_read", [True, False], ids=["totals-read", "totals-from-rows"])
@pytest.mark.parametrize("group_by", GROUP_BY)
def test_the_exported_workbook_holds_every_row_and_the_totals(wide_book, group_by, totals_read):
    """The export view makes its report without the totals (``totals=False``) and sums them from the rows it
    writes: the same workbook as from the totals read."""
    report = aging_report(as_of=PAST, group_by=group_by)
    exported = aging_report(as_of=PAST, group_by=group_by, totals=totals_read)
    assert exported.totals_from_rows is not totals_read
    response = export_response("xlsx", "aging", aging_table(exported))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    size = len(report.buckets)
    expected = [[row.label, row.key, row.currency, row.count, *[to_decimal(v, row.currency) for v in row.buckets],
                 to_decimal(row.disputed_minor, row.currency), to_decimal(row.total_minor, row.currency)]
                for row in [*report.rows, *report.totals, report.base_total]]
    got = [[line[0], line[1], line[2], line[3], *[Decimal(str(v)) for v in line[4:4 + size + 2]]]
           for line in lines if line[1] not in (None, "Key")]
    assert [g[:3] for g in got] == [[str(e[0]), e[1], e[2]] for e in expected]
    assert [g[3:] for g in got] == [e[3:] for e in expected]


def test_an_exports_totals_summed_from_its_rows_exist_only_once_the_rows_are_written(wide_book):
    table = aging_table(aging_report(as_of=PAST, group_by="customer", totals=False))
    with pytest.raises(RuntimeError, match="write the rows first"):
        list(table.footer)
    rows = list(table.rows)
    footer = list(table.footer)
    report = aging_report(as_of=PAST, group_by="customer")
    assert len(rows) == len(report.rows)
    assert [line[2:] for line in footer] == [line[2:] for line in aging_table(report).footer]
    by_hand: dict = defaultdict(lambda: [0, Decimal(0), Decimal(0)])  # items, total, CNY total: summed here
    for line in rows:
        sums = by_hand[line[2]]
        sums[0] += line[3]
        sums[1] += line[-2]
        sums[2] += line[-1]
    assert {line[2]: [line[3], line[-2], line[-1]] for line in footer[:-1]} == by_hand
    assert footer[-1][3:] == [sum(s[0] for s in by_hand.values()), *footer[-1][4:-1],
                              sum(s[2] for s in by_hand.values())]


def test_the_web_export_of_the_aging_has_the_totals_of_the_page(wide_book, client):
    client.force_login(factories.user("fm3", role="finance_manager"))
    params = {"as_of": str(PAST), "group_by": "customer"}
    response = client.get("/analytics/aging/", {**params, "export": "csv"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    page = client.get("/analytics/aging/", params).context["report"]
    totals = [line.split(",") for line in lines[-len(page.totals) - 1:]]
    assert [(t[2], t[3], t[-1]) for t in totals] == \
        [(t.currency, str(t.count), str(to_decimal(t.base_total_minor))) for t in [*page.totals, page.base_total]]


@pytest.fixture
def api(db):
    user = factories.user("fm", role="finance_manager")
    _token, secret = token_create(username=user.username, name="tests")
    client = Client()
    return lambda params: client.get("/api/v1/analytics/aging", params, headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize("group_by", GROUP_BY)
def test_the_api_pages_are_the_whole_summary(wide_book, api, group_by):
    params = {"as_of": str(PAST), "group_by": group_by}
    whole = api(params)
    assert whole.status_code == 200
    whole = whole.json()
    pages = []
    for offset in range(0, whole["count"] + 2, 2):
        page = api({**params, "limit": 2, "offset": offset}).json()
        assert (page["count"], page["limit"], page["offset"]) == (whole["count"], 2, offset)
        assert page["totals"] == whole["totals"] and page["base_total"] == whole["base_total"]
        pages += page["rows"]
    assert pages == whole["rows"] and len(pages) == whole["count"]
    report = aging_report(as_of=PAST, group_by=group_by)
    assert [(r["key"], r["currency"], r["buckets_minor"]) for r in pages] == \
        [(r.key, r.currency, r.buckets) for r in report.rows]


def test_the_api_refuses_an_unbounded_page(wide_book, api):
    response = api({"limit": 0})
    assert response.status_code == 422
    assert "limit" in json.dumps(response.json())


def test_the_web_pages_are_the_whole_summary(wide_book, client):
    client.force_login(factories.user("fm2", role="finance_manager"))
    report = aging_report(as_of=PAST, group_by="customer")
    shown = []
    for number in (1, 2):
        response = client.get("/analytics/aging/", {"as_of": str(PAST), "group_by": "customer", "per_page": 10,
                                                    "page": number})
        assert response.status_code == 200
        shown += [_figures(r) for r in response.context["page"].object_list]
        assert [_figures(t) for t in response.context["report"].totals] == [_figures(t) for t in report.totals]
    assert shown == [_figures(r) for r in report.rows]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="covering indexes and the visibility map are PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_a_vacuumed_book_todays_facts_are_read_once_per_use_with_the_same_figures(wide_book, monkeypatch):
    """Once a vacuum has marked the invoice table all-visible, today's by-customer head reads the open items from
    their covering index once for each of its three uses (``NOT MATERIALIZED``) instead of once into a temporary
    store; a past day, which joins the later allocations to every invoice, keeps the store. Both ways give the same
    head, totals and count."""
    vacuumed("ledger_invoice")
    monkeypatch.setattr(AgingRows, "HEAD", 4)

    def read(as_of: date) -> tuple:
        report = aging_report(as_of=as_of, group_by="customer")
        return (len(report.rows), [_figures(r) for r in report.rows[0:4]], [_figures(t) for t in report.totals],
                _figures(report.base_total))

    assert aging_report(as_of=BOOK_DAY, group_by="customer").rows._facts_kept() == "NOT MATERIALIZED "
    assert aging_report(as_of=PAST, group_by="customer").rows._facts_kept() == ""
    read_once_per_use = read(BOOK_DAY)
    monkeypatch.setattr(AgingRows, "_facts_kept", lambda self: "")
    assert read(BOOK_DAY) == read_once_per_use
    assert read_once_per_use[0] > 4 and read_once_per_use[1][0][3] > 0
