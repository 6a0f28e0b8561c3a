"""Invoice delivery proof in the web UI: the invoice page's delivery block (record a delivery, a receipt with the
signed scan, the PDF copy), the list of undelivered and unconfirmed invoices with a bulk record, and the invoice
list's delivery column. Bad input is shown beside its field (status 400) and writes nothing."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arms.audit.models import AuditEvent
from arms.common.models import Attachment
from arms.common.pdf import cjk_font_installed
from arms.ledger.models import InvoiceDelivery
from arms.ledger.selectors import delivery_status
from arms.ledger.services.deliveries import invoice_delivery_record

pytestmark = pytest.mark.django_db


def written() -> tuple:
    return (InvoiceDelivery.objects.count(), AuditEvent.objects.count(), Attachment.objects.count())


def test_the_invoice_page_shows_the_delivery_block(client, book):
    client.force_login(book.clerk)
    html = client.get(reverse("web:invoice_detail", args=[book.invoice_overdue.pk])).content.decode()
    assert 'id="delivery-state"' in html and 'data-state="undelivered"' in html
    assert reverse("web:invoice_pdf", args=[book.invoice_overdue.pk]) in html
    assert 'id="delivery-form"' in html and 'id="receipt-form"' in html and 'id="send-form"' in html


def test_an_auditor_sees_the_block_without_forms(client, book):
    client.force_login(book.auditor)
    html = client.get(reverse("web:invoice_detail", args=[book.invoice_overdue.pk])).content.decode()
    assert 'id="delivery-state"' in html
    assert 'id="delivery-form"' not in html
    response = client.post(reverse("web:invoice_delivery_record", args=[book.invoice_overdue.pk]),
                           {"channel": "hand", "delivered_on": book.today.isoformat()})
    assert response.status_code == 403


def test_record_a_post_delivery_from_the_invoice_page(client, book):
    client.force_login(book.clerk)
    invoice = book.invoice_overdue
    on = book.today - timedelta(days=50)
    response = client.post(reverse("web:invoice_delivery_record", args=[invoice.pk]), {
        "channel": "post", "delivered_on": on.isoformat(), "carrier": "EMS", "tracking_no": "EA123456789CN",
        "recipient": "李娜", "note": ""})
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("web:invoice_detail", args=[invoice.pk]) + "#delivery")
    status = delivery_status(invoice)
    assert (status.state, status.delivered_on, status.tracking_no) == ("delivered", on, "EA123456789CN")
    html = client.get(reverse("web:invoice_detail", args=[invoice.pk])).content.decode()
    assert 'data-state="delivered"' in html and "EA123456789CN" in html


def test_a_post_delivery_without_tracking_number_is_shown_beside_the_field(client, book):
    client.force_login(book.clerk)
    before = written()
    response = client.post(reverse("web:invoice_delivery_record", args=[book.invoice_overdue.pk]), {
        "channel": "post", "delivered_on": book.today.isoformat(), "carrier": "EMS", "tracking_no": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-tracking_no"' in html
    assert written() == before


def test_a_delivery_date_in_the_future_is_refused(client, book):
    client.force_login(book.clerk)
    before = written()
    response = client.post(reverse("web:invoice_delivery_record", args=[book.invoice_overdue.pk]), {
        "channel": "hand", "delivered_on": (book.today + timedelta(days=2)).isoformat()})
    assert response.status_code == 400
    assert 'id="error-delivered_on"' in response.content.decode()
    assert written() == before


def test_record_a_receipt_with_the_signed_scan_and_download_it(client, book):
    client.force_login(book.clerk)
    invoice = book.invoice_overdue
    contact = book.huadong.contacts.get()
    content = b"%PDF-1.4 signed and sealed"
    response = client.post(reverse("web:invoice_receipt_confirm", args=[invoice.pk]), {
        "channel": "scan", "received_on": book.today.isoformat(), "contact": contact.pk, "note": "",
        "scan": SimpleUploadedFile("签收单.pdf", content, content_type="application/pdf")})
    assert response.status_code == 302
    receipt = InvoiceDelivery.objects.get(kind="receipt")
    assert (receipt.contact, receipt.scan.sha256) == (contact, hashlib.sha256(content).hexdigest())
    assert delivery_status(invoice).state == "confirmed"
    html = client.get(reverse("web:invoice_detail", args=[invoice.pk])).content.decode()
    scan_url = reverse("web:delivery_scan", args=[receipt.pk])
    assert scan_url in html
    download = client.get(scan_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download.content == content


def test_a_scan_receipt_without_a_file_is_refused(client, book):
    client.force_login(book.clerk)
    before = written()
    response = client.post(reverse("web:invoice_receipt_confirm", args=[book.invoice_overdue.pk]), {
        "channel": "scan", "received_on": book.today.isoformat()})
    assert response.status_code == 400
    assert 'id="error-scan"' in response.content.decode()
    assert written() == before


def test_another_salespersons_invoice_and_scan_are_not_found(client, book):
    receipt_scan = ("s.pdf", b"%PDF scan")
    from arms.ledger.services.deliveries import invoice_receipt_confirm

    receipt = invoice_receipt_confirm(invoice=book.invoice_overdue, actor=book.clerk, channel="scan",
                                      scan=receipt_scan)
    client.force_login(book.sales_b)
    before = written()
    assert client.get(reverse("web:invoice_pdf", args=[book.invoice_overdue.pk])).status_code == 404
    assert client.get(reverse("web:delivery_scan", args=[receipt.pk])).status_code == 404
    response = client.post(reverse("web:invoice_delivery_record", args=[book.invoice_overdue.pk]),
                           {"channel": "hand", "delivered_on": book.today.isoformat()})
    assert response.status_code == 404
    assert written() == before


@pytest.mark.skipif(not cjk_font_installed(), reason="no CJK font installed")
def test_the_pdf_copy_downloads_as_an_attachment(client, book):
    client.force_login(book.clerk)
    response = client.get(reverse("web:invoice_pdf", args=[book.invoice_overdue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.startswith(b"%PDF")


def test_the_outstanding_list_and_a_bulk_delivery(client, book):
    client.force_login(book.clerk)
    url = reverse("web:delivery_outstanding")
    html = client.get(url).content.decode()
    for invoice in (book.invoice_overdue, book.invoice_current, book.invoice_xinan):
        assert f'data-invoice="{invoice.pk}"' in html
    response = client.post(reverse("web:delivery_bulk"), {
        "invoice": [book.invoice_overdue.pk, book.invoice_current.pk], "channel": "post",
        "delivered_on": book.today.isoformat(), "carrier": "EMS", "tracking_no": "EA5CN"})
    assert response.status_code == 302
    made = list(InvoiceDelivery.objects.order_by("invoice_id"))
    assert [d.invoice_id for d in made] == sorted([book.invoice_overdue.pk, book.invoice_current.pk])
    assert len({d.batch for d in made}) == 1
    html = client.get(url).content.decode()
    assert f'data-invoice="{book.invoice_overdue.pk}"' not in html
    html = client.get(url, {"state": "unconfirmed"}).content.decode()
    assert f'data-invoice="{book.invoice_overdue.pk}"' in html
    assert f'data-invoice="{book.invoice_xinan.pk}"' not in html


def test_a_bulk_delivery_without_ticks_or_with_a_bad_date_writes_nothing(client, book):
    client.force_login(book.clerk)
    before = written()
    response = client.post(reverse("web:delivery_bulk"), {"channel": "hand", "delivered_on": book.today.isoformat()})
    assert response.status_code == 400
    response = client.post(reverse("web:delivery_bulk"), {
        "invoice": [book.invoice_overdue.pk, book.invoice_current.pk], "channel": "hand",
        "delivered_on": (book.today - timedelta(days=30)).isoformat()})  # before INV-HD-2 was issued
    assert response.status_code == 400
    assert 'id="error-delivered_on"' in response.content.decode()
    assert written() == before


def test_a_salesperson_sees_only_their_own_outstanding_invoices(client, book):
    client.force_login(book.sales_b)
    html = client.get(reverse("web:delivery_outstanding")).content.decode()
    assert f'data-invoice="{book.invoice_xinan.pk}"' in html
    assert f'data-invoice="{book.invoice_overdue.pk}"' not in html


def test_the_invoice_list_shows_the_delivery_state(client, book):
    invoice_delivery_record(invoice=book.invoice_overdue, actor=book.clerk, channel="hand")
    client.force_login(book.clerk)
    html = client.get(reverse("web:invoice_list")).content.decode()
    assert 'data-state="delivered"' in html and 'data-state="undelivered"' in html
    assert reverse("web:delivery_outstanding") in html
