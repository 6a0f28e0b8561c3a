"""What a contact does in the portal: each is an audit event by ``portal:<name>@<address>`` and a line on the
customer's case history; a refused action writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from arms.audit.models import AuditEvent
from arms.cases.models import Activity, Dispute, PromiseToPay, Task
from arms.customers.portal_access import portal_access_issue
from arms.domain.workdays import add_working_days
from arms.portal.session import PORTAL_LANGUAGE_KEY
from tests import factories

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.44"


@pytest.fixture
def portal(contact):
    cache.clear()
    _access, raw = portal_access_issue(contact=contact, actor=None)
    client = Client(REMOTE_ADDR=ADDRESS)
    assert client.get(f"/portal/enter/{raw}/").status_code == 302
    return client


@pytest.fixture
def invoices(customer, today):
    collector = factories.user("collector-p", role="collector")
    customer.collector = collector
    customer.save(update_fields=["collector"])
    return [factories.invoice(customer, issued=today - timedelta(days=days), net=100_000, tax=13_000)
            for days in (60, 10)]


def who(contact) -> str:
    return f"portal:{contact.name}@{ADDRESS}"


def written():
    return (AuditEvent.objects.count(), Dispute.objects.count(), PromiseToPay.objects.count(),
            Activity.objects.count(), Task.objects.count())


def test_a_contact_disputes_an_invoice_and_it_becomes_a_dispute_with_its_deadline(portal, contact, invoices, today):
    response = portal.post("/portal/disputes/", {"invoice": invoices[0].pk, "amount": "500.00",
                                                 "reason_code": "quantity", "description": "少发了5件"})
    assert response.status_code == 302, response.content.decode()[:2000]
    dispute = Dispute.objects.get()
    assert (dispute.invoice, dispute.amount_minor, dispute.reason_code) == (invoices[0], 500_00, "quantity")
    assert dispute.sla_due_on == add_working_days(today, 5) and dispute.raised_by is None
    event = AuditEvent.objects.get(action="dispute_raised")
    assert event.actor is None and event.actor_name == who(contact)
    activity = Activity.objects.get(source="dispute")
    assert contact.name in activity.note and "少发了5件" in activity.note
    assert AuditEvent.objects.get(action="activity_recorded").actor_name == who(contact)
    assert str(dispute.pk) in portal.get("/portal/disputes/").content.decode()


def test_a_dispute_above_the_open_amount_is_refused_beside_the_field_and_nothing_is_written(portal, invoices):
    before = written()
    response = portal.post("/portal/disputes/", {"invoice": invoices[0].pk, "amount": "999999.00",
                                                 "reason_code": "price"})
    assert response.status_code == 400 and 'id="dispute-form"' in response.content.decode()
    assert written() == before


def test_a_contact_records_a_promise_to_pay(portal, contact, invoices, today):
    promised = today + timedelta(days=7)
    response = portal.post("/portal/promises/", {"amount": "1,130.00", "promised_on": promised.isoformat(),
                                                 "invoices": [invoices[0].pk], "note": "月底付"})
    assert response.status_code == 302, response.content.decode()[:2000]
    promise = PromiseToPay.objects.get()
    assert (promise.amount_minor, promise.promised_on, promise.contact_name) == (1_130_00, promised, contact.name)
    assert list(promise.invoices.all()) == [invoices[0]]
    assert AuditEvent.objects.get(action="promise_recorded").actor_name == who(contact)
    assert Activity.objects.filter(source="promise", customer=contact.customer).exists()


def test_a_contact_uploads_a_remittance_advice_and_the_collector_gets_a_task(portal, contact, invoices, customer):
    scan = SimpleUploadedFile("水单.pdf", b"%PDF-1.4 remittance", content_type="application/pdf")
    response = portal.post("/portal/remittances/", {"file": scan, "note": "已付第一张"})
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(source="portal")
    assert activity.attachment_name == "水单.pdf" and activity.attachment.content == b"%PDF-1.4 remittance"
    assert activity.customer == customer and contact.name in activity.note
    task = Task.objects.get(source="portal")
    assert task.assignee == customer.collector and task.customer == customer
    event = AuditEvent.objects.get(action="portal_remittance_uploaded")
    assert event.actor_name == who(contact) and event.after["sha256"] == activity.attachment_sha256
    assert "水单.pdf" in portal.get("/portal/remittances/").content.decode()


@pytest.mark.parametrize("name", ["advice.html", "advice.svg", "advice.exe"])
def test_a_remittance_advice_of_another_kind_is_refused_and_nothing_is_written(portal, invoices, name):
    before = written()
    response = portal.post("/portal/remittances/", {"file": SimpleUploadedFile(name, b"<script>x</script>")})
    assert response.status_code == 400 and written() == before


def test_a_remittance_advice_too_large_is_refused(portal, invoices, settings):
    settings.ARMS_UPLOAD_MAX_BYTES = 10
    before = written()
    response = portal.post("/portal/remittances/", {"file": SimpleUploadedFile("a.pdf", b"%PDF" + b"x" * 20)})
    assert response.status_code == 400 and written() == before


def test_the_language_switch_sets_the_portal_sessions_language(portal):
    assert portal.get("/portal/")["Content-Language"] == "zh-hans"
    response = portal.post("/portal/language/", {"language": "en", "next": "/portal/invoices/"})
    assert response.status_code == 302 and response["Location"] == "/portal/invoices/"
    assert portal.session[PORTAL_LANGUAGE_KEY] == "en"
    page = portal.get("/portal/invoices/")
    assert page["Content-Language"] == "en" and '<html lang="en">' in page.content.decode()
    # an unknown language or an address outside the portal changes nothing and goes home
    response = portal.post("/portal/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/portal/" and portal.session[PORTAL_LANGUAGE_KEY] == "en"


def test_leaving_ends_the_portal_session(portal):
    assert portal.post("/portal/logout/").status_code == 200
    assert portal.get("/portal/").status_code == 403
