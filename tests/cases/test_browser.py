"""A real Chromium: the collector's worklist → the customer's case page → log a call (htmx form, redirect)."""

from __future__ import annotations

import pytest

from arms.cases.models import Activity
from tests.web.browser import chromium_page, expect, nav_click
from tests.web.conftest import (  # noqa: F401  (the web tests' book and flush fixture)
    book,
    flushable_ledger,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def page(flushable_ledger, live_server, book):  # noqa: F811
    with chromium_page() as page:
        yield page


def test_collector_goes_from_the_worklist_to_the_case_and_logs_a_call(page, live_server, book):  # noqa: F811
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw-12345678")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    nav_click(page, "/collections/")
    rows = page.locator("#worklist-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("华东精密机械有限公司")  # ¥11,300 overdue 30 days outranks ¥2,260 for 15

    rows.first.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("华东精密机械有限公司")
    expect(page.locator("tr[data-invoice='INV-HD-1']")).to_contain_text("11,300.00")

    page.select_option("#id_kind", "call")
    page.select_option("#id_outcome", "promised")
    page.fill("#id_note", "李娜说月底前付清")
    page.click("#activity-form button[type=submit]")

    expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator("#history .item").first).to_contain_text("李娜说月底前付清")
    assert Activity.objects.get().actor.username == "clerk"
