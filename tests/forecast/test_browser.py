"""The cash-in forecast in a real browser, in Chinese: the finance manager runs the 13-week forecast from its page
and reads the chart with its band and the table by week."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from arms.forecast.models import Forecast
from tests import factories
from tests.web.browser import chromium_page, expect, live_server_requests_finish
from tests.web.conftest import flushable_ledger  # noqa: F401  (empties the ledger after a live-server test)
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def page(flushable_ledger, live_server):  # noqa: F811
    with chromium_page() as page:
        yield page
    live_server_requests_finish()


def test_run_the_forecast_and_read_the_chart_and_the_table(page, live_server):
    today = timezone.localdate()
    factories.user("finmgr", role="finance_manager")
    customer = factories.customer("FC001", name="华东预测客户有限公司", payment_terms_days=30)
    factories.invoice(customer, issued=today - timedelta(days=10), net=1_000_000, tax=130_000)
    factories.invoice(customer, issued=today - timedelta(days=45), net=500_000, tax=65_000)

    log_in(page, live_server, "finmgr")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/forecast/")
    expect(page.locator("#no-forecast")).to_be_visible()
    page.click("#run-button")
    page.wait_for_url(f"{live_server.url}/forecast/?granularity=week")
    forecast = Forecast.objects.get()
    assert forecast.open_minor == 1_695_000
    expect(page.locator("#forecast-chart-figure svg polygon.band")).to_have_count(1)
    expect(page.locator("#forecast-chart-figure svg g.line circle")).to_have_count(13)
    expect(page.locator("#bucket-table tbody tr[data-seq]")).to_have_count(13)
    expect(page.locator("#forecast-summary")).to_contain_text("16,950.00")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    heading = page.locator("h1").inner_text()
    assert heading and not any("a" <= ch.lower() <= "z" for ch in heading), heading  # 现金流预测, once compiled
