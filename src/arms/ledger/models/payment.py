from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import amount_bound_constraint
from arms.ledger.enums import PaymentMethod, PaymentStatus


class Payment(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The receiving company."))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="payments", help_text=_("Who paid.")
    )
    number = models.CharField(_("receipt number"), max_length=60, help_text=_("Unique within the company."))
    received_date = models.DateField(_("received on"), db_index=True, help_text=_("Value date of the money."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency received."))
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("Amount received, minor units."))
    amount_unallocated_minor = models.BigIntegerField(
        _("unallocated"), help_text=_("Part not yet allocated to invoices (unapplied cash), minor units.")
    )
    method = models.CharField(
        _("method"), max_length=30, choices=PaymentMethod.choices, default=PaymentMethod.BANK_TRANSFER,
        help_text=_("How the money came: transfer, acceptance bill, cash, online."),
    )
    bill_number = models.CharField(
        _("bill number"), max_length=60, blank=True, help_text=_("Number of the acceptance bill (汇票号码).")
    )
    bill_maturity_date = models.DateField(
        _("bill matures"), null=True, blank=True, help_text=_("Maturity date of the acceptance bill (到期日).")
    )
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="deposits",
        help_text=_("The contract this money is the deposit (保证金/预付款) for, if any."),
    )
    payer_name = models.CharField(_("payer"), max_length=200, blank=True, help_text=_("Name on the bank record."))
    bank_reference = models.CharField(
        _("bank reference"), max_length=100, blank=True, help_text=_("Bank's transaction reference (流水号).")
    )
    fx_rate = models.DecimalField(
        _("exchange rate"), max_digits=18, decimal_places=8, default=1, help_text=_("CNY per unit, at posting.")
    )
    amount_base_minor = models.BigIntegerField(_("amount (CNY)"), help_text=_("Amount in CNY fen at posting."))
    charge_minor = models.BigIntegerField(
        _("bank charge"), default=0, db_default=0,
        help_text=_("Part of the amount the payer's bank deducted (or a cash discount): booked to 6603 财务费用, not"
                    " received in the bank. The cash received is the amount minus this."),
    )
    charge_base_minor = models.BigIntegerField(
        _("bank charge (CNY)"), default=0, db_default=0, help_text=_("The bank charge in CNY fen at posting.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.POSTED,
        help_text=_("A reversed payment stays on record with its reversal."),
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True, help_text=_("When reversed."))
    reversal_date = models.DateField(_("reversal date"), null=True, blank=True, help_text=_("Booking date."))
    reversal_reason = models.CharField(
        _("reversal reason"), max_length=300, blank=True, help_text=_("Why it was reversed (bounced, wrong customer).")
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True, help_text=_("When it was posted."))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who posted it."),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_date", "-id"]
        permissions = [("reverse_payment", "Can reverse a payment")]
        constraints = [
            amount_bound_constraint(("amount_minor",), name="payment_amount_within_bound"),
            models.UniqueConstraint(fields=["company", "number"], name="payment_number_unique_per_company"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(charge_minor__gte=0) & Q(charge_minor__lt=F("amount_minor")),
                name="payment_charge_below_amount",
            ),
            models.CheckConstraint(
                condition=Q(amount_unallocated_minor__gte=0) & Q(amount_unallocated_minor__lte=F("amount_minor")),
                name="payment_unallocated_between_0_and_amount",
            ),
            models.CheckConstraint(
                condition=~Q(method__in=["bank_acceptance", "commercial_acceptance"])
                | Q(bill_maturity_date__isnull=False),
                name="payment_bill_has_maturity_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="reversed") | (Q(amount_unallocated_minor=0) & Q(reversed_at__isnull=False)),
                name="payment_reversed_has_nothing_unallocated",
            ),
        ]
        indexes = [
            models.Index(
                fields=["customer"], condition=Q(amount_unallocated_minor__gt=0), name="payment_unallocated_by_cust"
            ),
            models.Index(fields=["customer", "received_date"], name="payment_customer_date"),
            # the payments reversed in a period (the KPIs' cash collected, balances of a past day): few rows, so a
            # small partial index instead of a scan of every payment
            models.Index(fields=["reversal_date"], condition=Q(status="reversed"), name="payment_reversed_on"),
        ]

    def __str__(self) -> str:
        return self.number
