"""Making, storing and e-mailing the monthly management report.

- ``report_generate`` builds the file (PDF or XLSX) from analytics' figures and stores it as a ``ReportRun``
  in a short transaction of its own, with an audit event. The build itself (seconds for a PDF) runs before
  the transaction, so no row is locked while WeasyPrint lays out pages.
- ``monthly_report_scheduled`` is what the Huey schedule calls: from 08:00 Beijing time on the month's first
  working day it makes the previous month's PDF and XLSX once (a conditional unique constraint refuses a
  second scheduled run for the same month, even from a second worker) and, once that transaction has
  committed, e-mails both to the executives. Run again, it finds the runs and sends nothing; a run whose
  e-mail failed is re-sent by the next check.
- ``report_email`` sends runs to the executives through Django's SMTP backend and notes the addresses and
  the time on the runs (with an audit event) once the server has accepted the message.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from arms.accounts.roles import Role
from arms.audit.services import audit_record
from arms.common.errors import ErrorCode, ValidationFailed
from arms.common.links import absolute_url
from arms.reports import schedule
from arms.reports.models import CONTENT_TYPES, ReportFormat, ReportKind, ReportRun, ReportTrigger
from arms.reports.render import monthly_pdf, monthly_xlsx
from arms.reports.selectors.monthly import monthly_report_data

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor, JsonDict

log = logging.getLogger(__name__)

#: The management report is written in Simplified Chinese, whatever the language of the person asking.
REPORT_LANGUAGE = "zh-hans"
SCHEDULED_FORMATS = (ReportFormat.PDF, ReportFormat.XLSX)


def report_month_check(month: date | str, *, today: date | None = None) -> date:
    """The first day of ``month`` ("2026-10" or a date); a month that has not begun is refused (field month)."""
    if isinstance(month, str):
        try:
            month = schedule.parse_month(month)
        except schedule.MonthError as exc:
            messages = {
                "format": _("'%(text)s' is not a month like 2026-10 (YYYY-MM)."),
                "month": _("'%(text)s': the month must be between 01 and 12."),
                "year": _("'%(text)s': the year must be between 1900 and 2999."),
            }
            raise ValidationFailed(messages[exc.reason] % {"text": exc.text[:20]}, field="month") from None
    month = schedule.month_start(month)
    today = today or timezone.localdate()
    if month > schedule.month_start(today):
        raise ValidationFailed(
            _("%(month)s has not begun yet.") % {"month": f"{month:%Y-%m}"}, field="month", code=ErrorCode.INVALID)
    return month


def report_format_check(fmt: str) -> str:
    if fmt not in ReportFormat.values:
        raise ValidationFailed(_("The format is pdf or xlsx."), field="format")
    return fmt


def report_filename(*, month: date, fmt: str) -> str:
    return f"arms-monthly-report-{month:%Y-%m}.{fmt}"


def report_build(*, month: date, fmt: str, today: date | None = None, language: str = REPORT_LANGUAGE) -> bytes:
    """The file's bytes: the month's figures from analytics, laid out as PDF or XLSX."""
    return report_build_formats(month=month, formats=(fmt,), today=today, language=language)[fmt]


def report_build_formats(*, month: date, formats: Iterable[str], today: date | None = None,
                         language: str = REPORT_LANGUAGE) -> dict[str, bytes]:
    """The month's report in each of ``formats``, from one collection of the figures."""
    with translation.override(language):
        data = monthly_report_data(month=month, today=today or timezone.localdate())
        return {fmt: monthly_pdf(data) if fmt == ReportFormat.PDF else monthly_xlsx(data) for fmt in formats}


def _store(*, month: date, fmt: str, content: bytes, trigger: str, actor: Actor = None) -> ReportRun:
    run = ReportRun.objects.create(
        kind=ReportKind.MONTHLY, period=month, format=fmt, filename=report_filename(month=month, fmt=fmt),
        content=content, size_bytes=len(content), sha256=hashlib.sha256(content).hexdigest(),
        # an authenticated actor is a User (an anonymous one, or None, is the system)
        generated_at=timezone.now(),
        generated_by=cast("User", actor) if getattr(actor, "is_authenticated", False) else None,
        trigger=trigger,
    )
    audit_record(actor=actor, action="report_generated", subject=run,
                 after={"kind": run.kind, "month": f"{month:%Y-%m}", "format": fmt, "trigger": trigger,
                        "sha256": run.sha256, "size_bytes": run.size_bytes})
    return run


def report_generate(*, month: date | str, fmt: str, trigger: str, actor: Actor = None, email: bool = False,
                    today: date | None = None, progress: Callable[..., None] | None = None) -> ReportRun:
    """Make the month's report in ``fmt`` now and store it; with ``email`` send it to the executives.

    ``progress(done, total, message, **values)``, if given, hears each step (a background job's progress)."""
    month = report_month_check(month, today=today)
    fmt = report_format_check(fmt)
    steps = 3 if email else 2
    if progress is not None:
        progress(0, steps, gettext_noop("Collecting the figures of %(month)s and laying out the report"),
                 month=f"{month:%Y-%m}")
    content = report_build(month=month, fmt=fmt, today=today)
    if progress is not None:
        progress(1, steps, gettext_noop("Storing the report"))
    with transaction.atomic(durable=True):
        run = _store(month=month, fmt=fmt, content=content, trigger=trigger, actor=actor)
    if email:  # the durable block has committed: the run exists before anyone is told about it
        if progress is not None:
            progress(2, steps, gettext_noop("E-mailing the report to the executives"))
        report_email(runs=[run])
    return run


def report_latest(*, month: date, fmt: str) -> ReportRun | None:
    return ReportRun.objects.filter(kind=ReportKind.MONTHLY, period=month, format=fmt).order_by(
        "-generated_at", "-pk").first()


def report_get_or_generate(*, month: date | str, fmt: str, trigger: str, actor: Actor = None,
                           today: date | None = None) -> tuple[ReportRun, bool]:
    """The latest stored report of the month in ``fmt``, made first if there is none: (run, created)."""
    month = report_month_check(month, today=today)
    fmt = report_format_check(fmt)
    existing = report_latest(month=month, fmt=fmt)
    if existing is not None:
        return existing, False
    return report_generate(month=month, fmt=fmt, trigger=trigger, actor=actor, today=today), True


def executive_addresses() -> list[str]:
    """E-mail addresses of the active users in the executive group, sorted, each once."""
    users = get_user_model().objects.filter(groups__name=Role.EXECUTIVE.value, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def report_email(*, runs: list[ReportRun], recipients: list[str] | None = None) -> list[str]:
    """E-mail ``runs`` (one message, each run attached) to the executives; returns the addresses sent to.

    Call it after the runs are committed (after the durable block that stored them). A refused or unreachable
    SMTP server is logged and leaves the runs marked unsent, so the scheduler tries again at its next check.
    """
    recipients = executive_addresses() if recipients is None else recipients
    if not runs or not recipients:
        if runs:
            log.warning("monthly report %s: no executive has an e-mail address; nothing sent", runs[0].period)
        return []
    month = runs[0].period
    with translation.override(REPORT_LANGUAGE):
        subject = _("ARMS monthly management report %(month)s") % {"month": f"{month:%Y-%m}"}
        body = _("The monthly accounts receivable management report for %(month)s is attached (%(files)s).\n\n"
                 "It can also be downloaded in ARMS at %(link)s") % {
            "month": f"{month:%Y-%m}", "files": ", ".join(r.filename for r in runs),
            "link": absolute_url(reverse("reports:monthly"))}
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients)
    for run in runs:
        message.attach(run.filename, bytes(run.content), CONTENT_TYPES[ReportFormat(run.format)])
    try:
        message.send(fail_silently=False)
    except OSError:  # smtplib's errors are OSErrors, as are refused connections
        log.exception("monthly report %s: e-mail to %s failed", month, recipients)
        return []
    sent_at = timezone.now()
    with transaction.atomic():
        for run in runs:
            ReportRun.objects.filter(pk=run.pk).update(emailed_to=recipients, emailed_at=sent_at)
            run.emailed_to, run.emailed_at = recipients, sent_at
            audit_record(actor=None, action="report_emailed", subject=run,
                         after={"to": recipients, "format": run.format, "month": f"{month:%Y-%m}"})
    return recipients


def monthly_report_scheduled(*, now: datetime | None = None) -> JsonDict:
    """The scheduler's check: make and send last month's report once, from its due time on.

    Returns what it did: ``{"status": "not_due" | "generated" | "exists", "month", "runs", "emailed_to"}``.
    """
    now = now or timezone.now()
    local = now.astimezone(schedule.SHANGHAI) if now.tzinfo else now
    if not schedule.report_due(local):
        return {"status": "not_due", "month": None, "runs": [], "emailed_to": []}
    month = schedule.previous_month(schedule.month_start(local.date()))
    scheduled = ReportRun.objects.filter(kind=ReportKind.MONTHLY, period=month, trigger=ReportTrigger.SCHEDULE)
    have = {run.format: run for run in scheduled}
    missing = [fmt for fmt in SCHEDULED_FORMATS if fmt not in have]
    if not missing:
        unsent = [have[fmt] for fmt in SCHEDULED_FORMATS if have[fmt].emailed_at is None]
        sent = report_email(runs=unsent) if unsent else []
        return {"status": "exists", "month": f"{month:%Y-%m}", "runs": [r.pk for r in have.values()],
                "emailed_to": sent}
    contents = report_build_formats(month=month, formats=missing, today=local.date())
    try:
        with transaction.atomic(durable=True):
            for fmt in missing:
                have[fmt] = _store(month=month, fmt=fmt, content=contents[fmt], trigger=ReportTrigger.SCHEDULE)
    except IntegrityError:
        # another worker stored the month's scheduled report first; it sends the e-mail
        return {"status": "exists", "month": f"{month:%Y-%m}", "runs": [], "emailed_to": []}
    runs = [have[fmt] for fmt in SCHEDULED_FORMATS]
    sent = report_email(runs=runs)  # after the durable block: the runs are committed
    return {"status": "generated", "month": f"{month:%Y-%m}", "runs": [r.pk for r in runs], "emailed_to": sent}
