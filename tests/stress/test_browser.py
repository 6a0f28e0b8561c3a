"""Stress tests in a real browser: the finance manager saves a scenario, runs it and reads the results with the
chart of base against stressed cash-in."""

from __future__ import annotations

import pytest

from arms.stress.models import Scenario, ScenarioRun
from tests.web.browser import chromium_page, expect, live_server_requests_finish
from tests.web.conftest import flushable_ledger  # noqa: F401  (empties the ledger after a live-server test)
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger"), pytest.mark.clock("2026-10-20")]


@pytest.fixture
def page(flushable_ledger, live_server, book):  # noqa: F811
    with chromium_page() as page:
        yield page
    live_server_requests_finish()


def test_save_run_and_read_a_scenario(page, live_server, book):
    log_in(page, live_server, "finmgr")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/stress/")
    page.click("#new-scenario")
    page.fill("#id_name", "全部延迟30天+最大客户违约")
    page.fill("#id_slip_share", "100")
    page.select_option("#id_slip_days", "30")
    page.fill("#id_default_top_n", "1")
    page.click("#scenario-form button[type=submit]")
    scenario = Scenario.objects.get(is_standard=False)
    page.wait_for_url(f"{live_server.url}/stress/scenarios/{scenario.pk}/")
    page.fill("#id_as_of", "2026-10-20")
    page.click("#run-button")
    run = ScenarioRun.objects.get()
    page.wait_for_url(f"{live_server.url}/stress/runs/{run.pk}/")
    expect(page.locator("#summary-table")).to_contain_text("-1,000.00")
    expect(page.locator("svg").first).to_be_visible()
    expect(page.locator("#defaulted-table")).to_contain_text("BIG")
    assert run.stressed_minimum_minor == -100_000
