"""Invoice delivery proof: recording deliveries and receipt confirmations, the derived delivery state, and the
refusals (each names its field and writes nothing)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from arms.audit.models import AuditEvent
from arms.audit.services import ExternalActor
from arms.common.errors import ArmsError, EvidenceImmutable
from arms.common.models import Attachment
from arms.common.pdf import cjk_font_installed
from arms.customers.models import Contact
from arms.ledger import services
from arms.ledger.enums import DeliveryState
from arms.ledger.models import InvoiceDelivery
from arms.ledger.selectors import deliveries_outstanding, delivery_status, delivery_statuses, with_delivery_state
from arms.ledger.services.deliveries import (
    invoice_deliveries_record,
    invoice_delivery_record,
    invoice_email_send,
    invoice_receipt_confirm,
)
from tests import factories
from tests.smtp import attachments, body_text

pytestmark = pytest.mark.django_db


def written() -> tuple:
    return (InvoiceDelivery.objects.count(), AuditEvent.objects.count(), Attachment.objects.count())


def refused(call, *, code: str, field: str | None) -> ArmsError:
    before = written()
    with pytest.raises(ArmsError) as caught:
        call()
    assert (caught.value.code, caught.value.field) == (code, field)
    assert written() == before
    return caught.value


@pytest.fixture
def invoice(customer, clerk, today):
    return factories.invoice(customer, actor=clerk, issued=today - timedelta(days=20), vat_invoice_number="12345678")


@pytest.fixture
def contact(customer):
    return Contact.objects.create(customer=customer, name="王会计", email="ap@example.com")


def test_an_invoice_without_records_is_undelivered(invoice):
    status = delivery_status(invoice)
    assert status.state == DeliveryState.UNDELIVERED
    assert (status.delivered_on, status.confirmed_on) == (None, None)


def test_a_delivery_by_ems_is_recorded_and_audited(invoice, clerk, today):
    on = today - timedelta(days=3)
    delivery = invoice_delivery_record(invoice=invoice, actor=clerk, channel="post", delivered_on=on,
                                       carrier=" EMS ", tracking_no="EA123456789CN", recipient="王会计")
    assert (delivery.kind, delivery.channel, delivery.occurred_on) == ("delivery", "post", on)
    assert (delivery.carrier, delivery.tracking_no, delivery.recorded_by) == ("EMS", "EA123456789CN", clerk)
    status = delivery_status(invoice)
    assert (status.state, status.delivered_on, status.delivered_channel) == ("delivered", on, "post")
    assert status.tracking_no == "EA123456789CN"
    event = AuditEvent.objects.get(action="invoice_delivery_recorded")
    assert event.actor == clerk
    assert event.after["tracking_no"] == "EA123456789CN"
    assert event.after["invoice"] == invoice.number


def test_a_delivery_defaults_to_today(invoice, clerk, today):
    delivery = invoice_delivery_record(invoice=invoice, actor=clerk, channel="hand")
    assert delivery.occurred_on == today


def test_receipt_confirmed_in_the_portal_names_the_contact_and_address(invoice, contact, today):
    invoice_delivery_record(invoice=invoice, actor=None, channel="email", delivered_on=today - timedelta(days=5))
    actor = ExternalActor(kind="portal", name=contact.name, address="203.0.113.9")
    receipt = invoice_receipt_confirm(invoice=invoice, actor=actor, channel="portal", contact=contact)
    assert (receipt.kind, receipt.channel, receipt.occurred_on) == ("receipt", "portal", today)
    assert (receipt.contact, receipt.confirmed_by, receipt.recorded_by) == (contact, "王会计", None)
    event = AuditEvent.objects.get(action="invoice_receipt_confirmed")
    assert event.actor is None
    assert event.actor_name == "portal:王会计@203.0.113.9"
    status = delivery_status(invoice)
    assert (status.state, status.confirmed_on, status.confirmed_channel) == ("confirmed", today, "portal")
    assert status.delivered_channel == "email"
    # a second click on the same day records nothing new
    again = invoice_receipt_confirm(invoice=invoice, actor=actor, channel="portal", contact=contact)
    assert again.pk == receipt.pk
    assert AuditEvent.objects.filter(action="invoice_receipt_confirmed").count() == 1


def test_a_signed_receipt_scan_is_stored_by_sha256(invoice, clerk, contact, today):
    content = b"%PDF-1.4 signed and sealed"
    scan = SimpleUploadedFile("签收单.pdf", content, content_type="application/pdf")
    receipt = invoice_receipt_confirm(invoice=invoice, actor=clerk, channel="scan", contact=contact,
                                      received_on=today - timedelta(days=1), scan=scan, note="原件已归档")
    assert receipt.scan.sha256 == hashlib.sha256(content).hexdigest()
    assert bytes(receipt.scan.content) == content
    assert receipt.scan_name == "签收单.pdf"
    # the same scan for another invoice is stored once
    other = factories.invoice(invoice.customer, actor=clerk, issued=today - timedelta(days=10))
    second = invoice_receipt_confirm(invoice=other, actor=clerk, channel="scan", scan=("again.pdf", content))
    assert second.scan_id == receipt.scan_id
    assert second.confirmed_by == clerk.username
    assert Attachment.objects.count() == 1


def test_an_email_reply_recorded_by_the_clerk(invoice, clerk, today):
    receipt = invoice_receipt_confirm(invoice=invoice, actor=clerk, channel="email", note="客户邮件回复已收到")
    assert delivery_status(invoice).state == "confirmed"
    assert receipt.confirmed_by == "clerk"


def test_bulk_delivery_records_one_envelope_for_several_invoices(customer, clerk, today):
    invoices = [factories.invoice(customer, actor=clerk, issued=today - timedelta(days=d)) for d in (30, 20, 10)]
    made = invoice_deliveries_record(invoices=invoices, actor=clerk, channel="post", carrier="EMS",
                                     tracking_no="EA000000001CN", delivered_on=today - timedelta(days=2))
    assert [d.invoice_id for d in made] == [i.pk for i in invoices]
    assert len({d.batch for d in made}) == 1 and made[0].batch
    assert AuditEvent.objects.filter(action="invoice_delivery_recorded").count() == 3
    assert {s.state for s in delivery_statuses(i.pk for i in invoices).values()} == {"delivered"}


def test_bulk_delivery_is_all_or_nothing(customer, clerk, today):
    early = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=30))
    late = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=1))
    refused(lambda: invoice_deliveries_record(invoices=[early, late], actor=clerk, channel="hand",
                                              delivered_on=today - timedelta(days=5)),
            code="invalid", field="delivered_on")
    refused(lambda: invoice_deliveries_record(invoices=[early, early], actor=clerk, channel="hand"),
            code="invalid", field="invoices[1]")
    refused(lambda: invoice_deliveries_record(invoices=[], actor=clerk, channel="hand"),
            code="invalid", field="invoices")


def test_bulk_refuses_a_cancelled_invoice_by_its_place(customer, clerk, today):
    good = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=30))
    cancelled = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=30))
    services.credit_note_post(actor=clerk, invoice=cancelled, on=today - timedelta(days=2), net_minor=100_000,
                              tax_minor=13_000, reason="开错了")
    refused(lambda: invoice_deliveries_record(invoices=[good, cancelled], actor=clerk, channel="hand"),
            code="invoice_cancelled", field="invoices[1]")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"channel": "fax"}, "channel"),
    ({"channel": "post", "tracking_no": "EA1"}, "carrier"),
    ({"channel": "post", "carrier": "EMS"}, "tracking_no"),
    ({"channel": "post", "carrier": "EMS", "tracking_no": "EA1; DROP"}, "tracking_no"),
    ({"channel": "hand", "carrier": "x" * 61}, "carrier"),
    ({"channel": "hand", "recipient": "x" * 201}, "recipient"),
    ({"channel": "hand", "recipient": "a\nb"}, "recipient"),
    ({"channel": "hand", "note": "x" * 5001}, "note"),
])
def test_bad_delivery_input_is_refused_by_field(invoice, clerk, kwargs, field):
    refused(lambda: invoice_delivery_record(invoice=invoice, actor=clerk, **kwargs), code="invalid", field=field)


def test_delivery_dates_cannot_be_in_the_future_or_before_the_invoice(invoice, clerk, today):
    refused(lambda: invoice_delivery_record(invoice=invoice, actor=clerk, channel="hand",
                                            delivered_on=today + timedelta(days=1)),
            code="invalid", field="delivered_on")
    refused(lambda: invoice_delivery_record(invoice=invoice, actor=clerk, channel="hand",
                                            delivered_on=invoice.issue_date - timedelta(days=1)),
            code="invalid", field="delivered_on")
    refused(lambda: invoice_receipt_confirm(invoice=invoice, actor=clerk, channel="email",
                                            received_on=today + timedelta(days=1)),
            code="invalid", field="received_on")


def test_a_wholly_credited_invoice_is_refused(invoice, clerk, today):
    services.credit_note_post(actor=clerk, invoice=invoice, on=today - timedelta(days=1), net_minor=100_000,
                              tax_minor=13_000, reason="开错了")
    refused(lambda: invoice_delivery_record(invoice=invoice, actor=clerk, channel="hand"),
            code="invoice_cancelled", field="invoice")
    refused(lambda: invoice_receipt_confirm(invoice=invoice, actor=clerk, channel="email"),
            code="invoice_cancelled", field="invoice")


def test_bad_receipt_input_is_refused_by_field(invoice, clerk, settings):
    other = Contact.objects.create(customer=factories.customer(), name="别家")
    refused(lambda: invoice_receipt_confirm(invoice=invoice, actor=clerk, channel="phone"),
            code="invalid", field="channel")
    refused(lambda: invoice_receipt_confirm(invoice=invoice, actor=clerk, channel="email", contact=other),
            code="invalid", field="contact")
    refused(lambda: invoice_receipt_confirm(invoice=invoice, actor=clerk, channel="scan"),
            code="invalid", field="scan")
    refused(lambda: invoice_receipt_confirm(invoice=invoice, actor=clerk, channel="scan", scan=("a.pdf", b"")),
            code="invalid", field="scan")
    settings.ARMS_UPLOAD_MAX_BYTES = 10
    refused(lambda: invoice_receipt_confirm(invoice=invoice, actor=clerk, channel="scan",
                                            scan=SimpleUploadedFile("big.pdf", b"x" * 11)),
            code="file_too_large", field="scan")


def test_records_are_append_only(invoice, clerk):
    delivery = invoice_delivery_record(invoice=invoice, actor=clerk, channel="hand")
    delivery.note = "changed"
    with pytest.raises(EvidenceImmutable):
        delivery.save()
    with pytest.raises(EvidenceImmutable):
        delivery.delete()
    with pytest.raises(EvidenceImmutable):
        InvoiceDelivery.objects.filter(pk=delivery.pk).update(note="x")


def test_the_database_refuses_a_post_delivery_without_tracking(invoice, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceDelivery.objects.create(company_id=invoice.company_id, invoice=invoice, kind="delivery",
                                       channel="post", occurred_on=today, carrier="EMS")
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceDelivery.objects.create(company_id=invoice.company_id, invoice=invoice, kind="delivery",
                                       channel="scan", occurred_on=today)


def test_outstanding_lists_undelivered_and_unconfirmed(customer, clerk, today):
    undelivered = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=40))
    delivered = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=30))
    confirmed = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=20))
    cancelled = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=20))
    services.credit_note_post(actor=clerk, invoice=cancelled, on=today - timedelta(days=1), net_minor=100_000,
                              tax_minor=13_000, reason="开错了")
    invoice_delivery_record(invoice=delivered, actor=clerk, channel="email")
    invoice_delivery_record(invoice=confirmed, actor=clerk, channel="hand")
    invoice_receipt_confirm(invoice=confirmed, actor=clerk, channel="email")
    assert list(deliveries_outstanding(user=clerk, state="undelivered")) == [undelivered]
    assert list(deliveries_outstanding(user=clerk, state="unconfirmed")) == [delivered]
    assert list(deliveries_outstanding(user=clerk, state="unconfirmed", channel="post")) == []
    states = dict(with_delivery_state(customer.invoices.all()).values_list("pk", "delivery_state"))
    assert states == {undelivered.pk: "undelivered", delivered.pk: "delivered", confirmed.pk: "confirmed",
                      cancelled.pk: "undelivered"}


# --- sending by e-mail -----------------------------------------------------------------------------------------

needs_pdf = pytest.mark.skipif(not cjk_font_installed(), reason="no CJK font installed")


@needs_pdf
def test_sending_by_email_attaches_the_pdf_and_records_an_email_delivery(invoice, clerk, smtp_server, today):
    delivery = invoice_email_send(invoice=invoice, actor=clerk, to="ap@example.com; boss@example.com",
                                  message="请查收")
    [msg] = smtp_server.messages
    files = attachments(msg)
    assert list(files) == [f"invoice-{invoice.number}.pdf"]
    assert files[f"invoice-{invoice.number}.pdf"].startswith(b"%PDF")
    assert invoice.number in msg["Subject"]
    assert "请查收" in body_text(msg)
    assert (delivery.channel, delivery.occurred_on, delivery.recipient) == (
        "email", today, "ap@example.com, boss@example.com")
    assert msg["Message-ID"].strip() in delivery.note
    event = AuditEvent.objects.get(action="invoice_emailed")
    assert event.after["to"] == ["ap@example.com", "boss@example.com"]
    assert event.after["sha256"] == hashlib.sha256(files[f"invoice-{invoice.number}.pdf"]).hexdigest()
    assert delivery_status(invoice).state == "delivered"


@needs_pdf
def test_a_refused_email_records_nothing(invoice, clerk, smtp_server):
    smtp_server.refuse_next(1)
    refused(lambda: invoice_email_send(invoice=invoice, actor=clerk, to="ap@example.com"),
            code="unavailable", field="to")


def test_a_bad_address_is_refused(invoice, clerk, smtp_server):
    refused(lambda: invoice_email_send(invoice=invoice, actor=clerk, to="not-an-address"), code="invalid", field="to")
    refused(lambda: invoice_email_send(invoice=invoice, actor=clerk, to=""), code="invalid", field="to")
    assert smtp_server.messages == []


def test_the_database_refuses_to_rewrite_a_delivery(invoice, clerk):
    from django.db import DatabaseError, connection

    delivery = invoice_delivery_record(invoice=invoice, actor=clerk, channel="hand")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_invoicedelivery SET note = 'rewritten' WHERE id = %s", [delivery.pk])
    delivery.refresh_from_db()
    assert delivery.note == ""
