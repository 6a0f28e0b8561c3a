"""Chromium loads the dashboard and sees the SVG charts; changing the as-of date reloads the panels by htmx."""

from __future__ import annotations

import os

import pytest
from django.db import connections

from tests.reports.conftest import ON_BOOK_DAY
from tests.web.conftest import (  # noqa: F401  (the live server's flush on SQLite)
    PASSWORD,
    flushable_ledger,
    live_server_requests_finish,
)

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"the browser tests drive Debian's chromium and {CHROMIUM} is missing", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need the playwright package")
expect = playwright_api.expect
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger"), ON_BOOK_DAY]


@pytest.fixture
def page(flushable_ledger, live_server, book):  # noqa: F811
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                                    "--disable-background-networking"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            browser.close()
            live_server_requests_finish()
            connections.close_all()


def test_the_dashboard_shows_svg_charts_and_reloads_for_another_day(page, live_server, book):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.click("nav.mainnav a[href='/reports/']")
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
