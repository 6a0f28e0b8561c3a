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
