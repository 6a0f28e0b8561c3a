from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import amount_bound_constraint
from arms.ledger.enums import WRITE_OFF_ACCOUNTS, WriteOffKind


class WriteOff(models.Model):
    """核销坏账: part or all of an invoice's open amount taken off the receivables (Dr ``account`` / Cr 1122).

    Posted once, never edited. Its ``Allocation`` (``write_off`` set, positive) settles the invoice; money that
    arrives later is a **recovery**: a negative allocation with ``write_off`` set and ``reverses`` empty, which
    opens the invoice again by that much (Dr 1122 / Cr ``account``) so the payment can be allocated to it.
    Recoveries never exceed the write-off's amount (``arms ledger check``: write_off_consistent).
    """

    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The selling company."))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="write_offs",
        help_text=_("The customer whose receivable is written off."),
    )
    invoice = models.ForeignKey(
        "ledger.Invoice", on_delete=models.PROTECT, related_name="write_offs",
        help_text=_("The invoice written off (part or all of its open amount)."),
    )
    date = models.DateField(_("date"), db_index=True, help_text=_("Date the write-off takes effect."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Always the invoice's currency."))
    amount_minor = models.BigIntegerField(
        _("amount written off"), help_text=_("Amount written off in the invoice currency, minor units.")
    )
    base_minor = models.BigIntegerField(
        _("receivable relieved (CNY)"), help_text=_("Receivable relieved at the invoice's rate, CNY fen.")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=WriteOffKind.choices,
        help_text=_("A bad debt (against the allowance) or a small balance (to an expense account)."),
    )
    account = models.CharField(
        _("account"), max_length=10,
        help_text=_("Account debited: 1231 for a bad debt; 6603 or 6711 for a small balance."),
    )
    reason = models.CharField(_("reason"), max_length=500, help_text=_("Why it is written off."))
    reference = models.CharField(
        _("reference"), max_length=60, blank=True, default="",
        help_text=_("What authorised it, e.g. the write-off request WR-12."),
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True, help_text=_("When it was posted."))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who posted it."),
    )

    class Meta:
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        ordering = ["-date", "-id"]
        constraints = [
            amount_bound_constraint(("amount_minor",), name="write_off_amount_within_bound"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="write_off_amount_positive"),
            models.CheckConstraint(condition=Q(base_minor__gte=0), name="write_off_base_not_negative"),
            models.CheckConstraint(condition=Q(account__in=WRITE_OFF_ACCOUNTS), name="write_off_account_allowed"),
            models.CheckConstraint(
                condition=(Q(kind=WriteOffKind.BAD_DEBT) & Q(account="1231"))
                | (Q(kind=WriteOffKind.SMALL_BALANCE) & Q(account__in=["6603", "6711"])),
                name="write_off_kind_fits_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.pk} {self.amount_minor} -> {self.invoice_id}"
