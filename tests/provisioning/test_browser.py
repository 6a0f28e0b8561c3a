"""The allowance in a real browser: the finance manager previews last-but-two month end's run, posts it, and reads
the report (per customer and band, then recompute and compare)."""

from __future__ import annotations

import pytest

from arms.provisioning.models import ProvisionRun
from tests.web.browser import chromium_page, expect, live_server_requests_finish, nav_click
from tests.web.conftest import flushable_ledger  # noqa: F401  (empties the ledger after a live-server test)
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def page(flushable_ledger, live_server, book):  # noqa: F811
    with chromium_page() as page:
        yield page
    live_server_requests_finish()


def test_preview_post_and_read_the_report(page, live_server, book):
    log_in(page, live_server, "finmgr")
    page.wait_for_url(f"{live_server.url}/")
    nav_click(page, "/provisioning/")
    expect(page.locator("#band-table tbody tr")).to_have_count(4)
    page.fill("#id_as_of", book.e1.isoformat())
    page.click("#preview-button")
    expect(page.locator("#preview-required")).to_contain_text("689.30")
    assert not ProvisionRun.objects.exists()
    page.click("#post-button")
    run = ProvisionRun.objects.get()
    page.wait_for_url(f"{live_server.url}/provisioning/runs/{run.pk}/")
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator("#run-true-up")).to_contain_text("689.30")
    expect(page.locator(f"#run-lines tr[data-customer='{book.customer.pk}']")).to_contain_text("678.00")
    page.click("#run-verify")
    expect(page.locator("#verification")).to_be_visible()
    assert run.true_up_minor == 68_930
