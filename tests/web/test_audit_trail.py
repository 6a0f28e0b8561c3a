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
