from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.cases.enums import DEFAULT_SLA_WORKING_DAYS, Department, DisputeReason, DisputeResolution, DisputeStatus
from arms.common.bounds import MAX_NOTE, text_length_constraint


class DisputeReasonSetting(models.Model):
    """Per reason: how many Chinese working days the owning department has, and which department that is."""

    reason_code = models.CharField(_("reason"), max_length=20, choices=DisputeReason.choices, unique=True,
                                   help_text=_("The dispute reason this setting is for."))
    sla_working_days = models.PositiveSmallIntegerField(
        _("SLA (working days)"), default=DEFAULT_SLA_WORKING_DAYS,
        help_text=_("Chinese working days from raising to the deadline."),
    )
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, blank=True,
                                  help_text=_("Owning department; empty for the default of the reason."))

    class Meta:
        verbose_name = _("dispute reason setting")
        verbose_name_plural = _("dispute reason settings")
        ordering = ["reason_code"]
        constraints = [models.CheckConstraint(condition=Q(sla_working_days__gte=1), name="dispute_sla_at_least_1")]

    def __str__(self) -> str:
        return f"{self.reason_code}: {self.sla_working_days}"


class Dispute(models.Model):
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="disputes",
                                 help_text=_("The invoice's customer."))
    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.PROTECT, related_name="disputes",
                                help_text=_("The disputed invoice."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("The invoice's currency."))
    amount_minor = models.BigIntegerField(_("disputed amount"),
                                          help_text=_("At most the invoice's open amount when raised, minor units."))
    reason_code = models.CharField(_("reason"), max_length=20, choices=DisputeReason.choices,
                                   help_text=_("Price, quantity, quality, not received, duplicate billing, other."))
    description = models.TextField(_("description"), max_length=MAX_NOTE, blank=True,
                                   help_text=_("What the customer says is wrong."))
    department = models.CharField(_("department"), max_length=20, choices=Department.choices,
                                  help_text=_("The department that must resolve it."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="owned_disputes", help_text=_("Who is responsible for resolving it."))
    status = models.CharField(_("status"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN,
                              help_text=_("Open, resolved or rejected."))
    raised_on = models.DateField(_("raised on"), db_index=True, help_text=_("When the customer raised it."))
    sla_due_on = models.DateField(_("SLA deadline"), help_text=_("Raised on + the reason's working days."))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", help_text=_("Who recorded it."))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True, help_text=_("When it was closed."))
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text=_("Who closed it."))
    resolution = models.CharField(_("resolution"), max_length=20, choices=DisputeResolution.choices, blank=True,
                                  help_text=_("Credit note, corrected invoice, or rejected."))
    resolution_note = models.TextField(_("resolution note"), max_length=MAX_NOTE, blank=True,
                                       help_text=_("How it was settled."))
    credit_note = models.ForeignKey("ledger.CreditNote", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="disputes", help_text=_("The credit note that settled it."))
    corrected_invoice_ref = models.CharField(_("corrected invoice"), max_length=60, blank=True,
                                             help_text=_("Number of the corrected invoice issued instead."))
    sla_warned_on = models.DateField(_("SLA warning sent on"), null=True, blank=True,
                                     help_text=_("When the owner was told the deadline is near."))
    sla_overdue_notified_on = models.DateField(_("SLA overdue notice sent on"), null=True, blank=True,
                                               help_text=_("When the owner was told the deadline has passed."))

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-raised_on", "-id"]
        constraints = [
            text_length_constraint("resolution_note", MAX_NOTE, name="dispute_resolution_note_length"),
            text_length_constraint("description", MAX_NOTE, name="dispute_description_length"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="dispute_amount_positive"),
            models.UniqueConstraint(fields=["invoice"], condition=Q(status="open"),
                                    name="dispute_one_open_per_invoice"),
            models.CheckConstraint(condition=Q(sla_due_on__gte=F("raised_on")), name="dispute_sla_not_before_raised"),
            models.CheckConstraint(
                condition=Q(status="open", resolved_on__isnull=True)
                | (~Q(status="open") & Q(resolved_on__isnull=False) & ~Q(resolution="")),
                name="dispute_closed_has_resolution",
            ),
            models.CheckConstraint(condition=~Q(resolution="credit_note") | Q(credit_note__isnull=False),
                                   name="dispute_credit_note_resolution_names_it"),
        ]
        indexes = [models.Index(fields=["status", "sla_due_on"], name="dispute_status_sla")]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.reason_code} ({self.status})"
