"""The demo as a new user first sees it: seeded today, the dashboard already shows this month's figures.

The seed takes "today" from the clock (as `make demo` does), so whatever day the suite runs on (the 1st of a
month too) the month that has begun has collections and credit sales, hence a DSO.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from arms.seed.users import DEMO_PASSWORD
from tests.web.browser import chromium_page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


def amount(text: str) -> Decimal:
    """¥641,258.60 -> Decimal("641258.60")."""
    return Decimal(re.sub(r"[^\d.-]", "", text))


def test_the_executive_sees_this_months_collections_and_dso_on_a_fresh_demo(flushable_ledger, live_server):
    call_command("seed", customers=12, seed=5, months=3, stdout=StringIO())

    with chromium_page(timeout_ms=30_000) as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "exec")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("form.stack button[type=submit]")
        page.goto(f"{live_server.url}/reports/")

        expect(page.locator("h1")).to_have_text("仪表盘")
        assert timezone.localdate().isoformat() in page.locator("main").inner_text()
        collected = page.locator("#tile-collections .kpi-value").inner_text()
        dso = page.locator("#tile-dso .kpi-value").inner_text()

    assert amount(collected) > 0, collected
    assert re.fullmatch(r"\d[\d,]*(\.\d+)? 天", dso), dso
