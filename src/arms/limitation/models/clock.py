from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.limitation.enums import InterruptionKind, Status


class LimitationClock(models.Model):
    """An invoice's limitation clock, derived from its due date and interruptions by ``limitation_refresh``."""

    invoice = models.OneToOneField("ledger.Invoice", on_delete=models.CASCADE, related_name="limitation_clock",
                                   help_text=_("The claim."))
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The invoice's company."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="limitation_clocks",
                                 help_text=_("The invoice's customer."))
    start = models.DateField(_("start"), help_text=_("The first day the claim could be enforced."))
    last_interruption = models.DateField(_("last interruption"), null=True, blank=True,
                                         help_text=_("The day of the latest interruption, if any."))
    last_kind = models.CharField(_("last interruption kind"), max_length=20, blank=True,
                                 choices=InterruptionKind.choices, help_text=_("What the latest interruption was."))
    expires_on = models.DateField(_("expires on"), db_index=True,
                                  help_text=_("The last day a lawsuit or arbitration is in time."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING,
                              help_text=_("Running, expiring, expired, or stopped when nothing is owed."))
    refreshed_at = models.DateTimeField(_("refreshed at"), auto_now=True, help_text=_("When it was recomputed."))

    class Meta:
        verbose_name = _("limitation clock")
        verbose_name_plural = _("limitation clocks")
        ordering = ["expires_on", "invoice_id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="limitation_clock_status_known"),
            models.CheckConstraint(condition=Q(expires_on__gt=models.F("start")),
                                   name="limitation_clock_expires_after_start"),
        ]
        indexes = [
            models.Index(fields=["company", "status", "expires_on"], name="limitation_clock_by_status"),
            models.Index(fields=["customer", "expires_on"], name="limitation_clock_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} → {self.expires_on}"


class LimitationAlert(models.Model):
    """An expiry alert sent to the collector and legal at a threshold of days before ``expires_on``."""

    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.CASCADE, related_name="limitation_alerts",
                                help_text=_("The claim."))
    days = models.PositiveSmallIntegerField(_("days before expiry"), help_text=_("The threshold that fired."))
    expires_on = models.DateField(_("expires on"), help_text=_("The expiry date the alert was about."))
    sent_on = models.DateField(_("sent on"), help_text=_("The day it was sent."))

    class Meta:
        verbose_name = _("limitation alert")
        verbose_name_plural = _("limitation alerts")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "days", "expires_on"], name="limitation_alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.days}d {self.expires_on}"
