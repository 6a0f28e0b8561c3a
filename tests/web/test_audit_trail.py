"""The audit trail for holders of audit.view_auditevent (auditor, finance manager): a read-only page with filters,
pages and an export, and GET /api/v1/audit/events with the same filters; refused to everyone else."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from arms.audit.models import AuditEvent
from arms.customers.services import customer_update
from arms.ledger.models import Payment
from arms.ledger.services.bulk import PaymentInput, payments_record_bulk
from arms.ledger.services.payments import payment_reverse
from tests import factories
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://x","y")'


@pytest.fixture
def trail():
    clerk = factories.user("clerk-a", role="finance_clerk")
    customer = factories.customer("AU01", name=EVIL)
    customer_update(actor=clerk, customer=customer, notes="@SUM(1)")
    other = factories.customer("AU02")
    return clerk, customer, other


@pytest.mark.parametrize("role", ["auditor", "finance_manager"])
def test_the_auditor_and_the_finance_manager_read_it(client, trail, role):
    _clerk, customer, _other = trail
    reader = factories.user(f"reader-{role}", role=role)
    client.force_login(reader)
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("web:audit_list") in home  # in the navigation
    page = client.get(reverse("web:audit_list"), {"actor": "clerk-a", "action": "customer_updated"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Audit trail" in html and "customer_updated" in html and "1 row" in html

    body = Api(reader).get("/audit/events", {"actor": "clerk-a", "action": "customer_updated"}).json()
    assert body["count"] == 1
    event = body["items"][0]
    assert (event["actor_name"], event["subject_type"], event["subject_id"]) == (
        "clerk-a", "customers.customer", str(customer.pk))
    assert event["after"]["notes"] == "@SUM(1)"


def test_sales_and_the_clerk_are_refused(client, trail):
    for role in ("sales", "finance_clerk", "credit_manager"):
        person = factories.user(f"no-{role}", role=role)
        client.force_login(person)
        assert client.get(reverse("web:audit_list")).status_code == 403
        assert reverse("web:audit_list") not in client.get(reverse("web:home")).content.decode()
        assert Api(person).get("/audit/events").status_code == 403


def test_filters_by_subject_and_dates(trail):
    _clerk, customer, other = trail
    api = Api(factories.user("aud", role="auditor"))
    by_subject = api.get("/audit/events", {"subject_type": "customers.customer", "subject_id": str(customer.pk)}).json()
    assert by_subject["count"] >= 1 and {e["subject_id"] for e in by_subject["items"]} == {str(customer.pk)}
    assert api.get("/audit/events", {"subject_type": "customers.customer", "subject_id": str(other.pk)}).json()[
        "count"] == AuditEvent.objects.filter(subject_id=str(other.pk), subject_type="customers.customer").count()
    today = timezone.localdate()
    assert api.get("/audit/events", {"date_from": str(today - timedelta(days=1)), "date_to": str(today)}).json()[
        "count"] == AuditEvent.objects.count()
    assert api.get("/audit/events", {"date_to": str(today - timedelta(days=1))}).json()["count"] == 0
    assert api.get("/audit/events", {"date_from": str(today), "date_to": str(today - timedelta(days=1))}
                   ).status_code == 422
    paged = api.get("/audit/events", {"limit": 1, "offset": 1}).json()
    assert len(paged["items"]) == 1 and paged["count"] == AuditEvent.objects.count()


def test_it_is_read_only(trail):
    api = Api(factories.user("aud2", role="auditor"))
    before = AuditEvent.objects.count()
    assert api.post("/audit/events", {}).status_code == 405
    assert AuditEvent.objects.count() == before


def test_the_export_has_no_formula_cell(client, trail):
    client.force_login(factories.user("aud3", role="auditor"))
    response = client.get(reverse("web:audit_list"), {"export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert any(EVIL in str(c.value) for c in cells)
    csv_text = b"".join(client.get(reverse("web:audit_list"), {"export": "csv"}).streaming_content).decode()
    assert "\n=" not in csv_text and ",=" not in csv_text and ",@" not in csv_text


def test_an_import_is_one_row_that_opens_its_bulk_write_and_a_subject_shows_both_chains(client, company, today):
    """A bulk write's events are in its sub-chain (ADR 0008): the trail lists the import as its anchor, the anchor
    links to the sub-chain's events, and a subject's filter finds its events in both chains, anchor first."""
    clerk = factories.user("bulk-clerk", role="finance_clerk")
    customer = factories.customer("AU10")
    result = payments_record_bulk(actor=clerk, payments=[
        PaymentInput(customer=customer, received_date=today, amount_minor=1_000 + n) for n in range(3)])
    first = result.created_ids[0]
    reversal = payment_reverse(actor=clerk, payment=Payment.objects.get(pk=first), reason="退票")
    anchor = AuditEvent.objects.get(action="audit_batch_anchored")
    batch = anchor.after["audit_batch"]
    reversed_event = AuditEvent.objects.get(action="payment_reversed")
    assert reversed_event.subject_id == str(reversal.pk) == str(first)

    reader = factories.user("bulk-auditor", role="auditor")
    client.force_login(reader)
    html = client.get(reverse("web:audit_list")).content.decode()
    assert f'href="?batch={batch}"' in html  # the anchor opens its bulk write
    assert "payment_recorded" not in html  # the documents' own events are not in the global chain

    api = Api(reader)
    sub = api.get("/audit/events", {"batch": batch}).json()
    assert sub["count"] == 3 == anchor.after["audit_batch_events"]
    assert [(e["seq"], e["position"], e["batch_no"], e["action"], e["actor_name"]) for e in sub["items"]] == [
        (anchor.seq, p, batch, "payment_recorded", "bulk-clerk") for p in (3, 2, 1)]
    page = client.get(reverse("web:audit_list"), {"batch": batch}).content.decode()
    assert f"{anchor.seq}·3" in page and "payment_recorded" in page

    both = api.get("/audit/events", {"subject_type": "ledger.payment", "subject_id": str(first)}).json()
    assert [(e["seq"], e["position"], e["action"]) for e in both["items"]] == [
        (reversed_event.seq, None, "payment_reversed"), (anchor.seq, 1, "payment_recorded")]
    assert both["count"] == 2

    book = load_workbook(io.BytesIO(b"".join(client.get(
        reverse("web:audit_list"), {"subject_id": str(first), "subject_type": "ledger.payment", "export": "xlsx"}
    ).streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert [(r[0], r[1], r[4]) for r in rows if isinstance(r[0], int)] == [
        (reversed_event.seq, None, "payment_reversed"), (anchor.seq, 1, "payment_recorded")]

    assert client.get(reverse("web:audit_list"), {"batch": "0"}).status_code == 400
    assert api.get("/audit/events", {"batch": 0}).status_code == 422
