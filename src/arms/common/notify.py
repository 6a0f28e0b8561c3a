"""Tell people inside ARMS, and by e-mail: one call for every capability that needs someone to act.

``notify`` writes a Notification per user (shown under the bell in the web UI and at /api/v1/notifications)
and, once the surrounding transaction commits, e-mails each user who has an address through the configured
SMTP server (``ARMS_SMTP_URL``). A failed e-mail is logged and leaves the notification in place.

The one way to read and mark them, for the bell, the /notifications/ page and the API alike: the selectors
``notification_list`` and ``notifications_unread`` (the unread count) read; the services
``notification_mark_read`` and ``notifications_mark_all_read`` write. A user only ever sees and marks their own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from arms.common.links import absolute_url
from arms.common.models import Notification

log = logging.getLogger(__name__)


def notify(users: Iterable, *, subject: str, body: str = "", link: str = "", kind: str = "") -> list[Notification]:
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    rows = Notification.objects.bulk_create(
        Notification(user=u, kind=kind, subject=subject[:200], body=body, link=link) for u in recipients.values()
    )
    addresses = sorted({u.email for u in recipients.values() if u.email})
    if addresses:
        text = body + (f"\n\n{absolute_url(link)}" if link else "")
        messages = [(subject, text, settings.DEFAULT_FROM_EMAIL, [a]) for a in addresses]

        def send() -> None:
            try:
                send_mass_mail(messages, fail_silently=False)
            except OSError as exc:  # the notification itself is written; the e-mail is a courtesy
                log.warning("notification e-mail %r to %s failed: %s", subject, addresses, exc)

        transaction.on_commit(send)
    return rows


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (the model's ordering); only the unread ones if asked."""
    rows = Notification.objects.filter(user=user)
    return rows.filter(read_at__isnull=True) if unread_only else rows


def notifications_unread(user) -> int:
    """How many of the user's notifications are unread: the bell, the /api/v1/me count. One query."""
    return notification_list(user=user, unread_only=True).count()


def notification_mark_read(*, user, notification_id: int) -> Notification | None:
    """Mark one of the user's notifications read (once: the first reading time stays); None if it is not theirs."""
    row = notification_list(user=user).filter(pk=notification_id).first()
    if row is not None and row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    return row


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; how many were marked."""
    return notification_list(user=user, unread_only=True).update(read_at=timezone.now())
