"""/api/v1/portal: the contact's own customer as JSON, for a portal session only; another customer's id is a 404
and writes nothing; a staff login or token gets nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from arms.audit.models import AuditEvent
from arms.cases.models import Dispute
from arms.customers.portal_access import portal_access_issue
from arms.ledger.services import payment_allocate
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.queries import assert_flat, count_queries

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.61"


@pytest.fixture
def books(customer, other_customer, today):
    mine = [factories.invoice(customer, issued=today - timedelta(days=d)) for d in (50, 5)]
    payment = factories.payment(customer, amount=50_000, received=today - timedelta(days=2))
    payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(mine[0].pk, 50_000)])
    theirs = factories.invoice(other_customer, issued=today - timedelta(days=45))
    return {"mine": mine, "payment": payment, "theirs": theirs}


@pytest.fixture
def portal(contact):
    cache.clear()
    _access, raw = portal_access_issue(contact=contact, actor=None)
    client = Client(REMOTE_ADDR=ADDRESS)
    client.get(f"/portal/enter/{raw}/")
    return client


def test_the_contact_reads_their_customer(portal, books, customer, contact):
    me = portal.get("/api/v1/portal/me").json()
    assert (me["customer_code"], me["contact_name"]) == (customer.code, contact.name)
    assert me["balances"][0]["balance_minor"] == 2 * 113_000 - 50_000
    invoices = portal.get("/api/v1/portal/invoices").json()
    assert sorted(i["id"] for i in invoices["items"]) == sorted(i.pk for i in books["mine"])
    assert portal.get(f"/api/v1/portal/invoices/{books['mine'][0].pk}").json()["amount_open_minor"] == 63_000
    payments = portal.get("/api/v1/portal/payments").json()["items"]
    assert payments[0]["allocations"] == [{"invoice_id": books["mine"][0].pk, "invoice_number": books["mine"][0].number,
                                           "date": payments[0]["allocations"][0]["date"], "amount_minor": 50_000,
                                           "amount": "500.00"}]


def test_another_customers_invoice_is_not_found_and_nothing_is_written(portal, books):
    theirs = books["theirs"].pk
    before = (AuditEvent.objects.count(), Dispute.objects.count())
    assert portal.get(f"/api/v1/portal/invoices/{theirs}").status_code == 404
    response = portal.post(f"/api/v1/portal/invoices/{theirs}/disputes",
                           json.dumps({"amount_minor": 100, "reason_code": "price"}),
                           content_type="application/json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert (AuditEvent.objects.count(), Dispute.objects.count()) == before


def test_the_contact_disputes_through_the_api(portal, books, contact):
    response = portal.post(f"/api/v1/portal/invoices/{books['mine'][1].pk}/disputes",
                           json.dumps({"amount_minor": 10_000, "reason_code": "price", "description": "单价不对"}),
                           content_type="application/json")
    assert response.status_code == 201, response.content
    dispute = Dispute.objects.get(pk=response.json()["id"])
    assert dispute.invoice == books["mine"][1]
    assert AuditEvent.objects.get(action="dispute_raised").actor_name == f"portal:{contact.name}@{ADDRESS}"


def test_a_write_without_the_csrf_token_is_refused(contact, books):
    cache.clear()
    _access, raw = portal_access_issue(contact=contact, actor=None)
    client = Client(enforce_csrf_checks=True)
    client.get(f"/portal/enter/{raw}/")
    response = client.post(f"/api/v1/portal/invoices/{books['mine'][1].pk}/disputes",
                           json.dumps({"amount_minor": 100, "reason_code": "price"}), content_type="application/json")
    assert response.status_code == 403 and not Dispute.objects.exists()


def test_a_staff_login_or_token_or_nobody_gets_nothing(client, books, clerk):
    assert Client().get("/api/v1/portal/me").status_code == 401
    client.force_login(clerk)
    assert client.get("/api/v1/portal/invoices").status_code == 401
    from tests.api.conftest import Api

    assert Api(factories.user("api-staff", superuser=True)).get("/portal/me").status_code == 401


def test_a_revoked_link_ends_the_api_session(portal, books, contact):
    from arms.customers.models import PortalAccess
    from arms.customers.portal_access import portal_access_revoke

    portal_access_revoke(access=PortalAccess.objects.get(contact=contact), actor=None)
    assert portal.get("/api/v1/portal/me").status_code == 401


def test_the_portal_api_lists_do_not_grow_a_query_per_row(portal, books, customer, today):
    def more(n):
        for _ in range(n):
            inv = factories.invoice(customer, issued=today - timedelta(days=30))
            pay = factories.payment(customer, amount=10_000, received=today - timedelta(days=1))
            payment_allocate(actor=None, payment=pay, lines=[AllocationRequest(inv.pk, 10_000)])

    paths = ["/api/v1/portal/me", "/api/v1/portal/invoices", "/api/v1/portal/payments"]
    small = {p: count_queries(lambda p=p: portal.get(p)) for p in paths}
    more(8)
    large = {p: count_queries(lambda p=p: portal.get(p)) for p in paths}
    for p in paths:
        assert_flat(p, small[p], large[p], per_shape=0)


def _letters(customer, other_customer, company, today):
    from arms.confirmations.models import Confirmation
    from arms.confirmations.services.runs import confirmation_run_start

    run, _created = confirmation_run_start(company=company, period_end=today.replace(day=1) - timedelta(days=1),
                                           actor=None, inline=True)
    Confirmation.objects.filter(run=run).update(status="sent")
    return {c.customer_id: c for c in Confirmation.objects.filter(run=run)}


def test_the_contact_answers_a_confirmation_and_confirms_a_receipt_through_the_api(portal, books, customer,
                                                                                   other_customer, company, today,
                                                                                   contact):
    from arms.confirmations.models import Confirmation, ConfirmationDifference
    from arms.ledger.services.deliveries import invoice_delivery_record

    letters = _letters(customer, other_customer, company, today)
    mine, theirs = letters[customer.pk], letters[other_customer.pk]
    listed = portal.get("/api/v1/portal/confirmations").json()
    assert [c["id"] for c in listed["items"]] == [mine.pk]
    before = (AuditEvent.objects.count(), ConfirmationDifference.objects.count())
    refused = portal.post(f"/api/v1/portal/confirmations/{theirs.pk}/reply", json.dumps({"answer": "confirmed"}),
                          content_type="application/json")
    assert refused.status_code == 404 and (AuditEvent.objects.count(), ConfirmationDifference.objects.count()) == before
    body = {"answer": "disputed", "differences": [
        {"invoice_id": books["theirs"].pk, "kind": "amount_differs", "amount_minor": 100, "description": "x"}]}
    refused = portal.post(f"/api/v1/portal/confirmations/{mine.pk}/reply", json.dumps(body),
                          content_type="application/json")
    assert refused.status_code == 422 and (AuditEvent.objects.count(), ConfirmationDifference.objects.count()) == before
    answered = portal.post(f"/api/v1/portal/confirmations/{mine.pk}/reply", json.dumps({"answer": "confirmed"}),
                           content_type="application/json")
    assert answered.status_code == 200, answered.content
    assert Confirmation.objects.get(pk=mine.pk).status == "confirmed"

    invoice_delivery_record(invoice=books["mine"][1], actor=None, channel="email",
                            delivered_on=books["mine"][1].issue_date)
    receipt = portal.post(f"/api/v1/portal/invoices/{books['mine'][1].pk}/receipt")
    assert receipt.status_code == 201 and receipt.json()["channel"] == "portal"
    assert portal.post(f"/api/v1/portal/invoices/{books['theirs'].pk}/receipt").status_code == 404
