"""Staff issue, see and revoke a contact's portal link on the customer page."""

import pytest
from django.core import mail

from arms.customers.models import PortalAccess
from arms.customers.portal_access import portal_access_resolve
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_collector_issues_a_link_sees_it_once_and_revokes_it(client, customer, contact, settings):
    settings.ARMS_BASE_URL = "https://arms.example.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(factories.user("col", role="collector"))
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="portal-link-form"' in page
    response = client.post(f"/customers/{customer.pk}/portal-links/",
                           {"contact": contact.pk, "valid_days": 14, "purpose": "对账", "send_email": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    url = html.split('id="portal-link-url"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert url.startswith("https://arms.example.cn/portal/enter/")
    access = PortalAccess.objects.get()
    assert portal_access_resolve(url.rstrip("/").rsplit("/", 1)[-1]) == access
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert f'data-link="{access.pk}"' in page and url not in page
    response = client.post(f"/customers/{customer.pk}/portal-links/{access.pk}/revoke/")
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.revoked_at is not None


def test_the_link_can_be_emailed_to_the_contact(client, customer, contact, django_capture_on_commit_callbacks,
                                                settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(factories.user("clerk2", role="finance_clerk"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/customers/{customer.pk}/portal-links/", {"contact": contact.pk, "send_email": "on"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [contact.email]
    assert "/portal/enter/" in mail.outbox[0].body


def test_another_customers_link_cannot_be_revoked_from_this_customer(client, customer, contact, other_contact):
    from arms.customers.portal_access import portal_access_issue

    theirs, _raw = portal_access_issue(contact=other_contact, actor=None)
    client.force_login(factories.user("clerk3", role="finance_clerk"))
    assert client.post(f"/customers/{customer.pk}/portal-links/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_role_without_the_permission_sees_no_form_and_is_refused(client, customer, contact):
    client.force_login(factories.user("aud", role="auditor"))
    assert 'id="portal-link-form"' not in client.get(f"/customers/{customer.pk}/").content.decode()
    assert client.post(f"/customers/{customer.pk}/portal-links/", {"contact": contact.pk}).status_code == 403
    assert not PortalAccess.objects.exists()
