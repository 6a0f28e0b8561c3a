"""/api/v1/customers/{id}/portal-links: staff issue, list and revoke a contact's portal link."""

import pytest

from arms.audit.models import AuditEvent
from arms.customers.models import PortalAccess
from arms.customers.portal_access import portal_access_resolve
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_a_collector_issues_lists_and_revokes_a_link(api_for, customer, contact, settings):
    settings.ARMS_BASE_URL = "https://arms.example.cn"
    api = api_for("collector")
    response = api.post(f"/customers/{customer.pk}/portal-links", {"contact_id": contact.pk, "purpose": "对账",
                                                                     "valid_days": 10})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["url"].startswith("https://arms.example.cn/portal/enter/")
    assert body["contact_id"] == contact.pk and body["live"] is True and body["use_count"] == 0
    access = PortalAccess.objects.get(pk=body["id"])
    assert portal_access_resolve(body["url"].rstrip("/").rsplit("/", 1)[-1]) == access

    listed = api.get(f"/customers/{customer.pk}/portal-links").json()
    assert listed["count"] == 1 and "url" not in listed["items"][0]
    assert listed["items"][0]["contact_name"] == contact.name

    revoked = api.post(f"/customers/{customer.pk}/portal-links/{access.pk}/revoke")
    assert revoked.status_code == 200 and revoked.json()["live"] is False
    assert_error(api.post(f"/customers/{customer.pk}/portal-links/{access.pk}/revoke"), 409, "already_revoked",
                 "access")


def test_another_customers_contact_or_link_is_not_found_and_nothing_is_written(api_for, customer, contact,
                                                                              other_customer, other_contact):
    api = api_for("finance_clerk")
    theirs = api.post(f"/customers/{other_customer.pk}/portal-links", {"contact_id": other_contact.pk}).json()
    before = (PortalAccess.objects.count(), AuditEvent.objects.count())
    assert_error(api.post(f"/customers/{customer.pk}/portal-links", {"contact_id": other_contact.pk}), 404,
                 "not_found", "contact_id")
    assert_error(api.post(f"/customers/{customer.pk}/portal-links/{theirs['id']}/revoke"), 404, "not_found",
                 "link_id")
    assert (PortalAccess.objects.count(), AuditEvent.objects.count()) == before
    assert PortalAccess.objects.get(pk=theirs["id"]).revoked_at is None


def test_validity_out_of_bounds_is_refused_naming_the_field(api_for, customer, contact):
    api = api_for("finance_clerk")
    response = api.post(f"/customers/{customer.pk}/portal-links", {"contact_id": contact.pk, "valid_days": 400})
    assert response.status_code == 422 and not PortalAccess.objects.exists()
    assert "valid_days" in response.content.decode()


def test_roles_without_the_permission_are_refused(api_for, customer, contact):
    api = api_for("auditor")
    assert api.get(f"/customers/{customer.pk}/portal-links").status_code == 200
    assert_error(api.post(f"/customers/{customer.pk}/portal-links", {"contact_id": contact.pk}), 403, "forbidden",
                 None)
    assert not PortalAccess.objects.exists()
