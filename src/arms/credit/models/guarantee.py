from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_MINOR, MAX_NOTE, text_length_constraint
from arms.contracts.models import GuaranteeType


class GuaranteeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    EXPIRED = "expired", _("Expired")


class Guarantee(models.Model):
    """担保登记: a guarantee, mortgage, pledge, bank guarantee or deposit held for a customer (and a contract).

    Invariants: the amount is positive; expiry is on or after the start; a released guarantee has its releaser's
    time. An active guarantee whose expiry date has passed is not *in force* even before the daily task marks it
    expired; the credit check and the credit file count only the ones in force.
    """

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="guarantees",
        help_text=_("The customer whose debt the guarantee secures."),
    )
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="guarantees",
        help_text=_("The contract it secures, if only one."),
    )
    guarantor = models.CharField(_("guarantor"), max_length=200,
                                 help_text=_("Who gives the guarantee (a person, a company or a bank)."))
    kind = models.CharField(_("guarantee type"), max_length=20,
                            choices=[c for c in GuaranteeType.choices if c[0] != GuaranteeType.NONE],
                            help_text=_("Personal guarantee, mortgage, pledge, bank guarantee or deposit."))
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("The amount secured, minor units."))
    currency = models.CharField(_("currency"), max_length=3, default="CNY", help_text=_("Currency of the amount."))
    valid_from = models.DateField(_("valid from"), help_text=_("First day the guarantee holds."))
    expiry_date = models.DateField(_("expires on"), help_text=_("Last day the guarantee holds."))
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 help_text=_("The guarantee's number (保函编号, 抵押登记号), if any."))
    document = models.ForeignKey("common.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text=_("A scan of the guarantee, if kept."))
    document_name = models.CharField(_("document file name"), max_length=200, blank=True,
                                     help_text=_("The document's file name as uploaded."))
    status = models.CharField(_("status"), max_length=20, choices=GuaranteeStatus.choices,
                              default=GuaranteeStatus.ACTIVE, help_text=_("Active, released or expired."))
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True, help_text=_("What else is worth knowing."))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, help_text=_("When it was recorded."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who recorded it."))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True,
                                       help_text=_("When it was released."))
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text=_("Who released it."))
    release_note = models.TextField(_("release note"), max_length=MAX_NOTE, blank=True,
                                    help_text=_("Why it was released."))
    expiry_warned_at = models.DateTimeField(_("expiry warned at"), null=True, blank=True,
                                            help_text=_("When its coming expiry was announced (once)."))

    class Meta:
        verbose_name = _("guarantee")
        verbose_name_plural = _("guarantees")
        ordering = ["expiry_date", "pk"]
        constraints = [
            text_length_constraint("note", MAX_NOTE, name="guarantee_note_length"),
            text_length_constraint("release_note", MAX_NOTE, name="guarantee_release_note_length"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0, amount_minor__lte=MAX_MINOR),
                                   name="guarantee_amount_positive"),
            models.CheckConstraint(condition=Q(expiry_date__gte=F("valid_from")), name="guarantee_expiry_after_start"),
            models.CheckConstraint(
                condition=~Q(status="released") | Q(released_at__isnull=False), name="guarantee_released_has_time",
            ),
        ]
        indexes = [models.Index(fields=["customer", "status", "expiry_date"], name="guarantee_cust_status")]

    def __str__(self) -> str:
        return f"{self.guarantor} ({self.customer_id})"
