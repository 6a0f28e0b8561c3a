from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Allocation(models.Model):
    """核销: a payment, a credit note or a write-off settles part of an invoice. Rows are never changed; a
    reversing row (negative amount, ``reverses`` set) undoes one, and a recovery (negative amount, ``write_off``
    set, ``reverses`` empty) opens a written-off invoice again by what the customer paid after all."""

    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The company."))
    invoice = models.ForeignKey(
        "ledger.Invoice", on_delete=models.PROTECT, related_name="allocations", help_text=_("The invoice settled.")
    )
    payment = models.ForeignKey(
        "ledger.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="allocations",
        help_text=_("The payment that settles it, or empty for a credit note or a write-off."),
    )
    credit_note = models.ForeignKey(
        "ledger.CreditNote", null=True, blank=True, on_delete=models.PROTECT, related_name="allocations",
        help_text=_("The credit note that settles it, or empty for a payment or a write-off."),
    )
    write_off = models.ForeignKey(
        "ledger.WriteOff", null=True, blank=True, on_delete=models.PROTECT, related_name="allocations",
        help_text=_("The write-off that settles it (or, on a negative row, whose amount is recovered)."),
    )
    amount_minor = models.BigIntegerField(
        _("amount"), help_text=_("Amount settled in the invoice currency; negative on a reversing row.")
    )
    date = models.DateField(_("date"), db_index=True, help_text=_("Date the allocation takes effect."))
    receivable_base_minor = models.BigIntegerField(
        _("receivable relieved (CNY)"), help_text=_("Receivable relieved at the invoice's rate, CNY fen.")
    )
    cash_base_minor = models.BigIntegerField(
        _("cash applied (CNY)"), help_text=_("Unapplied cash used at the payment's rate, CNY fen; 0 for credit notes.")
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by",
        help_text=_("The allocation this row undoes."),
    )
    reason = models.CharField(
        _("reason"), max_length=500, blank=True, default="",
        help_text=_("Why it was undone (on a reversing row), written off or recovered; empty on an allocation."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was written."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who allocated."),
    )

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(payment__isnull=False) & Q(credit_note__isnull=True) & Q(write_off__isnull=True))
                | (Q(payment__isnull=True) & Q(credit_note__isnull=False) & Q(write_off__isnull=True))
                | (Q(payment__isnull=True) & Q(credit_note__isnull=True) & Q(write_off__isnull=False)),
                name="allocation_from_exactly_one_source",
            ),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount_minor__gt=0))
                | (Q(reverses__isnull=False) & Q(amount_minor__lt=0))
                | (Q(reverses__isnull=True) & Q(write_off__isnull=False) & Q(amount_minor__lt=0)),
                name="allocation_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_minor} -> {self.invoice_id}"
