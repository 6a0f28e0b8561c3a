from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.cases.enums import Level, PromiseStatus
from arms.common.bounds import MAX_NOTE, text_length_constraint


class PromiseToPay(models.Model):
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="promises_to_pay",
                                 help_text=_("Who promised."))
    invoices = models.ManyToManyField("ledger.Invoice", blank=True, related_name="promises_to_pay",
                                      help_text=_("The invoices promised for; empty means any payment counts."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the promised amount."))
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("Amount promised, minor units."))
    made_on = models.DateField(_("made on"), help_text=_("When the promise was made; payments from then count."))
    promised_on = models.DateField(_("promised date"), db_index=True, help_text=_("The date it is to be paid by."))
    contact_name = models.CharField(_("contact"), max_length=100, blank=True, help_text=_("Who made the promise."))
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True, help_text=_("Anything said with it."))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.FINANCE,
                             help_text=_("The escalation level that took the promise; a broken one goes up one."))
    status = models.CharField(_("status"), max_length=20, choices=PromiseStatus.choices, default=PromiseStatus.OPEN,
                              help_text=_("Open, kept, broken or cancelled."))
    paid_minor = models.BigIntegerField(_("paid"), default=0,
                                        help_text=_("Paid towards it when last checked, minor units."))
    shortfall_minor = models.BigIntegerField(_("shortfall"), default=0,
                                             help_text=_("What was missing when it was broken, minor units."))
    checked_on = models.DateField(_("checked on"), null=True, blank=True, help_text=_("Date of the last check."))
    closed_on = models.DateField(_("closed on"), null=True, blank=True,
                                 help_text=_("When it was found kept or broken, or was cancelled."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was recorded."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who recorded it."))

    class Meta:
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")
        ordering = ["-promised_on", "-id"]
        constraints = [
            text_length_constraint("note", MAX_NOTE, name="promise_note_length"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="promise_amount_positive"),
            models.CheckConstraint(condition=Q(promised_on__gte=F("made_on")), name="promise_date_not_before_made"),
            models.CheckConstraint(condition=Q(shortfall_minor__gte=0) & Q(shortfall_minor__lte=F("amount_minor")),
                                   name="promise_shortfall_between_0_and_amount"),
        ]
        indexes = [models.Index(fields=["status", "promised_on"], name="promise_status_date")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.amount_minor} {self.promised_on}"
