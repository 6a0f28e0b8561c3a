"""Shared model plumbing: timestamps, gap-free document numbers, idempotency records.

- ``DocumentSequence`` hands out gap-free numbers per company and series from a row that is locked
  for the length of the posting transaction, so two postings can never take the same number.
- ``IdempotencyRecord`` remembers (scope, key) -> the object a create call made and a fingerprint of
  its input, so a retried request returns the first result and never books twice.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
