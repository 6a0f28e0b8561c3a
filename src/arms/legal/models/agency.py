from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.legal.enums import MandateStatus


class AgencyMandate(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company that mandates."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="agency_mandates",
                                 help_text=_("The debtor handed over."))
    claims = models.ManyToManyField("ledger.Invoice", related_name="agency_mandates", blank=True,
                                    help_text=_("The invoices handed over."))
    agency_name = models.CharField(_("agency"), max_length=200, help_text=_("The collection agency's name."))
    contact = models.CharField(_("contact"), max_length=200, blank=True, help_text=_("Person, phone or e-mail."))
    licence = models.CharField(_("licence"), max_length=100, blank=True,
                               help_text=_("The agency's business licence or registration number."))
    currency = models.CharField(_("currency"), max_length=3, default="CNY",
                                help_text=_("Currency of the claims handed over (and of what is collected)."))
    handed_over_on = models.DateField(_("handed over on"), help_text=_("The day the claims were handed over."))
    fee_share_bp = models.PositiveIntegerField(_("fee share (basis points)"),
                                               help_text=_("The agency's share of what it collects, 1500 = 15%."))
    status = models.CharField(_("status"), max_length=20, choices=MandateStatus.choices, default=MandateStatus.ACTIVE,
                              help_text=_("Active until ended."))
    ended_on = models.DateField(_("ended on"), null=True, blank=True, help_text=_("When the mandate ended."))
    note = models.CharField(_("note"), max_length=1000, blank=True, help_text=_("Terms, results, remarks."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text=_("Who recorded it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was recorded."))

    class Meta:
        verbose_name = _("collection agency mandate")
        verbose_name_plural = _("collection agency mandates")
        ordering = ["-handed_over_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fee_share_bp__lte=10_000), name="legal_mandate_fee_share_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_name}: {self.customer_id}"
