from django.db import models
from django.utils.translation import gettext_lazy as _

from arms.legal.enums import IssuerMode


class LegalSettings(models.Model):
    company = models.OneToOneField(
        "customers.Company", on_delete=models.CASCADE, related_name="legal_settings",
        help_text=_("The company these settings are for."),
    )
    issuer_mode = models.CharField(
        _("lawyer's letters issued by"), max_length=20, choices=IssuerMode.choices, default=IssuerMode.OWN_LEGAL,
        help_text=_("A law firm (the letter is a 律师函) or our own legal department (the letter is a 催告函)."),
    )
    firm_name = models.CharField(_("law firm"), max_length=200, blank=True, help_text=_("The law firm's full name."))
    lawyer_name = models.CharField(_("lawyer"), max_length=100, blank=True, help_text=_("The lawyer who signs."))
    licence_number = models.CharField(
        _("licence number"), max_length=40, blank=True,
        help_text=_("The lawyer's practising licence number (执业证号)."))
    firm_address = models.CharField(_("address"), max_length=300, blank=True, help_text=_("The firm's address."))
    firm_phone = models.CharField(_("phone"), max_length=40, blank=True, help_text=_("The firm's telephone."))
    asset_refresh_days = models.PositiveSmallIntegerField(
        _("refresh asset facts after (days)"), default=90,
        help_text=_("Debtor asset facts older than this are refreshed for customers in a legal stage."),
    )
    settlement_legal_limit_minor = models.BigIntegerField(
        _("legal may approve settlements up to"), default=5_000_000,
        help_text=_("Settlements waiving up to this much (CNY fen) may be approved by legal; above it, a finance "
                    "manager approves."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When last changed."))

    class Meta:
        verbose_name = _("legal settings")
        verbose_name_plural = _("legal settings")
        permissions = [("manage_legal_settings", _("Can change the legal settings (law firm)"))]

    def __str__(self) -> str:
        return str(self.company_id)

    def as_issuer(self) -> dict[str, str]:
        """What dunning's lawyer's letter is issued in the name of (the ``dunning.letter_issuer`` hook)."""
        if self.issuer_mode == IssuerMode.LAW_FIRM:
            return {"mode": "law_firm", "firm": self.firm_name, "lawyer": self.lawyer_name,
                    "licence": self.licence_number, "address": self.firm_address, "phone": self.firm_phone}
        return {"mode": "own_legal"}
