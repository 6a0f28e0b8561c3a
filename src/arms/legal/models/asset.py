from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.legal.enums import AssetKind


class DebtorAsset(models.Model):
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="debtor_assets",
                                 help_text=_("The debtor who owns it."))
    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices, help_text=_("What kind of asset."))
    description = models.CharField(_("description"), max_length=500,
                                   help_text=_("What it is: the property, the account, the shareholding ..."))
    location = models.CharField(_("location or registry"), max_length=300, blank=True,
                                help_text=_("Address, bank branch, registry or register number."))
    estimated_value_minor = models.BigIntegerField(_("estimated value"), default=0,
                                                   help_text=_("Estimated value, CNY fen; 0 if unknown."))
    encumbrances = models.CharField(_("encumbrances"), max_length=500, blank=True,
                                    help_text=_("Mortgages, pledges, other seizures."))
    source = models.CharField(_("source"), max_length=200,
                              help_text=_("Where the fact comes from: 企查查, a court search, a site visit ..."))
    fact_date = models.DateField(_("date of the fact"), help_text=_("When the fact was found or last confirmed."))
    attachment = models.ForeignKey("common.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("A screenshot, extract or photo."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text=_("Who recorded it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was recorded."))

    class Meta:
        verbose_name = _("debtor asset")
        verbose_name_plural = _("debtor assets")
        ordering = ["customer", "-fact_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_value_minor__gte=0), name="legal_asset_value_not_negative"),
        ]
        indexes = [models.Index(fields=["customer", "-fact_date"], name="legal_asset_by_customer")]

    def __str__(self) -> str:
        return self.description

    @property
    def currency(self) -> str:
        """Values are estimated in CNY."""
        return "CNY"
