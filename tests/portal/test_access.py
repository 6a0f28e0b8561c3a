"""Portal links: issued for one contact, stored only as a hash, expiring, revocable, audited."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from arms.audit.models import AuditEvent
from arms.common.errors import Conflict, ValidationFailed
from arms.customers.models import PortalAccess
from arms.customers.portal_access import (
    portal_access_issue,
    portal_access_live,
    portal_access_resolve,
    portal_access_revoke,
    portal_link_issue,
)

pytestmark = pytest.mark.django_db


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_a_link_is_an_absolute_url_whose_token_is_stored_only_as_its_hash(contact, clerk, settings):
    settings.ARMS_BASE_URL = "https://arms.example.cn"
    url = portal_link_issue(contact=contact, actor=clerk, purpose="对账 2026-05")
    assert url.startswith("https://arms.example.cn/portal/enter/") and url.endswith("/")
    raw = _token(url)
    assert len(raw) >= 40
    access = PortalAccess.objects.get()
    assert access.customer == contact.customer and access.contact == contact and access.created_by == clerk
    assert access.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(PortalAccess.objects.values().get())
    assert access.purpose == "对账 2026-05" and access.use_count == 0 and access.last_used_at is None
    event = AuditEvent.objects.get(action="portal_link_issued")
    assert event.actor == clerk and event.subject_id == str(access.pk) and raw not in str(event.after)
    assert portal_access_resolve(raw) == access


def test_two_links_for_one_contact_have_different_tokens(contact):
    assert portal_link_issue(contact=contact, actor=None) != portal_link_issue(contact=contact, actor=None)


def test_the_default_validity_is_the_setting_and_a_link_expires(contact, settings):
    settings.ARMS_PORTAL_LINK_DAYS = 7
    access, raw = portal_access_issue(contact=contact, actor=None)
    assert access.expires_at - access.created_at == pytest.approx(timedelta(days=7), abs=timedelta(seconds=1))
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23), tick=False):
        assert portal_access_resolve(raw) == access
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1), tick=False):
        assert portal_access_resolve(raw) is None
        assert portal_access_live(access.pk) is None


@pytest.mark.parametrize("days", [0, -1, 367, True, "30"])
def test_validity_is_bounded_and_nothing_is_written(contact, days):
    with pytest.raises(ValidationFailed) as error:
        portal_link_issue(contact=contact, actor=None, valid_days=days)
    assert error.value.field == "valid_days"
    assert not PortalAccess.objects.exists() and not AuditEvent.objects.filter(action="portal_link_issued").exists()


def test_a_purpose_too_long_is_refused(contact):
    with pytest.raises(ValidationFailed) as error:
        portal_link_issue(contact=contact, actor=None, purpose="x" * 201)
    assert error.value.field == "purpose" and not PortalAccess.objects.exists()


def test_a_revoked_link_opens_nothing_and_revoking_is_audited_once(contact, clerk):
    access, raw = portal_access_issue(contact=contact, actor=None, valid_days=30)
    portal_access_revoke(access=access, actor=clerk)
    access.refresh_from_db()
    assert access.revoked_at is not None and access.revoked_by == clerk
    assert portal_access_resolve(raw) is None and portal_access_live(access.pk) is None
    assert AuditEvent.objects.filter(action="portal_link_revoked", actor=clerk).count() == 1
    with pytest.raises(Conflict) as error:
        portal_access_revoke(access=access, actor=clerk)
    assert error.value.code == "already_revoked"
    assert AuditEvent.objects.filter(action="portal_link_revoked").count() == 1


@pytest.mark.parametrize("raw", ["", "short", "x" * 43, "x" * 500, None, 17])
def test_unknown_or_malformed_tokens_resolve_to_nothing(contact, raw):
    portal_link_issue(contact=contact, actor=None)
    assert portal_access_resolve(raw) is None


def test_an_altered_token_resolves_to_nothing(contact):
    raw = _token(portal_link_issue(contact=contact, actor=None))
    altered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert portal_access_resolve(altered) is None
    assert portal_access_resolve(raw.upper() if raw.upper() != raw else raw.lower()) is None
