"""Chromium loads the dashboard and sees the SVG charts; changing the as-of date reloads the panels by htmx."""

from __future__ import annotations

import pytest

from tests.reports.conftest import ON_BOOK_DAY
from tests.web.browser import chromium_page, expect, nav_click
from tests.web.conftest import (  # noqa: F401  (the live server's flush on SQLite)
    PASSWORD,
    flushable_ledger,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger"), ON_BOOK_DAY]


@pytest.fixture
def page(flushable_ledger, live_server, book):  # noqa: F811
    with chromium_page(timeout_ms=15_000) as page:
        yield page


def test_the_dashboard_shows_svg_charts_and_reloads_for_another_day(page, live_server, book):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")
    nav_click(page, "/reports/")
    expect(page.locator("h1")).to_have_text("仪表盘")

    for chart in ("#chart-aging", "#chart-dso", "#chart-top-overdue", "#chart-collections"):
        expect(page.locator(f"svg{chart}")).to_be_visible()
    assert page.locator("#chart-aging rect[data-series]").count() > 0
    assert page.locator("#chart-aging").get_attribute("role") == "img"

    page.fill("#id_as_of", "2026-10-31")
    page.locator("#id_as_of").dispatch_event("change")
    expect(page.locator("#tile-receivables")).to_contain_text("102,210.00")
    assert "as_of=2026-10-31" in page.url
    bars = page.locator("#chart-top-overdue rect")
    expect(bars).to_have_count(2)

    page.locator("#panel-top_overdue summary").click()
    expect(page.locator("#table-top_overdue")).to_contain_text("华东精密机械有限公司")
