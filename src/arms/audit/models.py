"""The audit trail: an append-only, hash-chained log of every change a service makes.

Design:
- Every service that changes state calls ``audit_record`` inside its own transaction, so an event
  exists if and only if the change committed.
- Events are numbered 1, 2, 3 ... by ``seq`` taken from the single ``AuditHead`` row, which is locked
  while the event is written; the chain is therefore linear even with many writers.
- ``hash`` = SHA-256 over the event's canonical JSON content including ``prev_hash``, the hash of
  event ``seq - 1``, and its ``seals``. Editing an event breaks its own hash; deleting one leaves a gap in ``seq`` and a
  broken link; deleting the newest ones disagrees with ``AuditHead``. ``arms audit verify`` finds each.
- ``seals`` carries, for rows the event's change wrote outside its own subject (the journal entry an
  invoice posts), the SHA-256 of their canonical content: ``{"ledger.journalentry": {"17": "<sha256>"}}``.
  The app that owns those rows recomputes them at ``arms audit verify`` (registered on the
  ``audit.verify`` hook), so a line inserted, deleted or altered later is found even with the database's
  triggers disabled (ADR 0004).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditHead(models.Model):
    last_seq = models.BigIntegerField(_("last sequence"), default=0, help_text=_("seq of the newest event."))
    last_hash = models.CharField(
        _("last hash"), max_length=64, default=GENESIS_HASH, help_text=_("hash of the newest event.")
    )

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class AuditEvent(models.Model):
    seq = models.BigIntegerField(_("sequence"), unique=True, help_text=_("Position in the chain, from 1."))
    occurred_at = models.DateTimeField(_("occurred at"), help_text=_("When the change was committed."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Who made the change; empty for the system itself."),
    )
    actor_name = models.CharField(_("actor"), max_length=150, help_text=_("The actor's username at the time."))
    action = models.CharField(_("action"), max_length=60, db_index=True, help_text=_("What happened, past tense."))
    subject_type = models.CharField(_("subject type"), max_length=60, help_text=_("app_label.model of the subject."))
    subject_id = models.CharField(_("subject id"), max_length=64, help_text=_("Primary key of the subject."))
    subject_repr = models.CharField(_("subject"), max_length=200, help_text=_("The subject as people name it."))
    before = models.JSONField(_("before"), null=True, blank=True, help_text=_("State before the change."))
    after = models.JSONField(_("after"), null=True, blank=True, help_text=_("State after the change."))
    seals = models.JSONField(
        _("seals"), null=True, blank=True,
        help_text=_("SHA-256 of the rows this change posted, by model and primary key (journal entries)."),
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64, help_text=_("hash of event seq-1."))
    hash = models.CharField(_("hash"), max_length=64, help_text=_("SHA-256 of this event's content."))

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject_repr}"


class AuditBatch(models.Model):
    """A sub-chain: the events of one bulk write (an import run), hashed in order among themselves
    (``AuditBatchEvent``), so that writing them never locks the global chain's head. The global chain gets ONE
    event for the whole batch (its anchor), whose ``seals`` carry the sub-chain's final hash
    (``{"audit.batch": {"<id>": "<hash>"}}``); ``arms audit verify`` recomputes every sub-chain against its anchor.
    A batch that is never anchored was rolled back with its writes, so a committed batch always has one."""

    opened_at = models.DateTimeField(_("opened at"), help_text=_("When the bulk write began."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who made the bulk write; empty for the system itself."),
    )
    actor_name = models.CharField(_("actor"), max_length=150, help_text=_("The actor's username at the time."))
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("What wrote it (an import of a file)."))
    events = models.PositiveIntegerField(_("events"), default=0, help_text=_("How many events the sub-chain holds."))
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS_HASH,
                                 help_text=_("hash of the sub-chain's newest event."))
    anchor_seq = models.BigIntegerField(_("anchored in"), null=True, blank=True,
                                        help_text=_("seq of the global chain's event that seals this sub-chain."))

    class Meta:
        verbose_name = _("audit batch")
        verbose_name_plural = _("audit batches")

    def __str__(self) -> str:
        return f"batch {self.pk} ({self.events})"


class AuditBatchEvent(models.Model):
    """One event of a sub-chain: the same content as an ``AuditEvent``, numbered by ``position`` in its batch and
    chained to the event before it in the batch (the first to ``GENESIS_HASH``); the batch's anchor covers it."""

    batch = models.ForeignKey(AuditBatch, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("position"), help_text=_("Position in the batch, from 1."))
    occurred_at = models.DateTimeField(_("occurred at"))
    action = models.CharField(_("action"), max_length=60)
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.CharField(_("subject id"), max_length=64)
    subject_repr = models.CharField(_("subject"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    seals = models.JSONField(_("seals"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"], name="audit_batch_event_position")]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_batch_subject_idx")]
        verbose_name = _("audit batch event")
        verbose_name_plural = _("audit batch events")

    def __str__(self) -> str:
        return f"{self.batch_id}.{self.position} {self.action} {self.subject_repr}"
