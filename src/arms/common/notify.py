"""Tell people inside ARMS, and by e-mail: one call for every capability that needs someone to act.

``notify`` writes a Notification per user (shown under the bell in the web UI and at /api/v1/notifications)
and, once the surrounding transaction commits, e-mails each user who has an address through the configured
SMTP server (``ARMS_SMTP_URL``). A failed e-mail is logged and leaves the notification in place.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

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


def notifications_unread(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
