from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import amount_bound_constraint


class CreditNoteKind(models.TextChoices):
    STANDARD = "standard", _("Credit note")
    DISCOUNT = "discount", _("Early-payment discount")


class Invoice(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The selling company."))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="invoices", help_text=_("Who owes the money.")
    )
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices",
        help_text=_("The contract the invoice bills, if any; its payment terms set the due date."),
    )
    number = models.CharField(_("invoice number"), max_length=60, help_text=_("Unique within the company."))
    vat_invoice_number = models.CharField(
        _("VAT invoice number"), max_length=40, blank=True, help_text=_("发票号码 of the VAT invoice, if issued.")
    )
    issue_date = models.DateField(_("issue date"), db_index=True, help_text=_("Date of the invoice."))
    due_date = models.DateField(_("due date"), help_text=_("From the payment terms unless given."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Invoice currency."))
    net_minor = models.BigIntegerField(_("net amount"), help_text=_("Amount before VAT, minor units."))
    tax_minor = models.BigIntegerField(_("VAT"), help_text=_("Output VAT, minor units."))
    gross_minor = models.BigIntegerField(_("gross amount"), help_text=_("net + VAT, minor units."))
    amount_open_minor = models.BigIntegerField(
        _("open amount"), help_text=_("gross - allocations (payments and credit notes), minor units.")
    )
    fx_rate = models.DecimalField(
        _("exchange rate"), max_digits=18, decimal_places=8, default=1, help_text=_("CNY per unit, at posting.")
    )
    gross_base_minor = models.BigIntegerField(_("gross (CNY)"), help_text=_("Gross in CNY fen at posting."))
    net_base_minor = models.BigIntegerField(_("net (CNY)"), help_text=_("Net in CNY fen at posting."))
    tax_base_minor = models.BigIntegerField(_("VAT (CNY)"), help_text=_("VAT in CNY fen at posting."))
    description = models.CharField(_("description"), max_length=300, blank=True, help_text=_("What was sold."))
    discount_bp = models.PositiveIntegerField(
        _("early-payment discount"), default=0,
        help_text=_("Cash discount for payment by the discount date, basis points of the gross (200 = 2%); fixed "
                    "at posting from the contract or the customer's credit policy."),
    )
    discount_until = models.DateField(
        _("discount date"), null=True, blank=True, help_text=_("Last day on which paying earns the discount.")
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True, help_text=_("When it was posted."))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who posted it."),
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-id"]
        constraints = [
            amount_bound_constraint(("net_minor", "tax_minor", "gross_minor"), name="invoice_amounts_within_bound"),
            models.UniqueConstraint(fields=["company", "number"], name="invoice_number_unique_per_company"),
            models.CheckConstraint(condition=Q(gross_minor__gt=0), name="invoice_gross_positive"),
            models.CheckConstraint(
                condition=Q(net_minor__gte=0) & Q(tax_minor__gte=0), name="invoice_parts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(gross_minor=F("net_minor") + F("tax_minor")), name="invoice_gross_is_net_plus_tax"
            ),
            models.CheckConstraint(
                condition=Q(gross_base_minor=F("net_base_minor") + F("tax_base_minor")),
                name="invoice_base_gross_is_net_plus_tax",
            ),
            models.CheckConstraint(
                condition=Q(amount_open_minor__gte=0) & Q(amount_open_minor__lte=F("gross_minor")),
                name="invoice_amount_open_between_0_and_gross",
            ),
            models.CheckConstraint(condition=Q(due_date__gte=F("issue_date")), name="invoice_due_not_before_issue"),
        ]
        indexes = [
            models.Index(
                fields=["customer", "due_date"], condition=Q(amount_open_minor__gt=0), name="invoice_open_by_customer"
            ),
            models.Index(fields=["customer", "issue_date"], name="invoice_customer_issue"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.amount_open_minor > 0


class CreditNote(models.Model):
    """A credit note (红字发票) against one invoice; posting it settles that much of the invoice."""

    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The selling company."))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="credit_notes", help_text=_("The customer.")
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="credit_notes", help_text=_("The invoice it reduces.")
    )
    number = models.CharField(_("credit note number"), max_length=60, help_text=_("Unique within the company."))
    date = models.DateField(_("date"), help_text=_("Date of the credit note."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Always the invoice's currency."))
    net_minor = models.BigIntegerField(_("net amount"), help_text=_("Net credited, minor units."))
    tax_minor = models.BigIntegerField(_("VAT"), help_text=_("VAT credited, minor units."))
    gross_minor = models.BigIntegerField(_("gross amount"), help_text=_("net + VAT credited, minor units."))
    fx_rate = models.DecimalField(
        _("exchange rate"), max_digits=18, decimal_places=8, default=1, help_text=_("CNY per unit, at posting.")
    )
    gross_base_minor = models.BigIntegerField(_("gross (CNY)"), help_text=_("Gross in CNY fen at posting."))
    net_base_minor = models.BigIntegerField(_("net (CNY)"), help_text=_("Net in CNY fen at posting."))
    tax_base_minor = models.BigIntegerField(_("VAT (CNY)"), help_text=_("VAT in CNY fen at posting."))
    reason = models.CharField(_("reason"), max_length=300, help_text=_("Why the customer is credited."))
    kind = models.CharField(
        _("kind"), max_length=20, choices=CreditNoteKind.choices, default=CreditNoteKind.STANDARD,
        help_text=_("A standard credit note reverses revenue and VAT; an early-payment discount (现金折扣) is "
                    "granted for paying by the invoice's discount date."),
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True, help_text=_("When it was posted."))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who posted it."),
    )

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-date", "-id"]
        constraints = [
            amount_bound_constraint(("net_minor", "tax_minor", "gross_minor"), name="credit_note_amounts_within_bound"),
            models.UniqueConstraint(fields=["company", "number"], name="credit_note_number_unique_per_company"),
            models.CheckConstraint(condition=Q(gross_minor__gt=0), name="credit_note_gross_positive"),
            models.CheckConstraint(
                condition=Q(net_minor__gte=0) & Q(tax_minor__gte=0), name="credit_note_parts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(gross_minor=F("net_minor") + F("tax_minor")), name="credit_note_gross_is_net_plus_tax"
            ),
            models.CheckConstraint(
                condition=Q(gross_base_minor=F("net_base_minor") + F("tax_base_minor")),
                name="credit_note_base_gross_is_net_plus_tax",
            ),
        ]

    def __str__(self) -> str:
        return self.number
