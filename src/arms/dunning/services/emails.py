"""The dunning e-mail outbox: send a queued message once, record failures, retry with backoff.

A row is claimed for sending by one conditional UPDATE (pending or failed → sending), so two workers never
send the same row; it is marked ``sent`` only after the SMTP server accepted the message, and a refused or
unreachable server leaves it ``failed`` with the server's words and the time of the next automatic attempt.
A row left ``sending`` by a worker that died is given back after ``STALE_AFTER``. The message keeps the
Message-ID written with the row, so a receiving system can recognise a resend.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_noop
from huey.contrib.djhuey import db_task

from arms.audit.services import audit_record
from arms.cases.services.activities import activity_record
from arms.dunning import documents
from arms.dunning.models import DunningEmail, EmailStatus
from arms.dunning.selectors import MAX_ATTEMPTS

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from arms.common.typing import Actor

log = logging.getLogger(__name__)

FIRST_BACKOFF = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)
STALE_AFTER = timedelta(minutes=30)


def backoff(attempts: int) -> timedelta:
    """5 min, 10, 20, ... doubling after each failed attempt, at most 6 hours."""
    delay: timedelta = FIRST_BACKOFF * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


def _message(email: DunningEmail) -> EmailMessage:
    message = EmailMessage(subject=email.subject, body=email.body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=email.recipients, headers={"Message-ID": email.message_id})
    action = email.action
    stage = action.stage
    # The letter and statement as stored when the action was carried out; one that was not rendered then (the
    # demo renders fewer) is rendered now from the same figures, so the e-mail always carries what it promises.
    wanted = {"letter": bool(stage.letter_kind), "statement": bool(stage.letter_kind or stage.attach_statement)}
    names = documents.file_names(action)
    for kind, field in (("letter", action.letter_pdf), ("statement", action.statement_pdf)):
        if field or wanted[kind]:
            name = field.name.rsplit("/", 1)[-1] if field else names[kind]
            message.attach(name, documents.stored_or_rendered(action, kind), "application/pdf")
    return message


def email_send(*, email_id: int) -> str:
    """Send one queued message if it is pending or failed; returns its status afterwards."""
    now = timezone.now()
    claimed = DunningEmail.objects.filter(pk=email_id, status__in=[EmailStatus.PENDING, EmailStatus.FAILED]).update(
        status=EmailStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    email = DunningEmail.objects.select_related("action__stage", "customer").get(pk=email_id)
    if not claimed:
        return email.status
    try:
        _message(email).send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        log.warning("dunning e-mail %s to %s failed: %s", email.pk, email.to_address, error)
        with transaction.atomic():
            DunningEmail.objects.filter(pk=email.pk).update(
                status=EmailStatus.FAILED, last_error=error, next_attempt_at=timezone.now() + backoff(email.attempts))
            audit_record(actor=None, action="dunning_email_failed", subject=email,
                         after={"attempt": email.attempts, "error": error})
        return EmailStatus.FAILED
    with transaction.atomic():
        DunningEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENT, sent_at=timezone.now(),
                                                        next_attempt_at=None)
        audit_record(actor=None, action="dunning_email_sent", subject=email,
                     after={"to": email.to_address, "message_id": email.message_id, "attempt": email.attempts})
        activity_record(customer=email.customer, kind="email", outcome="sent", source="dunning",
                        source_ref=f"email:{email.pk}", invoices=list(email.action.items.values_list(
                            "invoice_id", flat=True)),
                        note=f"{email.subject}\nTo: {email.to_address}\nMessage-ID: {email.message_id}")
    return EmailStatus.SENT


class EmailNotSent(Exception):
    """Raised so Huey retries the send later (the row already says why it failed)."""


@db_task(retries=5, retry_delay=300, retry_backoff=2)  # type: ignore[untyped-decorator]  # huey ships no types
def send_email(email_id: int) -> str:
    """The queue task that sends one outbox row (queued by ``action_process`` after its commit); a failure is
    recorded on the row and retried by Huey with backoff."""
    status = email_send(email_id=email_id)
    if status == EmailStatus.FAILED:
        raise EmailNotSent(f"dunning e-mail {email_id} not sent")
    return status


def emails_due(*, now: datetime | None = None, manual: bool = False,
               ids: Iterable[int] | None = None) -> QuerySet[DunningEmail, int]:
    """Rows a retry should try: failed ones whose next attempt is due (all failed ones when ``manual``), pending
    ones never tried, and ``sending`` ones abandoned by a dead worker."""
    now = now or timezone.now()
    stale = DunningEmail.objects.filter(status=EmailStatus.SENDING, last_attempt_at__lt=now - STALE_AFTER)
    stale.update(status=EmailStatus.FAILED, last_error="interrupted while sending")
    qs = DunningEmail.objects.filter(status__in=[EmailStatus.PENDING, EmailStatus.FAILED])
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if not manual:
        qs = qs.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), attempts__lt=MAX_ATTEMPTS)
    return qs.order_by("pk").values_list("pk", flat=True)


def emails_retry(*, now: datetime | None = None, manual: bool = False, ids: Iterable[int] | None = None,
                 actor: Actor = None, progress: Callable[..., None] | None = None) -> dict[str, int]:
    """Send every row ``emails_due`` names; counts per resulting status. ``progress(done, total, message,
    **values)``, if given, hears before each message (a background job's progress bar)."""
    counts: dict[str, int] = {}
    pks = list(emails_due(now=now, manual=manual, ids=ids))
    for number, pk in enumerate(pks, start=1):
        if progress is not None:
            progress(number - 1, len(pks), gettext_noop("Sending e-mail %(number)d of %(total)d"), number=number,
                     total=len(pks))
        status = email_send(email_id=pk)
        counts[status] = counts.get(status, 0) + 1
    return counts
