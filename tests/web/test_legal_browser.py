"""Legal in a real browser: legal opens the review queue, reads the lawyer's letter draft the dunning run made,
approves it (it is carried out: the activity is recorded), then records a hearing on a filed case's page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.cases.models import Activity
from arms.dunning.models import DunningAction
from arms.dunning.services import dunning_run, policy_ensure_default
from arms.legal.models import Hearing
from arms.legal.services import case_file, case_open
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


def test_legal_approves_the_draft_and_records_a_hearing(page, live_server, book, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    lawyer = factories.user("legal", role="legal")
    # an invoice 100 days overdue: today's run reaches the lawyer's-letter stage and only drafts it
    old = factories.invoice(book.huadong, number="INV-HD-9", net=2_000_000, tax=260_000,
                            issued=book.today - timedelta(days=130), actor=book.clerk)
    policy_ensure_default()
    dunning_run(as_of=book.today)
    draft = DunningAction.objects.get(stage__code="lawyer_letter")
    assert draft.status == "awaiting_review"

    log_in(page, live_server, "legal")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/legal/letters/")
    page.click(f"tr[data-letter='{draft.pk}'] a")
    page.wait_for_url(f"{live_server.url}/legal/letters/{draft.pk}/")
    expect(page.locator("#review-status")).to_be_visible()
    page.fill("#id_note", "同意发送")
    page.click("#approve")
    page.wait_for_url(f"{live_server.url}/legal/letters/")
    expect(page.locator(f"tr[data-letter='{draft.pk}']")).to_have_count(0)
    draft.refresh_from_db()
    assert (draft.status, draft.review_status, draft.reviewed_by) == ("done", "approved", lawyer)
    assert Activity.objects.filter(source="dunning", source_ref=f"action:{draft.pk}", kind="lawyer_letter").exists()

    case = case_open(actor=lawyer, customer=book.huadong, kind="litigation", forum="上海市浦东新区人民法院",
                     invoice_ids=[old.pk])
    case_file(actor=lawyer, case=case, filed_on=book.today, case_number="(2026)沪0115民初1号")
    page.goto(f"{live_server.url}/legal/cases/")
    page.click(f"tr[data-case='{case.pk}'] a")
    page.wait_for_url(f"{live_server.url}/legal/cases/{case.pk}/")
    expect(page.locator("#case-status")).to_be_visible()
    page.click("details:has(#hearing-form) > summary")
    page.fill("#hearing-form input[name=on]", (book.today + timedelta(days=14)).isoformat())
    page.fill("#hearing-form input[name=note]", "第一次开庭")
    page.click("#hearing-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/legal/cases/{case.pk}/")
    expect(page.get_by_text("第一次开庭")).to_be_visible()
    assert Hearing.objects.get(case=case).note == "第一次开庭"
