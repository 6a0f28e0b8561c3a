"""Entering the portal with a link: a live token opens a session for its contact and leaves the address bar;
an expired, revoked, altered, unknown or another customer's token gets a plain page and writes nothing; bad tries
from one address are rate limited."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from arms.audit.models import AuditEvent
from arms.customers.models import PortalAccess
from arms.customers.portal_access import portal_access_issue, portal_access_revoke
from arms.portal.session import PORTAL_SESSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def enter_url(raw: str) -> str:
    return f"/portal/enter/{raw}/"


def nothing_written(before):
    access_rows = list(PortalAccess.objects.values_list("pk", "last_used_at", "use_count", "revoked_at"))
    return (AuditEvent.objects.count(), access_rows) == before


def snapshot():
    return AuditEvent.objects.count(), list(PortalAccess.objects.values_list("pk", "last_used_at", "use_count",
                                                                              "revoked_at"))


def test_a_live_link_opens_the_portal_and_the_token_leaves_the_address_bar(contact):
    access, raw = portal_access_issue(contact=contact, actor=None)
    client = Client(REMOTE_ADDR="203.0.113.7")
    response = client.get(enter_url(raw))
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.session[PORTAL_SESSION_KEY] == access.pk
    access.refresh_from_db()
    assert access.use_count == 1 and access.last_used_at is not None
    event = AuditEvent.objects.get(action="portal_entered")
    assert event.actor is None and event.actor_name == f"portal:{contact.name}@203.0.113.7"
    home = client.get("/portal/")
    assert home.status_code == 200 and raw not in home.content.decode()
    assert f'id="portal-customer">{contact.customer.name}<' in home.content.decode()


def _expired(contact):
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        _access, raw = portal_access_issue(contact=contact, actor=None, valid_days=1)
    return raw


def _revoked(contact):
    access, raw = portal_access_issue(contact=contact, actor=None)
    portal_access_revoke(access=access, actor=None)
    return raw


def _altered(contact):
    _access, raw = portal_access_issue(contact=contact, actor=None)
    return raw[:-2] + ("AA" if raw[-2:] != "AA" else "BB")


def _unknown(contact):
    portal_access_issue(contact=contact, actor=None)
    return "x" * 43


@pytest.mark.parametrize("make", [_expired, _revoked, _altered, _unknown], ids=["expired", "revoked", "altered",
                                                                                 "unknown"])
def test_a_bad_link_gets_a_plain_page_and_writes_nothing(contact, make):
    raw = make(contact)
    before = snapshot()
    client = Client()
    response = client.get(enter_url(raw))
    assert response.status_code == 404
    assert b'id="portal-refused"' in response.content and contact.customer.name.encode() not in response.content
    assert PORTAL_SESSION_KEY not in client.session
    assert snapshot() == before
    assert client.get("/portal/").status_code == 403


def test_another_customers_link_shows_only_that_customer(contact, other_contact):
    _mine, _raw = portal_access_issue(contact=contact, actor=None)
    _theirs, their_raw = portal_access_issue(contact=other_contact, actor=None)
    client = Client()
    client.get(enter_url(their_raw))
    page = client.get("/portal/").content.decode()
    assert other_contact.customer.name in page and contact.customer.name not in page


def test_a_link_revoked_mid_session_ends_the_session(contact):
    access, raw = portal_access_issue(contact=contact, actor=None)
    client = Client()
    client.get(enter_url(raw))
    assert client.get("/portal/").status_code == 200
    portal_access_revoke(access=access, actor=None)
    assert client.get("/portal/").status_code == 403
    assert PORTAL_SESSION_KEY not in client.session
    assert client.get("/portal/invoices/").status_code == 403


def test_a_link_expiring_mid_session_ends_the_session(contact):
    _access, raw = portal_access_issue(contact=contact, actor=None, valid_days=1)
    client = Client()
    client.get(enter_url(raw))
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert client.get("/portal/").status_code == 403


def test_a_staff_login_grants_nothing_in_the_portal_and_a_portal_session_nothing_outside(contact, clerk):
    staff = Client()
    staff.force_login(clerk)
    assert staff.get("/portal/").status_code == 403
    _access, raw = portal_access_issue(contact=contact, actor=None)
    contact_client = Client()
    contact_client.get(enter_url(raw))
    assert contact_client.get("/portal/").status_code == 200
    staff_page = contact_client.get(f"/customers/{contact.customer.pk}/")
    assert staff_page.status_code == 302 and "/login/" in staff_page["Location"]
    assert contact_client.get("/api/v1/customers").status_code == 401


def test_bad_links_from_one_address_are_rate_limited(contact, settings):
    settings.ARMS_PORTAL_ENTRY_FAILURE_LIMIT = 3
    _access, raw = portal_access_issue(contact=contact, actor=None)
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    statuses = [attacker.get(enter_url("y" * 43 + str(i))).status_code for i in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
    before = snapshot()
    # even the right token is refused from that address until the cool-off ends
    assert attacker.get(enter_url(raw)).status_code == 429
    assert snapshot() == before and PORTAL_SESSION_KEY not in attacker.session
    # another address is not affected
    assert Client(REMOTE_ADDR="198.51.100.10").get(enter_url(raw)).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.ARMS_PORTAL_ENTRY_COOLOFF_MINUTES + 1)):
        assert attacker.get(enter_url(raw)).status_code == 302
