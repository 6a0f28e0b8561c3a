from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.cases.enums import ActivityKind, Direction
from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.common.models import Attachment as StoredFile
from arms.common.models import ImmutableModel


class Attachment(StoredFile):
    """The evidence file store under its old name: the model lives in arms.common now (the ledger keeps signed
    receipt scans in it too); this proxy keeps ``"cases.Attachment"`` references and imports working."""

    class Meta:
        proxy = True
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class Activity(ImmutableModel):
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="activities",
        help_text=_("The customer contacted or concerned."),
    )
    invoices = models.ManyToManyField(
        "ledger.Invoice", blank=True, related_name="activities", help_text=_("The invoices it was about, if any.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices,
                            help_text=_("Call, e-mail, visit, letter, lawyer's letter, SMS, meeting, note ..."))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.OUT,
                                 help_text=_("Outgoing (we contacted them) or incoming (they contacted us)."))
    outcome = models.CharField(_("outcome"), max_length=40, blank=True,
                               help_text=_("A lower-case outcome code, e.g. reached, no_answer, promised, sent."))
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True, help_text=_("What was said or done."))
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True, help_text=_("When the contact took place."))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True,
                                       help_text=_("When it was written down; never changes."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Who did it; empty for the system."),
    )
    source = models.CharField(_("source"), max_length=40, blank=True,
                              help_text=_("What recorded it, e.g. dunning, task, promise; empty when typed in."))
    source_ref = models.CharField(_("source reference"), max_length=120, blank=True,
                                  help_text=_("The source's own reference; unique per source, so retries record once."))
    attachment = models.ForeignKey(
        StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="activities",
        help_text=_("A file kept with the record."),
    )
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True,
                                       help_text=_("The attachment's file name."))

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-id"]
        permissions = [("export_bundle", "Can export an evidence bundle for a hand-off")]
        constraints = [
            text_length_constraint("note", MAX_NOTE, name="activity_note_length"),
            models.UniqueConstraint(fields=["source", "source_ref"], condition=~Q(source_ref=""),
                                    name="activity_source_ref_unique"),
            models.CheckConstraint(condition=Q(attachment__isnull=True) | ~Q(attachment_name=""),
                                   name="activity_attachment_has_name"),
        ]
        indexes = [models.Index(fields=["customer", "occurred_at"], name="activity_customer_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.customer_id} {self.occurred_at:%Y-%m-%d}"

    @property
    def attachment_sha256(self) -> str:
        return self.attachment.sha256 if self.attachment_id else ""
