from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.ledger.enums import EntryKind


class Account(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("Account code, e.g. 1122."))
    name = models.CharField(_("name"), max_length=100, help_text=_("Account name (Chinese)."))
    name_en = models.CharField(_("English name"), max_length=100, help_text=_("Account name (English)."))

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JournalEntry(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The company."))
    date = models.DateField(_("date"), db_index=True, help_text=_("Accounting date."))
    kind = models.CharField(_("kind"), max_length=30, choices=EntryKind.choices, help_text=_("What posted it."))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", help_text=_("The customer concerned.")
    )
    invoice = models.ForeignKey(
        "ledger.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Source invoice."),
    )
    credit_note = models.ForeignKey(
        "ledger.CreditNote", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Source credit note."),
    )
    payment = models.ForeignKey(
        "ledger.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Source payment."),
    )
    allocation = models.ForeignKey(
        "ledger.Allocation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Source allocation."),
    )
    memo = models.CharField(_("memo"), max_length=300, blank=True, help_text=_("摘要."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was posted."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who posted it."),
    )

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"JE{self.pk} {self.kind}"


class JournalLine(models.Model):
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="lines", help_text=_("The entry.")
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, help_text=_("Account posted to."))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+",
        help_text=_("Sub-ledger: the customer, so control accounts reconcile per customer."),
    )
    debit_minor = models.BigIntegerField(_("debit"), default=0, help_text=_("Debit, CNY fen."))
    credit_minor = models.BigIntegerField(_("credit"), default=0, help_text=_("Credit, CNY fen."))

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit_minor__gt=0) & Q(credit_minor=0)) | (Q(debit_minor=0) & Q(credit_minor__gt=0)),
                name="journal_line_debit_xor_credit",
            ),
        ]
        indexes = [models.Index(fields=["account", "customer"], name="journal_line_account_customer")]

    def __str__(self) -> str:
        return f"JE{self.entry_id} {self.account_id} Dr {self.debit_minor} Cr {self.credit_minor}"
