"""The /confirmations/ pages: start a run, a run's letters, one letter (post, answer with the scan, settle), the
differences, the settings; roles; another salesperson's customer is 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arms.confirmations.models import Confirmation, ConfirmationDifference, ConfirmationDispatch, ConfirmationRun
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(book, client):
    client.force_login(book.clerk)
    response = client.post(reverse("confirmations:run_start"), {"period": book.period_end.strftime("%Y-%m")})
    run = ConfirmationRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("confirmations:run", args=[run.pk])
    return run, Confirmation.objects.get(run=run)


def test_pages_render(book, client, started):
    run, confirmation = started
    for url in (reverse("confirmations:runs"), reverse("confirmations:run", args=[run.pk]),
                reverse("confirmations:detail", args=[confirmation.pk]), reverse("confirmations:differences"),
                reverse("confirmations:settings")):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("confirmations:run", args=[run.pk])).content.decode()
    assert f'data-confirmation="{confirmation.pk}"' in page and "1,195.00" in page
    detail = client.get(reverse("confirmations:detail", args=[confirmation.pk])).content.decode()
    assert confirmation.sha256 in detail and 'id="reply-form"' in detail and 'id="post-form"' in detail
    export = client.get(reverse("confirmations:run", args=[run.pk]), {"export": "csv"})
    assert export.status_code == 200 and "C1" in export.getvalue().decode()
    xlsx = client.get(reverse("confirmations:xlsx", args=[confirmation.pk]))
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]


def test_bad_month_is_refused_on_the_page(book, client):
    client.force_login(book.clerk)
    response = client.post(reverse("confirmations:run_start"), {"period": "2026-13"})
    assert response.status_code == 400 and ConfirmationRun.objects.count() == 0
    assert 'id="error-period"' in response.content.decode()


def test_post_answer_with_scan_and_settle(book, client, started, today):
    _run, confirmation = started
    bad = client.post(reverse("confirmations:post", args=[confirmation.pk]),
                      {"carrier": "EMS", "tracking_no": "", "sent_on": today.isoformat()})
    assert bad.status_code == 400 and ConfirmationDispatch.objects.count() == 0
    ok = client.post(reverse("confirmations:post", args=[confirmation.pk]),
                     {"carrier": "EMS", "tracking_no": "EA123456789CN", "sent_on": today.isoformat()})
    assert ok.status_code == 302 and ConfirmationDispatch.objects.get().tracking_no == "EA123456789CN"
    dispatch = ConfirmationDispatch.objects.get()
    page = client.get(reverse("confirmations:detail", args=[confirmation.pk])).content.decode()
    assert reverse("confirmations:dispatch_delivered", args=[dispatch.pk]) in page
    client.post(reverse("confirmations:dispatch_delivered", args=[dispatch.pk]), {"delivered_on": "2999-01-01"})
    dispatch.refresh_from_db()
    assert dispatch.delivered_on is None
    client.post(reverse("confirmations:dispatch_delivered", args=[dispatch.pk]), {"delivered_on": today.isoformat()})
    dispatch.refresh_from_db()
    assert dispatch.delivered_on == today

    refused = client.post(reverse("confirmations:reply", args=[confirmation.pk]), {
        "answer": "disputed", "channel": "scan", "scan": SimpleUploadedFile("reply.pdf", b"%PDF-1.4 x"),
        "d0_invoice": str(book.inv_new.pk), "d0_kind": "bogus", "d0_amount": "65.00"})
    assert refused.status_code == 400 and ConfirmationDifference.objects.count() == 0
    refused = client.post(reverse("confirmations:reply", args=[confirmation.pk]), {
        "answer": "disputed", "channel": "scan", "d0_invoice": str(book.inv_new.pk), "d0_kind": "amount_differs",
        "d0_amount": "65.00"})
    assert refused.status_code == 400 and 'id="error-scan"' in refused.content.decode()
    answered = client.post(reverse("confirmations:reply", args=[confirmation.pk]), {
        "answer": "disputed", "channel": "scan", "scan": SimpleUploadedFile("reply.pdf", b"%PDF-1.4 x"),
        "contact": str(book.contact.pk), "d0_invoice": str(book.inv_new.pk), "d0_kind": "amount_differs",
        "d0_amount": "65.00", "d0_description": "单价"})
    assert answered.status_code == 302, answered.content.decode()[:2000]
    difference = ConfirmationDifference.objects.get()
    assert (difference.amount_minor, difference.invoice, difference.owner) == (6_500, book.inv_new, book.collector)
    assert client.get(reverse("confirmations:scan", args=[confirmation.pk])).content == b"%PDF-1.4 x"
    listed = client.get(reverse("confirmations:differences")).content.decode()
    assert f'data-difference="{difference.pk}"' in listed

    no_reason = client.post(reverse("confirmations:difference_resolve", args=[difference.pk]),
                            {"resolution": "rejected"})
    assert no_reason.status_code == 400 and 'id="error-explanation"' in no_reason.content.decode()
    settled = client.post(reverse("confirmations:difference_resolve", args=[difference.pk]),
                          {"resolution": "credit_note", "explanation": "属实"})
    assert settled.status_code == 302
    difference.refresh_from_db()
    assert difference.status == "resolved" and difference.credit_note.gross_minor == 6_500


def test_roles_and_visibility(book, client, started):
    _run, confirmation = started
    client.force_login(book.auditor)
    assert client.get(reverse("confirmations:detail", args=[confirmation.pk])).status_code == 200
    assert client.post(reverse("confirmations:run_start"), {"period": "2026-01"}).status_code == 403
    assert client.post(reverse("confirmations:settings"), {"default_frequency": "yearly"}).status_code == 403
    client.force_login(factories.user("other_sales", role="sales"))
    assert client.get(reverse("confirmations:detail", args=[confirmation.pk])).status_code == 404
    client.force_login(book.finmgr)
    saved = client.post(reverse("confirmations:settings"), {
        "default_frequency": "monthly", "reminder_working_days": 5, "task_working_days": 10,
        "difference_working_days": 5, "grade_a_quarterly": "on"})
    assert saved.status_code == 302
    assert client.get(reverse("confirmations:settings")).status_code == 200
    from arms.confirmations.models import ConfirmationRule

    assert list(ConfirmationRule.objects.values_list("grade", "frequency", "active")) == [("A", "quarterly", True)]
