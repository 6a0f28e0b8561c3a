from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.common.models import ImmutableModel
from arms.limitation.enums import InterruptionKind


class LimitationInterruption(ImmutableModel):
    """A fact that interrupted an invoice's limitation period: the new period runs from its day."""

    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The invoice's company."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT,
                                 related_name="limitation_interruptions", help_text=_("The invoice's customer."))
    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.PROTECT, related_name="limitation_interruptions",
                                help_text=_("The claim whose period was interrupted."))
    kind = models.CharField(_("kind"), max_length=20, choices=InterruptionKind.choices,
                            help_text=_("Demand delivered, acknowledgement, part payment, promise, lawsuit ..."))
    date = models.DateField(_("date"), help_text=_("The day of the interruption; the new period runs from it."))
    source = models.CharField(
        _("source"), max_length=60, blank=True,
        help_text=_("The record it was collected from, e.g. dunning.action:12; empty when recorded by hand."),
    )
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True, help_text=_("What happened."))
    evidence = models.ForeignKey(
        "common.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The proof: a postal receipt, a call recording, a signed acknowledgement."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text=_("Who recorded it; empty when collected by ARMS."))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True, help_text=_("When it was recorded."))

    class Meta:
        verbose_name = _("limitation interruption")
        verbose_name_plural = _("limitation interruptions")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "kind", "source"], condition=~Q(source=""),
                                    name="limitation_interruption_once_per_source"),
            models.UniqueConstraint(fields=["invoice", "kind", "date"], condition=Q(source=""),
                                    name="limitation_interruption_manual_once_per_day"),
            models.CheckConstraint(condition=Q(kind__in=InterruptionKind.values),
                                   name="limitation_interruption_kind_known"),
            text_length_constraint("note", MAX_NOTE, name="limitation_interruption_note_length"),
        ]
        indexes = [models.Index(fields=["invoice", "date"], name="limitation_interruption_inv")]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.kind} {self.date}"
