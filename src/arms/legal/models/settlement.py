from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.legal.enums import SettlementStatus


class Settlement(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company that settles."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="settlements",
                                 help_text=_("The debtor."))
    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.PROTECT, related_name="settlements",
                                help_text=_("The invoice the agreement settles."))
    case = models.ForeignKey("legal.LegalCase", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="settlements", help_text=_("The legal case it ends, if any."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("The invoice's currency."))
    waived_interest_minor = models.BigIntegerField(_("interest waived"), default=0,
                                                   help_text=_("Late interest waived, minor units."))
    waived_penalty_minor = models.BigIntegerField(_("penalty waived"), default=0,
                                                  help_text=_("Liquidated damages waived, minor units."))
    waived_principal_minor = models.BigIntegerField(
        _("principal waived"), default=0,
        help_text=_("Part of the invoice waived, minor units; posted as a credit note when approved."))
    terms = models.TextField(_("terms"), max_length=4000, help_text=_("What the debtor agreed to (pay what by when)."))
    status = models.CharField(_("status"), max_length=20, choices=SettlementStatus.choices,
                              default=SettlementStatus.REQUESTED, help_text=_("Awaiting approval until decided."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", help_text=_("Who asked for it."))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, help_text=_("When it was asked for."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who approved or rejected it."))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, help_text=_("When it was decided."))
    decision_note = models.CharField(_("decision note"), max_length=1000, blank=True,
                                     help_text=_("Why it was approved or rejected."))
    credit_note = models.ForeignKey("ledger.CreditNote", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text=_("The credit note for the waived principal."))

    class Meta:
        verbose_name = _("settlement agreement")
        verbose_name_plural = _("settlement agreements")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_settlement", _("Can approve settlement agreements")),
                       ("approve_large_settlement", _("Can approve settlement agreements above legal's limit"))]
        constraints = [
            models.CheckConstraint(condition=Q(waived_interest_minor__gte=0) & Q(waived_penalty_minor__gte=0)
                                   & Q(waived_principal_minor__gte=0), name="legal_settlement_waivers_not_negative"),
        ]

    def __str__(self) -> str:
        return f"ST-{self.pk}"

    @property
    def waived_total_minor(self) -> int:
        return self.waived_interest_minor + self.waived_penalty_minor + self.waived_principal_minor
