"""Early warning in a real browser: a finance manager opens the warning log, sees a customer's warning with the
figures behind it, and acknowledges it with a note."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.earlywarning.models import Warning
from arms.earlywarning.services import IndicatorFields, indicator_create, warnings_evaluate
from tests import factories
from tests.web.browser import chromium_page, expect, live_server_requests_finish
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def page(flushable_ledger, live_server, book):
    with chromium_page() as page:
        yield page
    live_server_requests_finish()


def test_a_finance_manager_sees_a_warning_and_acknowledges_it(page, live_server, book):
    manager = factories.user("finmgr", role="finance_manager")
    factories.invoice(book.huadong, number="INV-EW-1", net=500_000, tax=65_000,
                      issued=book.today - timedelta(days=150), due_date=book.today - timedelta(days=120),
                      actor=book.clerk)
    indicator = indicator_create(actor=manager, fields=IndicatorFields(
        name="最早逾期超过90天", metric="oldest_overdue_days", threshold=90, severity="critical",
        responsible_role="finance_manager", scope="customer", scope_customer_id=book.huadong.pk))
    warnings_evaluate(as_of=book.today, indicator_ids=[indicator.pk])
    warning = Warning.objects.get()

    log_in(page, live_server, "finmgr")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/warnings/")
    expect(page.locator("#severity-counts [data-severity='critical'] dd")).to_have_text("1")
    page.click(f"tr[data-warning='{warning.pk}'] a")
    page.wait_for_url(f"{live_server.url}/warnings/{warning.pk}/")
    expect(page.locator("#figures-text")).to_contain_text("120")
    page.fill("#id_note", "已约客户财务总监面谈，本周内提交还款计划")
    page.click("#acknowledge-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/warnings/{warning.pk}/")
    expect(page.locator("#acknowledgement-note")).to_have_text("已约客户财务总监面谈，本周内提交还款计划")
    warning.refresh_from_db()
    assert (warning.status, warning.acknowledged_by, warning.acknowledgement_note) == (
        "acknowledged", manager, "已约客户财务总监面谈，本周内提交还款计划")
