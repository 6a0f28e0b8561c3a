"""The invoice delivery API: record, confirm receipt (with a scan), the PDF copy, bulk, the outstanding lists;
refusals name the field and write nothing; another salesperson's invoice is 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arms.audit.models import AuditEvent
from arms.common.models import Attachment
from arms.common.pdf import cjk_font_installed
from arms.customers.models import Contact
from arms.ledger.models import InvoiceDelivery
from tests import factories
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def written() -> tuple:
    return (InvoiceDelivery.objects.count(), AuditEvent.objects.count(), Attachment.objects.count())


@pytest.fixture
def recent(customer, clerk, today):
    return factories.invoice(customer, actor=clerk, issued=today - timedelta(days=15), number="INV-D-1")


def test_record_a_post_delivery_and_read_the_history(clerk_api, recent, today):
    on = (today - timedelta(days=2)).isoformat()
    response = clerk_api.post(f"/invoices/{recent.pk}/deliveries",
                              {"channel": "post", "carrier": "EMS", "tracking_no": "EA123456789CN", "delivered_on": on,
                               "recipient": "王会计"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["channel"], body["date"], body["tracking_no"]) == ("delivery", "post", on,
                                                                                  "EA123456789CN")
    assert (body["invoice_number"], body["recorded_by"]) == ("INV-D-1", "clerk")
    listed = clerk_api.get(f"/invoices/{recent.pk}/deliveries").json()
    assert listed["status"]["state"] == "delivered"
    assert listed["status"]["delivered_on"] == on
    assert [r["id"] for r in listed["records"]] == [body["id"]]


def test_confirm_receipt_with_a_signed_scan(clerk_api, recent, customer, today):
    contact = Contact.objects.create(customer=customer, name="王会计")
    scan = SimpleUploadedFile("签收单.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = clerk_api.upload(f"/invoices/{recent.pk}/receipt",
                                {"channel": "scan", "contact_id": contact.pk, "scan": scan, "note": "原件归档"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["channel"], body["confirmed_by"], body["scan_name"]) == (
        "receipt", "scan", "王会计", "签收单.pdf")
    assert len(body["scan_sha256"]) == 64
    assert clerk_api.get(f"/invoices/{recent.pk}/deliveries").json()["status"]["state"] == "confirmed"


def test_refusals_name_the_field_and_write_nothing(clerk_api, recent, today):
    before = written()
    assert_error(clerk_api.post(f"/invoices/{recent.pk}/deliveries", {"channel": "post", "carrier": "EMS"}),
                 422, "invalid", "tracking_no")
    assert_error(clerk_api.post(f"/invoices/{recent.pk}/deliveries", {"channel": "pigeon"}), 422, "invalid",
                 "channel")
    assert_error(clerk_api.post(f"/invoices/{recent.pk}/deliveries",
                                {"channel": "hand", "delivered_on": (today + timedelta(days=1)).isoformat()}),
                 422, "invalid", "delivered_on")
    assert_error(clerk_api.upload(f"/invoices/{recent.pk}/receipt", {"channel": "scan"}), 422, "invalid", "scan")
    other = Contact.objects.create(customer=factories.customer(), name="别家")
    assert_error(clerk_api.upload(f"/invoices/{recent.pk}/receipt", {"channel": "email", "contact_id": other.pk}),
                 422, "invalid", "contact_id")
    assert_error(clerk_api.post("/deliveries/bulk", {"channel": "hand", "invoice_ids": [recent.pk, 999_999]}),
                 404, "not_found", "invoice_ids[1]")
    assert written() == before


def test_bulk_delivery_shares_a_batch(clerk_api, customer, clerk, today):
    invoices = [factories.invoice(customer, actor=clerk, issued=today - timedelta(days=d)) for d in (9, 8)]
    response = clerk_api.post("/deliveries/bulk", {"channel": "post", "carrier": "EMS", "tracking_no": "EA9CN",
                                                   "invoice_ids": [i.pk for i in invoices]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert [r["invoice_id"] for r in body["records"]] == [i.pk for i in invoices]
    assert {r["batch"] for r in body["records"]} == {body["batch"]}


def test_outstanding_lists_are_paginated(clerk_api, customer, clerk, today):
    old = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=50))
    new = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=5))
    sent = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=30))
    clerk_api.post(f"/invoices/{sent.pk}/deliveries", {"channel": "email",
                                                         "delivered_on": (today - timedelta(days=20)).isoformat()})
    page = clerk_api.get("/deliveries/outstanding", {"state": "undelivered", "limit": 1}).json()
    assert (page["count"], [i["id"] for i in page["items"]]) == (2, [old.pk])
    assert page["items"][0]["age_days"] == 50
    page = clerk_api.get("/deliveries/outstanding", {"state": "undelivered", "limit": 1, "offset": 1}).json()
    assert [i["id"] for i in page["items"]] == [new.pk]
    page = clerk_api.get("/deliveries/outstanding", {"state": "unconfirmed"}).json()
    assert [(i["id"], i["delivered_channel"], i["age_days"]) for i in page["items"]] == [(sent.pk, "email", 20)]
    assert_error(clerk_api.get("/deliveries/outstanding", {"state": "lost"}), 422, "invalid", "state")


def test_another_salespersons_invoice_is_not_found(sales_api, recent):
    before = written()
    assert_error(sales_api.get(f"/invoices/{recent.pk}/deliveries"), 404, "not_found", "invoice_id")
    assert_error(sales_api.post(f"/invoices/{recent.pk}/deliveries", {"channel": "hand"}), 404, "not_found",
                 "invoice_id")
    assert_error(sales_api.get(f"/invoices/{recent.pk}/pdf"), 404, "not_found", "invoice_id")
    assert sales_api.get("/deliveries/outstanding").json()["count"] == 0
    assert written() == before


def test_an_auditor_reads_but_does_not_record(auditor_api, recent):
    assert auditor_api.get(f"/invoices/{recent.pk}/deliveries").status_code == 200
    assert_error(auditor_api.post(f"/invoices/{recent.pk}/deliveries", {"channel": "hand"}), 403, "forbidden", None)


@pytest.mark.skipif(not cjk_font_installed(), reason="no CJK font installed")
def test_the_pdf_copy_is_an_attachment(clerk_api, recent):
    response = clerk_api.get(f"/invoices/{recent.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
