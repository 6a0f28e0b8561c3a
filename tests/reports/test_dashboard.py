"""The dashboard per role: each sees its panels, for the customers it may see; every table exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from arms.credit.models import CreditProfile
from arms.reports.selectors.dashboard import dashboard_panels
from tests import factories
from tests.reports.conftest import ON_BOOK_DAY
from tests.web.conftest import PASSWORD

pytestmark = ON_BOOK_DAY
AS_OF = "2026-10-31"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def panel_ids(html: str) -> list[str]:
    return re.findall(r'id="panel-([a-z_0-9]+)"', html)


@pytest.mark.django_db
def test_a_salesperson_sees_only_their_own_customers_figures(client, book):
    clerk = login(client, book.clerk).get("/reports/", {"as_of": AS_OF}).content.decode()
    client.logout()
    sales = login(client, book.sales_a).get("/reports/", {"as_of": AS_OF}).content.decode()
    # receivables on 31 Oct: everyone's 102,210.00; sales_a's customer HD's 88,650.00
    assert "¥102,210.00" in clerk and "¥88,650.00" not in clerk.split('id="tile-receivables"')[1][:400]
    tile = sales.split('id="tile-receivables"')[1][:400]
    assert "¥88,650.00" in tile
    assert "西南物流" not in sales and "西南物流" in clerk


@pytest.mark.django_db
def test_each_role_gets_its_panels(client, book):
    credit = factories.user("cm", role="credit_manager")
    legal = factories.user("lg", role="legal")
    expected = {
        book.sales_a: ["headline", "aging", "dso_trend", "collections_target", "top_overdue"],
        book.collector: ["headline", "aging", "dso_trend", "collections_target", "top_overdue", "worklist",
                         "promises_due"],
        credit: ["headline", "aging", "dso_trend", "collections_target", "top_overdue", "grade_mix", "holds"],
        legal: ["headline", "aging", "dso_trend", "collections_target", "top_overdue", "legal"],
        book.executive: ["headline", "aging", "dso_trend", "collections_target", "top_overdue", "kpis", "team"],
        book.clerk: ["headline", "aging", "dso_trend", "collections_target", "top_overdue", "kpis"],
    }
    for user, panels in expected.items():
        client.logout()
        response = login(client, user).get("/reports/", {"as_of": AS_OF})
        assert response.status_code == 200
        assert panel_ids(response.content.decode()) == panels, user.username


@pytest.mark.django_db
def test_a_broken_panel_fails_loudly_instead_of_vanishing(book, monkeypatch):
    """A typo in a panel's read (here an AttributeError from the credit profiles' query) is a bug: it raises,
    where it used to be swallowed and the credit manager's grade mix silently left the dashboard."""
    credit = factories.user("cm", role="credit_manager")
    assert "grade_mix" in [p.key for p in dashboard_panels(user=credit, as_of=date.fromisoformat(AS_OF))]

    def typo(*args, **kwargs):
        raise AttributeError("'CreditProfile' object has no attribute 'grde'")

    monkeypatch.setattr(CreditProfile.objects, "filter", typo)
    with pytest.raises(AttributeError, match="grde"):
        dashboard_panels(user=credit, as_of=date.fromisoformat(AS_OF))


@pytest.mark.django_db
def test_the_dashboard_draws_its_charts_as_inline_svg_with_tables_beside_them(client, book):
    html = login(client, book.clerk).get("/reports/", {"as_of": AS_OF}).content.decode()
    for chart in ("chart-aging", "chart-dso", "chart-top-overdue", "chart-collections"):
        assert re.search(rf'<svg xmlns="http://www.w3.org/2000/svg" class="chart [^"]+" id="{chart}"', html)
    assert 'id="table-aging_history"' in html
    assert "<script" not in html.split("<main")[1]  # no chart library


@pytest.mark.django_db
def test_the_collector_sees_their_worklist(client, book):
    html = login(client, book.collector).get("/reports/", {"as_of": AS_OF}).content.decode()
    tile = html.split('id="tile-my_overdue"')[1][:300]
    assert "¥88,650.00" in tile  # HD, the collector's customer: 83,000.00 + 5,650.00 overdue


@pytest.mark.django_db
def test_a_table_exports_to_excel_and_csv_with_exact_amounts(client, book):
    login(client, book.clerk)
    response = client.get("/reports/export/top_overdue.xlsx", {"as_of": AS_OF})
    assert response.status_code == 200
    assert response["Content-Disposition"] == ("attachment; filename=\"arms-top_overdue-20261031.xlsx\"; "
                                               "filename*=UTF-8''arms-top_overdue-20261031.xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Customer", "Overdue (CNY)", "Open (CNY)"]
    assert rows[1][:3] == ["HD001 华东精密机械有限公司", 88650, 88650]
    response = client.get("/reports/export/aging.csv", {"as_of": AS_OF})
    lines = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert lines[-1][0] == "2026-10" and lines[-1][-1] == "102210.00"


@pytest.mark.django_db
def test_a_salespersons_export_is_their_own_and_other_roles_panels_are_not_found(client, book):
    login(client, book.sales_a)
    response = client.get("/reports/export/top_overdue.csv", {"as_of": AS_OF})
    text = response.getvalue().decode("utf-8-sig")
    assert response.status_code == 200 and "华东精密" in text and "西南物流" not in text
    assert client.get("/reports/export/kpis.csv", {"as_of": AS_OF}).status_code == 404
    assert client.get("/reports/export/nothing.csv").status_code == 404


@pytest.mark.django_db
def test_htmx_gets_only_the_body_and_a_bad_date_is_a_400(client, book):
    login(client, book.clerk)
    response = client.get("/reports/", {"as_of": AS_OF}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="dashboard-body">') and "<html" not in html
    response = client.get("/reports/", {"as_of": "2026-13-01"})
    assert response.status_code == 400 and 'id="as-of-error"' in response.content.decode()


@pytest.mark.django_db
def test_the_nav_links_the_dashboard(client, book):
    html = login(client, book.sales_a).get("/").content.decode()
    assert 'href="/reports/"' in html


@pytest.mark.django_db
def test_the_dashboard_as_data_for_a_salesperson_is_their_own(client, book):
    login(client, book.sales_a)
    body = client.get("/api/v1/reports/dashboard", {"as_of": AS_OF}).json()
    assert body["as_of"] == AS_OF
    assert [p["key"] for p in body["panels"]] == ["headline", "aging", "dso_trend", "collections_target",
                                                   "top_overdue"]
    top = next(p for p in body["panels"] if p["key"] == "top_overdue")
    assert top["columns"][1] == {"key": "overdue", "label": "Overdue (CNY)", "kind": "money"}
    assert top["rows"] == [["HD001 华东精密机械有限公司", 88_650_00, 88_650_00, "91-180 days"]]
    assert client.get("/api/v1/reports/dashboard", {"as_of": "2999-01-01"}).json()["error"]["field"] == "as_of"


@pytest.mark.django_db
def test_the_headline_exports_numbers_not_text(client, book):
    login(client, book.sales_a)
    response = client.get("/reports/export/headline.xlsx", {"as_of": AS_OF})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header, values = ([c.value for c in row] for row in list(sheet.iter_rows())[0:2])
    assert dict(zip(header, values, strict=True))["Receivables at the end"] == 88650


@pytest.mark.django_db
def test_the_headline_and_the_collectors_worklist_show_the_collection_rates(client, book):
    # October: of what fell due (INV-HD-2, 5,650.00 due 20 Oct, paid 5 Nov) nothing by its due date; of the
    # 124,300.00 overdue on 1 October (INV-HD-1 113,000.00, INV-XN-0 11,300.00) 30,000.00 collected
    html = login(client, book.clerk).get("/reports/", {"as_of": AS_OF}).content.decode()
    tile = html.split('id="tile-recovery_rate"')[1][:400]
    assert "Recovery rate by due date (回收率)" in tile and "0.0%" in tile
    assert "Dunning success rate 24.1%" in tile
    client.logout()
    html = login(client, book.collector).get("/reports/", {"as_of": AS_OF}).content.decode()
    tile = html.split('id="tile-my_dunning_success"')[1][:400]
    # HD only: 30,000.00 of 113,000.00 = 26.55% (analytics' two places), shown to one place as the dashboard does
    assert "26.6%" in tile and "Recovery rate 0.0%" in tile
