"""Headless Chromium through Playwright for the browser tests: one way to start it, shared by their fixtures.

Importing this module skips the importing test module when Debian's chromium or the playwright package is
missing, with that reason.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"the browser tests drive Debian's chromium and {CHROMIUM} is missing", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need the playwright package")
expect = playwright_api.expect
expect.set_options(timeout=10_000)

# Playwright's sync API keeps an event loop running in the test thread; Django refuses ORM calls from
# such a thread unless told that this is intended (a test may read or write data while the page is open).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def live_server_requests_finish(timeout: float = 60) -> None:
    """Wait until the live server has answered every request the browser left running (call it after closing
    the browser). A request still at work when the test's database is emptied deadlocks PostgreSQL's TRUNCATE
    against its reads, and the rows the flush could not remove then break the next test on the worker."""
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout)


@contextmanager
def chromium_page(*, timeout_ms: int = 10_000, viewport: dict | None = None):
    """A Chinese-speaking browser (as ARMS's users have) on a fresh page (``viewport``: a phone's, for the portal).

    While Playwright's event loop runs, Django hands out a separate set of database connections (its
    connection registry is per event-loop context). They are closed here before the loop stops, so
    nothing is left open when the database is emptied or dropped.
    """
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        context = browser.new_context(locale="zh-CN", viewport=viewport or {"width": 1366, "height": 900})
        context.set_default_timeout(timeout_ms)
        try:
            yield context.new_page()
        finally:
            browser.close()
            live_server_requests_finish()
            connections.close_all()


def nav_click(page, href: str) -> None:
    """Follow the main navigation's link to ``href`` as a person does: open the menu that holds it (a top-level
    link needs none), then click the link."""
    link = page.locator(f"nav.mainnav a[href='{href}']")
    menu = page.locator("nav.mainnav details.navgroup", has=page.locator(f"a[href='{href}']"))
    if menu.count() and not menu.evaluate("element => element.open"):
        menu.locator("summary").click()
    link.click()
