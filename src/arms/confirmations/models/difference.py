from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.confirmations.enums import DifferenceKind, DifferenceStatus, Resolution


class ConfirmationDifference(models.Model):
    """差异: an item the customer's books and ours disagree on, to be checked and settled by its deadline."""

    confirmation = models.ForeignKey("confirmations.Confirmation", on_delete=models.PROTECT,
                                     related_name="differences", help_text=_("The disputed confirmation."))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+",
                                 help_text=_("The confirmation's customer."))
    invoice = models.ForeignKey("ledger.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                help_text=_("The invoice it is about, if any."))
    kind = models.CharField(_("kind"), max_length=30, choices=DifferenceKind.choices,
                            help_text=_("Amount differs, missing from their books, missing from ours, other."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the amount."))
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("The difference, minor units (positive)."))
    description = models.TextField(_("description"), max_length=MAX_NOTE, blank=True,
                                   help_text=_("What the customer says, in their words."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text=_("Who checks it: the collector, else the salesperson."))
    raised_on = models.DateField(_("raised on"), help_text=_("The day the customer answered."))
    deadline = models.DateField(_("deadline"), db_index=True,
                                help_text=_("Raised on + the settings' working days (China's calendar)."))
    status = models.CharField(_("status"), max_length=10, choices=DifferenceStatus.choices,
                              default=DifferenceStatus.OPEN, help_text=_("Open or resolved."))
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices, blank=True,
                                  help_text=_("Credit note, corrected invoice, payment applied, or rejected."))
    credit_note = models.ForeignKey("ledger.CreditNote", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text=_("The credit note that settled it."))
    corrected_invoice = models.ForeignKey("ledger.Invoice", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", help_text=_("The corrected invoice issued."))
    payment = models.ForeignKey("ledger.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                help_text=_("The payment found and applied."))
    explanation = models.TextField(_("explanation"), max_length=MAX_NOTE, blank=True,
                                   help_text=_("How it was settled; sent back to the customer when rejected."))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, help_text=_("When it was settled."))
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text=_("Who settled it."))
    dispute = models.ForeignKey("cases.Dispute", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text=_("The dispute opened in collections on the invoice, if any."))
    task = models.ForeignKey("cases.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text=_("The owner's collection task."))

    class Meta:
        verbose_name = _("confirmation difference")
        verbose_name_plural = _("confirmation differences")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0, amount_minor__lte=10**15),
                                   name="confirmation_difference_amount_bounded"),
            models.CheckConstraint(condition=Q(deadline__gte=F("raised_on")),
                                   name="confirmation_difference_deadline_after_raised"),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True, resolution="")
                | (Q(status="resolved") & Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="confirmation_difference_resolved_has_resolution",
            ),
            models.CheckConstraint(condition=~Q(resolution="credit_note") | Q(credit_note__isnull=False),
                                   name="confirmation_difference_credit_note_named"),
            models.CheckConstraint(condition=~Q(resolution="corrected_invoice") | Q(corrected_invoice__isnull=False),
                                   name="confirmation_difference_invoice_named"),
            models.CheckConstraint(condition=~Q(resolution="payment_applied") | Q(payment__isnull=False),
                                   name="confirmation_difference_payment_named"),
            models.CheckConstraint(condition=~Q(resolution="rejected") | ~Q(explanation=""),
                                   name="confirmation_difference_rejection_explained"),
            text_length_constraint("description", MAX_NOTE, name="confirmation_difference_description_length"),
            text_length_constraint("explanation", MAX_NOTE, name="confirmation_difference_explanation_length"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="confirmation_difference_open")]

    def __str__(self) -> str:
        return f"{self.confirmation_id} {self.kind} {self.amount_minor}"
