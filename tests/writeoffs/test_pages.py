"""The pages: the request form prefilled from the URL other pages link to, the detail with its sign-off panel,
the list (export, not-filed filter), the invoice page showing 已核销 and taking a recovery."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from arms.ledger.models import Invoice
from arms.writeoffs.models import WriteOffRequest
from tests import factories

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_ask_sign_and_post_through_the_pages(people, debtor):
    collector = _client(people["collector"])
    first, second = debtor["first"], debtor["second"]
    url = reverse("writeoffs:request_create") + "?" + urlencode(
        [("customer", debtor["customer"].pk), ("invoice", first.pk), ("reason", "bankruptcy")])
    page = collector.get(url).content.decode()
    assert f'name="pick_{first.pk}"' in page and 'checked' in page.split(f'name="pick_{first.pk}"')[1][:80]
    assert 'value="bankruptcy" selected' in page

    # more than is open: refused beside the invoice's amount, nothing written
    response = collector.post(url, {f"pick_{first.pk}": "on", f"amount_{first.pk}": "113,000.01",
                                    "reason": "bankruptcy"})
    assert response.status_code == 400 and not WriteOffRequest.objects.exists()
    assert "113,000.00" in response.content.decode()

    response = collector.post(url, {
        f"pick_{first.pk}": "on", f"amount_{first.pk}": "113,000.00", f"amount_{second.pk}": "56,500.00",
        "reason": "bankruptcy", "note": "破产终结", "evidence_kind": "bankruptcy",
        "evidence_file": SimpleUploadedFile("裁定.pdf", b"%PDF ruling")})
    assert response.status_code == 302, response.content.decode()[:3000]
    request = WriteOffRequest.objects.get()
    assert list(request.items.values_list("invoice_id", "amount_minor")) == [(first.pk, 11_300_000)]
    detail = reverse("writeoffs:detail", args=[request.pk])
    assert 'id="writeoff-sign-form"' not in collector.get(detail).content.decode()  # the requester cannot sign

    for who in ("finance", "legal", "auditor"):
        client = _client(people[who])
        page = client.get(detail).content.decode()
        assert 'id="writeoff-sign-form"' in page, who
        role = {"finance": "finance", "legal": "legal", "auditor": "audit"}[who]
        response = client.post(reverse("writeoffs:sign", args=[request.pk]), {"role": role, "note": "同意"})
        assert response.status_code == 302, response.content.decode()[:2000]
    request.refresh_from_db()
    assert request.status == "posted"

    clerk = _client(people["clerk"])
    listed = clerk.get(reverse("writeoffs:list") + "?not_filed=on").content.decode()
    assert f'data-request="{request.pk}"' in listed and 'id="writeoffs-not-filed"' in listed
    export = clerk.get(reverse("writeoffs:list") + "?format=csv")
    assert export.status_code == 200 and request.number in export.content.decode("utf-8-sig")
    page = clerk.get(reverse("web:invoice_detail", args=[first.pk])).content.decode()
    assert 'id="invoice-written-off"' in page and 'id="invoice-write-offs"' in page
    assert 'id="invoice-recovery-form"' not in page  # no unapplied cash yet

    payment = factories.payment(debtor["customer"], amount=1_000_000, received=first.issue_date)
    page = clerk.get(reverse("web:invoice_detail", args=[first.pk])).content.decode()
    assert 'id="invoice-recovery-form"' in page
    response = clerk.post(reverse("web:invoice_recovery", args=[first.pk]), {"payment": payment.pk,
                                                                             "amount": "10,000.00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Invoice.objects.get(pk=first.pk).amount_open_minor == 0
    recovered = clerk.get(detail).content.decode()
    assert "10,000.00" in recovered.split('id="writeoff-recoveries"')[1]


def test_the_evidence_and_collection_record_are_downloads(people, debtor):
    from arms.writeoffs.services import EvidenceIn, ItemIn, write_off_request_create

    request = write_off_request_create(actor=people["collector"], customer=debtor["customer"], reason="bankruptcy",
                                       items=[ItemIn(debtor["first"].pk, 100)],
                                       evidence=[EvidenceIn("judgment", "页面.html", b"<script>x</script>")])
    client = _client(people["auditor"])
    response = client.get(reverse("writeoffs:evidence", args=[request.pk, request.evidence.get().pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert "html" not in response["Content-Type"]
    response = client.get(reverse("writeoffs:collection_record", args=[request.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    sales = _client(factories.user("s9", role="sales"))
    assert sales.get(reverse("writeoffs:list")).status_code == 403
