"""/api/v1/me: the caller, and their notifications (and only theirs)."""

from __future__ import annotations

import pytest

from arms.common.models import Notification
from arms.common.notify import notify
from tests import factories

pytestmark = pytest.mark.django_db



@pytest.fixture
def collector(db):
    return factories.user("col1", role="collector")


def test_me_names_roles_permissions_and_unread(client, collector):
    other = factories.user("col2", role="collector")
    notify([collector, other], subject="promise broken")
    client.force_login(collector)

    body = client.get("/api/v1/me").json()

    assert body["username"] == "col1" and body["roles"] == ["collector"]
    assert "ledger.view_invoice" in body["permissions"] and "ledger.add_invoice" not in body["permissions"]
    assert body["unread_notifications"] == 1


def test_me_writes_a_chinese_name_family_name_first(client, collector):
    collector.first_name, collector.last_name = "丽", "赵"
    collector.save(update_fields=["first_name", "last_name"])
    client.force_login(collector)

    assert client.get("/api/v1/me").json()["name"] == "赵丽"


def test_notifications_are_private_and_can_be_read(client, collector):
    other = factories.user("col2", role="collector")
    [mine] = notify([collector], subject="mine", link="/collections/")
    [theirs] = notify([other], subject="theirs")
    client.force_login(collector)

    page = client.get("/api/v1/me/notifications?unread=true").json()
    assert [n["subject"] for n in page["items"]] == ["mine"] and page["count"] == 1

    assert client.post(f"/api/v1/me/notifications/{theirs.pk}/read").status_code == 404
    response = client.post(f"/api/v1/me/notifications/{mine.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert client.get("/api/v1/me").json()["unread_notifications"] == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_web_bell_counts_and_opening_marks_read(client, collector):
    [row] = notify([collector], subject="降级", link="/customers/")
    client.force_login(collector)

    page = client.get("/notifications/")
    assert page.status_code == 200 and "降级" in page.content.decode()
    assert page.context["unread_notifications"] == 1

    response = client.post(f"/notifications/{row.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/customers/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert client.get("/notifications/").context["unread_notifications"] == 0


def test_an_outside_link_is_not_followed(client, collector):
    [row] = notify([collector], subject="x", link="https://evil.example.com/")
    client.force_login(collector)
    assert client.post(f"/notifications/{row.pk}/open/")["Location"] == "/notifications/"
