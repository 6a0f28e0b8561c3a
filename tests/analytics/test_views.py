"""The analytics pages: filters, htmx partials and drill-down, exports, permissions, budgets by form."""

from __future__ import annotations

import csv
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from arms.analytics.models import Budget
from tests import factories
from tests.analytics.conftest import ON_BOOK_DAY

pytestmark = ON_BOOK_DAY


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager(db):
    return factories.user("fm", role="finance_manager")


def test_aging_page_partial_and_drill_down(book, manager):
    client = _client(manager)
    page = client.get("/analytics/aging/", {"as_of": "2026-04-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "78,200.00" in html and "21,700.00" in html and 'id="drill"' in html
    assert 'href="/analytics/"' in html  # the nav link

    partial = client.get("/analytics/aging/", {"as_of": "2026-04-30", "group_by": "region"},
                         headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert "East China" in partial.content.decode()

    drill = client.get("/analytics/aging/items/", {"as_of": "2026-04-30", "key": str(book["a"].pk), "bucket": "3"},
                       headers={"HX-Request": "true"})
    assert drill.status_code == 200
    text = drill.content.decode()
    assert "INV-A1" in text and "INV-A2" not in text


def test_aging_exports(book, manager):
    client = _client(manager)
    response = client.get("/analytics/aging/", {"as_of": "2026-04-30", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Group", "Key", "Currency", "Items")
    assert any(r[2] == "CNY" and float(r[-2]) == 78_200.00 for r in rows[1:])

    csv_text = b"".join(client.get("/analytics/aging/items/", {"as_of": "2026-04-30", "export": "csv"})
                        .streaming_content).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Invoice,Customer code")
    assert len(csv_text.splitlines()) == 4  # header + A1, A2, B1


def test_bad_filters_are_a_400_naming_the_field(book, manager):
    response = _client(manager).get("/analytics/aging/", {"as_of": "2026-04-30", "buckets": "90,30"})
    assert response.status_code == 400
    assert 'id="error-buckets"' in response.content.decode()


def test_kpi_page_with_trend_chart_and_exports(book, manager):
    client = _client(manager)
    page = client.get("/analytics/kpis/", {"start": "2026-02-01", "end": "2026-04-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-kpi="cei"' in html and "53.43%" in html and "<svg" in html and "polyline" in html
    export = client.get("/analytics/kpis/", {"start": "2026-02-01", "end": "2026-04-30", "export": "csv"})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert "Collection effectiveness index (CEI),cei,53.43,%" in lines
    trend = client.get("/analytics/kpis/", {"start": "2026-02-01", "end": "2026-04-30", "export": "xlsx",
                                            "table": "trend"})
    rows = list(load_workbook(BytesIO(trend.getvalue())).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]][-3:] == ["2026-02", "2026-03", "2026-04"]


def test_team_page_is_for_managers(book, manager):
    assert _client(book["sam"]).get("/analytics/team/", {"start": "2026-02-01", "end": "2026-04-30"}) \
        .status_code == 403
    page = _client(manager).get("/analytics/team/", {"start": "2026-02-01", "end": "2026-04-30"})
    assert page.status_code == 200
    assert "sam" in page.content.decode() and "cole" in page.content.decode()


def test_sales_pages_show_only_their_customers(book):
    html = _client(book["sam"]).get("/analytics/aging/", {"as_of": "2026-04-30"}).content.decode()
    assert "78,200.00" in html and "630.00" not in html


def test_budgets_by_form(book, manager):
    client = _client(manager)
    response = client.post("/analytics/budgets/", {"month": "2026-03", "scope": "company",
                                                   "collections_target": "50,000.00", "dso_target_days": "45",
                                                   "overdue_ratio_target": "12.5"})
    assert response.status_code == 302, response.content.decode()[:2000]
    budget = Budget.objects.get()
    assert (budget.collections_target_minor, budget.overdue_ratio_target_bp) == (50_000_00, 1250)
    page = client.get("/analytics/budgets/", {"year": "2026"}).content.decode()
    assert "60,100.00" in page and "12.50%" in page

    again = client.post("/analytics/budgets/", {"month": "2026-03", "scope": "company", "collections_target": "1"})
    assert again.status_code == 400
    assert 'id="error-month"' in again.content.decode()

    edit = client.post(f"/analytics/budgets/{budget.pk}/", {"collections_target": "70,000", "note": "旺季"})
    assert edit.status_code == 302
    budget.refresh_from_db()
    assert (budget.collections_target_minor, budget.note, budget.overdue_ratio_target_bp) == (70_000_00, "旺季", None)

    assert _client(book["sam"]).post("/analytics/budgets/", {"month": "2026-04", "scope": "company",
                                                             "collections_target": "1"}).status_code == 404
    assert _client(book["sam"]).post(f"/analytics/budgets/{budget.pk}/delete/").status_code == 403
    assert client.post(f"/analytics/budgets/{budget.pk}/delete/").status_code == 302
    assert not Budget.objects.exists()


def test_the_collection_rates_on_the_kpi_team_and_budget_pages(recovery_book, manager):
    client = _client(manager)
    html = client.get("/analytics/kpis/", {"start": "2026-10-01", "end": "2026-10-31"}).content.decode()
    card = html.split('data-kpi="recovery_rate"')[1][:300]
    assert "Recovery rate by due date (回收率)" in card and "80.51%" in card
    assert "62.18%" in html.split('data-kpi="dunning_success_rate"')[1][:300]
    assert 'id="kpi-trend-recovery_rate"' in html
    team = client.get("/analytics/team/", {"start": "2026-10-01", "end": "2026-10-31"}).content.decode()
    assert "Dunning success rate (催收成功率)" in team and "57.63%" in team and "81.82%" in team
    export = client.get("/analytics/team/", {"start": "2026-10-01", "end": "2026-10-31", "export": "csv"})
    rows = list(csv.reader(b"".join(export.streaming_content).decode("utf-8-sig").splitlines()))
    sam = dict(zip(rows[0], next(r for r in rows if r[1] == "sam"), strict=True))
    assert (sam["Dunning success rate (催收成功率) %"], sam["Recovery rate (回收率) %"],
            sam["Collection score"]) == ("57.63", "81.82", "57.63")

    response = client.post("/analytics/budgets/", {"month": "2026-10", "scope": "company",
                                                   "recovery_rate_target": "95"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Budget.objects.get().recovery_rate_target_bp == 9500
    page = client.get("/analytics/budgets/", {"year": "2026"}).content.decode()
    assert "95.00%" in page and 'an-missed">80.51%' in page
    workbook = client.get("/analytics/budgets/", {"year": "2026", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(b"".join(workbook.streaming_content))).active.iter_rows(values_only=True))
    columns = dict(zip(rows[0], rows[1], strict=True))
    assert (columns["Recovery rate target %"], columns["Recovery rate (回收率) %"]) == (95, 80.51)  # as Excel reads
