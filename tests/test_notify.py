"""notify() writes a notification per user and e-mails those with an address, through a real SMTP server."""

from __future__ import annotations

import pytest

from arms.common.models import Notification
from arms.common.notify import notifications_unread, notify
from tests import factories
from tests.smtp import body_text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notify_writes_rows_and_mails_after_commit(smtp_server, settings):
    from django.db import transaction

    settings.ARMS_BASE_URL = "https://arms.example.cn"
    sales = factories.user("sales9", role="sales")
    sales.email = "sales9@example.cn"
    sales.save()
    credit = factories.user("credit9", role="credit_manager")  # no address: told in ARMS only

    with transaction.atomic():
        notify([sales, credit, None], subject="客户降级 C", body="评分 62", link="/credit/1/", kind="credit.downgrade")
        assert smtp_server.messages == []  # nothing leaves before the commit

    assert Notification.objects.filter(kind="credit.downgrade").count() == 2
    assert notifications_unread(credit) == 1
    [msg] = smtp_server.messages
    assert msg["To"] == "sales9@example.cn" and msg["Subject"] == "客户降级 C"
    assert "评分 62" in body_text(msg) and "https://arms.example.cn/credit/1/" in body_text(msg)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_notification_sends_nothing(smtp_server):
    from django.db import transaction

    user = factories.user("sales8", role="sales")
    user.email = "sales8@example.cn"
    user.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([user], subject="x")
        raise RuntimeError("the caller's work failed")
    assert smtp_server.messages == [] and not Notification.objects.exists()


@pytest.mark.django_db
def test_one_selector_and_one_service_for_every_reader_and_writer():
    """The bell, the page and the API read the count and the list through the same selector and mark through the
    same service: they agree, and a user marks only their own."""
    from django.test import Client

    from arms.common.notify import notification_list, notification_mark_read, notifications_mark_all_read
    from tests.api.conftest import Api

    alice, bob = factories.user("alice", role="sales"), factories.user("bob", role="sales")
    notify([alice], subject="一")
    notify([alice], subject="二")
    [bobs] = notify([bob], subject="别人的")
    api, page = Api(alice), Client()
    page.force_login(alice)
    assert notifications_unread(alice) == api.get("/me").json()["unread_notifications"] == 2
    assert page.get("/notifications/").context["unread_notifications"] == 2  # the bell
    assert notification_mark_read(user=alice, notification_id=bobs.pk) is None  # not hers: nothing written
    assert api.post(f"/me/notifications/{bobs.pk}/read").status_code == 404
    assert notifications_unread(bob) == 1
    first = notification_list(user=alice).last()
    read = notification_mark_read(user=alice, notification_id=first.pk)
    assert read.read_at is not None
    assert notification_mark_read(user=alice, notification_id=first.pk).read_at == read.read_at  # read once
    assert [n.subject for n in notification_list(user=alice, unread_only=True)] == ["二"]
    assert api.get("/me/notifications", {"unread": True}).json()["count"] == 1
    assert notifications_mark_all_read(user=alice) == 1 and notifications_unread(alice) == 0
    assert notifications_unread(bob) == 1


def test_nothing_but_the_notification_module_reads_or_writes_read_state():
    """``read_at`` is filtered and written in arms/common/notify.py only (not in views, the API or the bell)."""
    from pathlib import Path

    import arms

    root = Path(arms.__file__).parent
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if "migrations" not in path.parts and path.name != "notify.py"
                 and ("read_at__" in path.read_text() or ".read_at =" in path.read_text())]
    assert offenders == []


@pytest.mark.django_db
def test_the_company_selector_reads_only(settings):
    from arms.customers.models import Company
    from arms.customers.selectors import company_default
    from arms.customers.services import company_ensure

    settings.ARMS_COMPANY_CODE = "NEWCO"
    assert company_default() is None and not Company.objects.filter(code="NEWCO").exists()  # reading wrote nothing
    made = company_ensure()
    assert company_default() == made == company_ensure() and Company.objects.filter(code="NEWCO").count() == 1
