"""Shared model plumbing: timestamps, gap-free document numbers, idempotency records.

- ``DocumentSequence`` hands out gap-free numbers per company and series from a row that is locked
  for the length of the posting transaction, so two postings can never take the same number.
- ``IdempotencyRecord`` remembers (scope, key) -> the object a create call made and a fingerprint of
  its input, so a retried request returns the first result and never books twice.
- ``Job`` is one piece of long work run by the queue consumer for a person (a report, a dunning run, a batch
  of e-mails): its kind, parameters, status, progress and result (see ``arms.common.jobs``).
  *At most one job per (kind, dedupe key) is queued or running: a conditional unique constraint, so two
  clicks, two browser tabs or 32 simultaneous API calls start it once and the others get that job.
  *Status moves queued -> running -> done | failed, never back; ``done`` has a finish time, ``failed`` too.
- ``Attachment`` is a file kept as evidence, stored once per SHA-256 (``arms.common.attachments.attachment_store``):
  a signed delivery note, a sent letter's PDF, a signed receipt scan. Used by collection cases and the ledger's
  invoice deliveries. *Immutable: ``save()`` refuses an update and the queryset updates and deletes; database
  triggers refuse UPDATE (both databases) and DELETE (PostgreSQL). Its table is still ``cases_attachment``
  (it moved here from arms.cases so that the ledger can keep scans too).
- ``QueueHeartbeat`` is one row per queue consumer (host and process): the last time it was seen working,
  so a page can say when nothing consumes the queue (``arms.common.queue``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arms.common.errors import EvidenceImmutable


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When the row was written."))

    class Meta:
        abstract = True


class DocumentSequence(models.Model):
    company = models.ForeignKey(
        "customers.Company", on_delete=models.PROTECT, help_text=_("The legal entity whose series this is.")
    )
    series = models.CharField(_("series"), max_length=20, help_text=_("Document series, e.g. INV, RCV, CN."))
    next_value = models.PositiveBigIntegerField(
        _("next value"), default=1, help_text=_("The number the next document takes.")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "series"], name="sequence_unique_per_company")]

    def __str__(self) -> str:
        return f"{self.series}:{self.next_value}"


class IdempotencyRecord(TimeStampedModel):
    scope = models.CharField(_("scope"), max_length=40, help_text=_("What kind of call, e.g. invoice.post."))
    key = models.CharField(_("idempotency key"), max_length=200, help_text=_("The client's key for the call."))
    fingerprint = models.CharField(
        _("fingerprint"), max_length=64, help_text=_("SHA-256 of the call's input, to refuse a reused key.")
    )
    object_id = models.BigIntegerField(_("object id"), help_text=_("Primary key of the object the call made."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_unique_per_scope")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class Notification(TimeStampedModel):
    """A message to one user inside ARMS (a downgrade, a broken promise, a dispute near its SLA, a report).

    Written by ``arms.common.notify.notify``, which also e-mails it to users who have an address.
    """

    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="notifications", help_text=_("Who is told.")
    )
    kind = models.CharField(
        _("kind"), max_length=40, blank=True, help_text=_("What it is about, e.g. credit.downgrade.")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True, help_text=_("Where in ARMS to act on it."))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.subject


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


#: the states in which a job still holds its (kind, dedupe key)
JOB_ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def job_result_path(instance, filename: str) -> str:
    return f"jobs/{instance.created_at:%Y/%m}/{instance.pk}/{filename}"


class Job(models.Model):
    kind = models.CharField(
        _("kind"), max_length=60, help_text=_("The registered name of the work, e.g. reports.monthly.")
    )
    params = models.JSONField(
        _("parameters"), default=dict, blank=True,
        help_text=_("What the work is to do, e.g. the month and format of a report (a few hundred bytes at most)."),
    )
    dedupe_key = models.CharField(
        _("deduplication key"), max_length=200, blank=True,
        help_text=_("While a job of this kind with this key is queued or running, starting it again returns it."),
    )
    language = models.CharField(
        _("language"), max_length=10, blank=True,
        help_text=_("The language of the person who started it: messages and errors are written in it."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who started it; empty for the system."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED,
        help_text=_("Queued until a consumer takes it, running, then done or failed."),
    )
    progress_done = models.PositiveIntegerField(_("done"), default=0, help_text=_("Steps done so far."))
    progress_total = models.PositiveIntegerField(
        _("total"), null=True, blank=True, help_text=_("Steps in all; empty while unknown.")
    )
    message = models.CharField(
        _("message"), max_length=300, blank=True,
        help_text=_("What the job is doing now, as its message id; translated when shown."),
    )
    message_params = models.JSONField(
        _("message parameters"), default=dict, blank=True, help_text=_("The values the message names."),
    )
    error = models.TextField(
        _("error"), blank=True, help_text=_("Why it failed, in words for people (never a traceback)."),
    )
    error_code = models.CharField(
        _("error code"), max_length=60, blank=True, help_text=_("Why it failed, as a stable code for programs."),
    )
    result_url = models.CharField(
        _("result link"), max_length=300, blank=True, help_text=_("The page of what the job made, inside ARMS."),
    )
    result_api_url = models.CharField(
        _("result API link"), max_length=300, blank=True, help_text=_("The API address of what the job made."),
    )
    result_label = models.CharField(
        _("result label"), max_length=200, blank=True,
        help_text=_("The text of the result link, as its message id; translated when shown."),
    )
    result_data = models.JSONField(
        _("result data"), default=dict, blank=True,
        help_text=_("A small summary of the outcome for programs (ids and counts)."),
    )
    result_file = models.FileField(
        _("result file"), upload_to=job_result_path, blank=True, max_length=300,
        help_text=_("A file the job made, downloaded as an attachment."),
    )
    result_content_type = models.CharField(
        _("result content type"), max_length=100, blank=True,
        help_text=_("The file's media type, from the few ARMS serves (PDF, Excel, CSV, ZIP)."),
    )
    worker = models.CharField(
        _("worker"), max_length=200, blank=True, help_text=_("The consumer (host:process) that ran it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was started."))
    started_at = models.DateTimeField(
        _("started at"), null=True, blank=True, help_text=_("When a consumer took it from the queue."),
    )
    updated_at = models.DateTimeField(
        _("updated at"), null=True, blank=True, help_text=_("When it last reported progress."),
    )
    finished_at = models.DateTimeField(
        _("finished at"), null=True, blank=True, help_text=_("When it was done or failed."),
    )

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "dedupe_key"], condition=models.Q(status__in=["queued", "running"]) & ~models.Q(
                    dedupe_key=""), name="job_one_active_per_kind_and_key",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]), name="job_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running"]) | models.Q(finished_at__isnull=False),
                name="job_finished_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(progress_total__isnull=True) | models.Q(progress_done__lte=models.F(
                    "progress_total")), name="job_progress_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["started_by", "-created_at"], name="job_by_starter"),
            models.Index(fields=["kind", "status"], name="job_by_kind_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in JOB_ACTIVE

    @property
    def percent(self) -> int | None:
        """Progress in whole percent, or None while the total is unknown."""
        if not self.progress_total:
            return 100 if self.status == JobStatus.DONE else None
        return min(100, self.progress_done * 100 // self.progress_total)


class QueueHeartbeat(models.Model):
    """The last sign of life of one queue consumer; several consumers on several machines each keep a row."""

    consumer = models.CharField(
        _("consumer"), max_length=200, unique=True, help_text=_("Host name and process id of the consumer."),
    )
    seen_at = models.DateTimeField(_("seen at"), help_text=_("When the consumer last ran its heartbeat or a job."))
    started_at = models.DateTimeField(_("started at"), help_text=_("When the consumer (re)started."))

    class Meta:
        verbose_name = _("queue heartbeat")
        verbose_name_plural = _("queue heartbeats")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.consumer} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class ImmutableQuerySet(models.QuerySet):
    """Evidence is never changed or removed: bulk updates and deletes are refused before they reach SQL."""

    def update(self, **kwargs):
        raise EvidenceImmutable(_("Recorded activities and attachments cannot be changed."))

    def delete(self):
        raise EvidenceImmutable(_("Recorded activities and attachments cannot be deleted."))


class ImmutableModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise EvidenceImmutable(_("Recorded activities and attachments cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise EvidenceImmutable(_("Recorded activities and attachments cannot be deleted."))


class Attachment(ImmutableModel):
    """A file kept as evidence (a photo of a signed delivery note, a sent letter's PDF), stored once per content."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, help_text=_("Hash of the content."))
    size = models.PositiveBigIntegerField(_("size"), help_text=_("Bytes."))
    content_type = models.CharField(
        _("content type"), max_length=100, blank=True, help_text=_("MIME type guessed from the first file name.")
    )
    content = models.BinaryField(_("content"), help_text=_("The file's bytes, kept in the database with the record."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was first stored."))

    class Meta:
        db_table = "cases_attachment"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.sha256[:12]
