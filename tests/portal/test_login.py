"""The optional contact login (ARMS_PORTAL_CONTACT_LOGIN): off by default (404); when on, a contact in a portal
session sets a password and later logs in with their e-mail address; bad tries are rate limited and write nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from arms.audit.models import AuditEvent
from arms.customers.models import PortalAccess, PortalLogin
from arms.customers.portal_access import portal_access_issue
from arms.portal.session import PORTAL_SESSION_KEY

pytestmark = pytest.mark.django_db
GOOD = "长江-Valve-2026!"


@pytest.fixture
def portal(contact):
    cache.clear()
    _access, raw = portal_access_issue(contact=contact, actor=None)
    client = Client(REMOTE_ADDR="203.0.113.90")
    client.get(f"/portal/enter/{raw}/")
    return client


def test_contact_login_is_off_unless_the_company_enables_it(portal, settings):
    settings.ARMS_PORTAL_CONTACT_LOGIN = False
    assert Client().get("/portal/login/").status_code == 404
    assert portal.get("/portal/password/").status_code == 404
    assert 'href="/portal/password/"' not in portal.get("/portal/").content.decode()


def test_a_contact_sets_a_password_and_logs_in_with_it(portal, contact, settings):
    settings.ARMS_PORTAL_CONTACT_LOGIN = True
    assert portal.post("/portal/password/", {"password": "short", "password_again": "short"}).status_code == 400
    assert not PortalLogin.objects.exists()
    response = portal.post("/portal/password/", {"password": GOOD, "password_again": GOOD})
    assert response.status_code == 302
    login = PortalLogin.objects.get(contact=contact)
    assert GOOD not in login.password and AuditEvent.objects.filter(action="portal_password_set").count() == 1

    cache.clear()
    browser = Client(REMOTE_ADDR="203.0.113.91")
    assert browser.get("/portal/login/").status_code == 200
    response = browser.post("/portal/login/", {"email": contact.email.upper(), "password": GOOD})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    access = PortalAccess.objects.get(pk=browser.session[PORTAL_SESSION_KEY])
    assert access.contact == contact and access.purpose == "login"
    assert browser.get("/portal/").status_code == 200
    event = AuditEvent.objects.get(action="portal_logged_in")
    assert event.actor_name == f"portal:{contact.name}@203.0.113.91"


def test_a_wrong_password_writes_nothing_and_tries_are_rate_limited(portal, contact, settings):
    settings.ARMS_PORTAL_CONTACT_LOGIN = True
    settings.ARMS_PORTAL_ENTRY_FAILURE_LIMIT = 3
    portal.post("/portal/password/", {"password": GOOD, "password_again": GOOD})
    cache.clear()
    before = (AuditEvent.objects.count(), PortalAccess.objects.count())
    guesser = Client(REMOTE_ADDR="198.51.100.50")
    statuses = [guesser.post("/portal/login/", {"email": contact.email, "password": f"guess-{i}"}).status_code
                for i in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert guesser.post("/portal/login/", {"email": contact.email, "password": GOOD}).status_code == 429
    assert (AuditEvent.objects.count(), PortalAccess.objects.count()) == before
    assert PORTAL_SESSION_KEY not in guesser.session
