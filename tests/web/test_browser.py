"""A real Chromium against the live server: the few journeys that need a browser (htmx swaps, redirects,
the language cookie). Everything else is covered faster by the test-client tests beside this file."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests import factories
from tests.web.browser import chromium_page, expect, nav_click
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def page(flushable_ledger, live_server, book):
    """A fresh page in Chromium, started after the test data exists."""
    with chromium_page() as page:
        yield page


def log_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.stack button[type=submit]")


def test_a_wrong_password_shows_the_error(page, live_server, book):
    log_in(page, live_server, "clerk", "not-the-password")

    expect(page.locator("#login-error")).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/login/")


def test_clerk_searches_opens_a_customer_reads_the_statement_and_records_a_payment(page, live_server, book):
    log_in(page, live_server, "clerk")
    expect(page.locator("#kpi-open")).to_contain_text("19,210.00")

    nav_click(page, "/customers/")
    page.wait_for_load_state()  # htmx (deferred) listens only once the page has loaded: type after that
    rows = page.locator("#customer-table tbody tr")
    expect(rows).to_have_count(2)

    page.locator("#id_q").press_sequentially("西南")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("西南物流有限公司")
    assert "q=" in page.url  # the filter is in the address, so the filtered list can be shared and reloaded

    page.locator("#id_q").fill("")
    page.locator("#id_q").press_sequentially("华东")
    expect(rows).to_have_count(1)
    page.click("text=华东精密机械有限公司")

    overdue_row = page.locator("tr[data-invoice='INV-HD-1']")
    expect(overdue_row).to_contain_text("11,300.00")
    expect(overdue_row.locator(".badge.overdue")).to_have_text("30")
    expect(page.locator("tr[data-invoice='INV-HD-2'] .open-amount")).to_contain_text("5,650.00")

    statement = page.locator("#statement")
    page.fill("#id_date_from", (book.today - timedelta(days=50)).isoformat())
    page.fill("#id_date_to", book.today.isoformat())
    page.click("#statement-section button[type=submit]")
    expect(statement.locator(".statement-opening")).to_have_text("11,300.00")
    expect(statement.locator(".statement-closing")).to_have_text("13,950.00")

    page.fill("#id_amount", "5,000.00")
    page.fill("#id_bank_reference", "BR-BROWSER")
    page.click("#payment-form button[type=submit]")

    expect(page.locator(".message.success")).to_be_visible()
    expect(overdue_row.locator(".open-amount")).to_contain_text("6,300.00")
    expect(page.locator("#balance-open-CNY .amount")).to_have_text("11,950.00")


def test_a_refused_payment_shows_the_reason_beside_the_field(page, live_server, book):
    log_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/customers/{book.huadong.pk}/")

    page.fill("#id_amount", "12.345")
    page.click("#payment-form button[type=submit]")

    expect(page.locator("#error-amount")).to_be_visible()
    expect(page.locator("tr[data-invoice='INV-HD-1'] .open-amount")).to_contain_text("11,300.00")


def test_a_salesperson_sees_only_their_own_customers(page, live_server, book):
    log_in(page, live_server, "sales_a")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/customers/")
    expect(page.locator("#customer-table tbody tr")).to_have_count(1)
    expect(page.locator("#customer-table")).to_contain_text("华东精密机械有限公司")
    expect(page.locator("#record-payment")).to_have_count(0)

    response = page.goto(f"{live_server.url}/customers/{book.xinan.pk}/")
    assert response.status == 404


def test_the_language_switch_changes_the_labels(page, live_server, book):
    log_in(page, live_server, "clerk")
    nav = page.locator("nav.mainnav")
    expect(nav).to_contain_text("客户")

    page.click("form.langswitch button[value='en']")

    expect(nav).to_contain_text("Customers")
    expect(page.locator("#kpi-open")).to_contain_text("Open receivables")


def test_the_admin_loads_for_a_superuser(page, live_server, book):
    factories.user("root", superuser=True)
    log_in(page, live_server, "root")
    page.wait_for_url(f"{live_server.url}/")

    nav_click(page, "/admin/")

    expect(page.locator("#site-name")).to_contain_text("ARMS")
    expect(page.locator("body")).to_contain_text(re.compile("客户|Customers"))


def test_a_menu_opens_from_the_keyboard_and_leads_to_its_page(page, live_server, book):
    log_in(page, live_server, "clerk")
    page.wait_for_url(f"{live_server.url}/")
    ledger = page.locator("nav.mainnav details[data-group='ledger']")
    expect(page.locator("nav.mainnav a[href='/customers/']")).to_be_hidden()  # menus start closed

    ledger.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("nav.mainnav a[href='/customers/']")).to_be_visible()
    page.keyboard.press("Escape")  # web/nav.js: Escape closes the menu and leaves the focus on its title
    expect(page.locator("nav.mainnav a[href='/customers/']")).to_be_hidden()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.locator("nav.mainnav a[href='/customers/']")).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/customers/")
    expect(page.locator("nav.mainnav details[data-group='ledger']")).to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator("nav.mainnav a[href='/customers/']")).to_have_attribute("aria-current", "page")
