"""The company's bank accounts, the statements imported for them, their lines and what cash application did with
each line (认款/核销), the payer aliases it learned, and each company's cash-application settings.

Invariants (the database keeps them where it can):

- A statement line is imported once: (account, bank reference, booking date, amount, sequence) is unique
  (``arms.domain.bankstatement.line_keys``). An overlapping statement adds only its new lines.
- Amounts are signed integer minor units seen from the company's account: + money in, - money out.
- A line is applied at most once: ``payment`` is set when cash application (automatic or a clerk's) recorded the
  receipt; ``status`` says how (auto, manual). A line split across customers has one ``LineApplication`` per
  customer, each with its payment; the line's ``payment`` is then empty and ``status`` is manual.
- A line's ``match`` holds what the matcher suggested (customer, allocations, charge, discount, unapplied) and
  ``reasons`` why, with the ``confidence``; they are kept after application as the evidence of why cash went where.
- Learned aliases are visible and removable; removing one never changes what was applied.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.bank.enums import AliasKind, IgnoredKind, LineStatus


class CashSettings(models.Model):
    """Per company: how sure the matcher must be to apply without a human, and the tolerances it may use."""

    company = models.OneToOneField(
        "customers.Company", on_delete=models.CASCADE, related_name="cash_settings", help_text=_("The company.")
    )
    auto_threshold = models.PositiveSmallIntegerField(
        _("auto-apply threshold"),
        default=85,
        help_text=_("A match at or above this confidence (0–100) is applied without a human; below it waits."),
    )
    charge_tolerance_minor = models.BigIntegerField(
        _("bank charge tolerance"),
        default=5000,
        help_text=_("A short payment up to this amount (minor units) settles in full; the rest is a bank charge."),
    )
    charge_share_bp = models.PositiveIntegerField(
        _("bank charge share"),
        default=0,
        help_text=_("… or up to this share of what it settles, in basis points (100 = 1%), if larger."),
    )

    class Meta:
        verbose_name = _("cash application settings")
        verbose_name_plural = _("cash application settings")
        constraints = [
            models.CheckConstraint(condition=Q(auto_threshold__lte=100), name="cash_settings_threshold_0_100"),
            models.CheckConstraint(condition=Q(charge_tolerance_minor__gte=0), name="cash_settings_charge_min_0"),
            models.CheckConstraint(condition=Q(charge_share_bp__lte=1000), name="cash_settings_charge_share_max_10pct"),
        ]

    def __str__(self) -> str:
        return str(self.company)


class BankAccount(models.Model):
    """One of the company's own bank accounts and the 1002 sub-account it is booked to."""

    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The account holder."))
    name = models.CharField(_("name"), max_length=100, help_text=_("What staff call it, e.g. 工行基本户."))
    bank = models.CharField(_("bank"), max_length=100, help_text=_("The bank, e.g. 中国工商银行."))
    branch = models.CharField(_("branch"), max_length=200, blank=True, help_text=_("开户行 (branch)."))
    account_number = models.CharField(
        _("account number"),
        max_length=64,
        help_text=_("As the bank writes it in statements (account number or IBAN), without spaces."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY", help_text=_("Currency of the account."))
    ledger_account = models.CharField(
        _("ledger sub-account"),
        max_length=20,
        default="1002",
        help_text=_("The 银行存款 (1002) sub-account it is booked to, e.g. 100201."),
    )
    profile_key = models.CharField(
        _("export layout"),
        max_length=40,
        blank=True,
        help_text=_("For CSV/Excel exports: a built-in bank layout, or empty to recognise it from the header."),
    )
    column_profile = models.JSONField(
        _("own column layout"),
        null=True,
        blank=True,
        help_text=_("A column mapping the user defined for this account's exports (header texts per field)."),
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Closed accounts stay on record."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was added."))

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "account_number"], name="bank_account_number_unique"),
            models.CheckConstraint(condition=Q(ledger_account__startswith="1002"), name="bank_account_is_1002"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.account_number[-4:]}"


class BankStatement(models.Model):
    """One import of one statement (a CAMT <Stmt>, an MT940 message, a whole export file) into one account."""

    account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="statements", help_text=_("The account it is for.")
    )
    format = models.CharField(_("format"), max_length=40, help_text=_("camt.053, mt940 or cn:<layout>."))
    statement_id = models.CharField(_("statement id"), max_length=100, blank=True, help_text=_("The bank's id."))
    filename = models.CharField(_("file"), max_length=255, help_text=_("Name of the imported file."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Fingerprint of the file."))
    first_date = models.DateField(_("from"), null=True, blank=True, help_text=_("First booking date."))
    last_date = models.DateField(_("to"), null=True, blank=True, help_text=_("Last booking date."))
    opening_balance_minor = models.BigIntegerField(
        _("opening balance"), null=True, blank=True, help_text=_("As the bank states it, minor units.")
    )
    closing_balance_minor = models.BigIntegerField(
        _("closing balance"), null=True, blank=True, help_text=_("As the bank states it, minor units.")
    )
    gap_minor = models.BigIntegerField(
        _("gap"),
        null=True,
        blank=True,
        help_text=_("Opening balance minus the previous statement's closing balance, where they differ."),
    )
    lines_in_file = models.PositiveIntegerField(_("lines in file"), default=0, help_text=_("Lines in the file."))
    lines_new = models.PositiveIntegerField(_("new lines"), default=0, help_text=_("Lines imported."))
    lines_seen = models.PositiveIntegerField(
        _("lines seen before"), default=0, help_text=_("Lines an earlier import already brought.")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True, help_text=_("When it was imported."))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who imported it."),
    )

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at", "-id"]
        permissions = [("import_statement", "Can import bank statements")]

    def __str__(self) -> str:
        return f"{self.account} {self.first_date}–{self.last_date}"


class StatementLine(models.Model):
    """One booked movement on the account, and what cash application made of it."""

    account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="lines", help_text=_("The account it was booked on.")
    )
    statement = models.ForeignKey(
        BankStatement, on_delete=models.PROTECT, related_name="lines", help_text=_("The import that brought it.")
    )
    booking_date = models.DateField(_("booked on"), db_index=True, help_text=_("Booking date."))
    value_date = models.DateField(_("value date"), null=True, blank=True, help_text=_("Value date, if given."))
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("Signed minor units: + in, - out."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the line."))
    bank_reference = models.CharField(
        _("bank reference"),
        max_length=100,
        blank=True,
        help_text=_("The bank's entry reference: CAMT AcctSvcrRef or NtryRef, MT940 reference, 流水号."),
    )
    sequence = models.PositiveIntegerField(
        _("sequence"), default=1, help_text=_("Tells apart lines that are otherwise identical, in file order.")
    )
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=100, blank=True, help_text=_("Payer's own ref."))
    counterparty_name = models.CharField(_("payer"), max_length=200, blank=True, help_text=_("对方户名."))
    counterparty_account = models.CharField(_("payer account"), max_length=64, blank=True, help_text=_("对方账号."))
    counterparty_bank = models.CharField(_("payer bank"), max_length=200, blank=True, help_text=_("对方开户行."))
    remittance = models.CharField(
        _("remittance text"), max_length=1000, blank=True, help_text=_("摘要/用途/附言 as the bank passes it on.")
    )
    transaction_code = models.CharField(_("transaction code"), max_length=40, blank=True, help_text=_("Bank code."))
    reversal = models.BooleanField(_("reversal"), default=False, help_text=_("The bank reversed an earlier entry."))
    balance_after_minor = models.BigIntegerField(
        _("balance after"), null=True, blank=True, help_text=_("Running balance printed on the line, if any.")
    )
    source_line = models.PositiveIntegerField(
        _("line in file"), null=True, blank=True, help_text=_("Where the line is in the file it came from.")
    )
    # --- cash application ---------------------------------------------------------------------------------------
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=LineStatus.choices,
        default=LineStatus.NEW,
        db_index=True,
        help_text=_("Where the line stands in cash application."),
    )
    ignored_kind = models.CharField(
        _("set aside as"),
        max_length=20,
        choices=IgnoredKind.choices,
        blank=True,
        default=IgnoredKind.NONE,
        help_text=_("Why a line that is not a customer receipt was set aside."),
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), default=0, help_text=_("How sure the matcher was, 0–100.")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The customer suggested or applied to."),
    )
    match = models.JSONField(
        _("match"),
        default=dict,
        blank=True,
        help_text=_("What the matcher proposed: allocations (invoice id, amount), charge, discount, unapplied."),
    )
    reasons = models.JSONField(
        _("reasons"), default=list, blank=True, help_text=_("The reasons that gave the confidence, with points.")
    )
    payment = models.OneToOneField(
        "ledger.Payment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_line",
        help_text=_("The receipt recorded for this line when it was applied to one customer."),
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True, help_text=_("When last matched."))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, help_text=_("When a clerk decided."))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The clerk who accepted, edited or rejected the match."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=_("The clerk's note."))

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["-booking_date", "-id"]
        permissions = [("apply_cash", "Can apply cash (认款/核销)")]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "bank_reference", "booking_date", "amount_minor", "sequence"],
                name="statement_line_once",
            ),
            models.CheckConstraint(condition=~Q(amount_minor=0), name="statement_line_amount_not_zero"),
            models.CheckConstraint(condition=Q(confidence__lte=100), name="statement_line_confidence_0_100"),
        ]
        indexes = [models.Index(fields=["account", "status", "booking_date"], name="statement_line_worklist")]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.amount_minor} {self.bank_reference}"


class LineApplication(models.Model):
    """One customer's share of a statement line split across several customers (one payment each)."""

    line = models.ForeignKey(
        StatementLine, on_delete=models.PROTECT, related_name="applications", help_text=_("The statement line.")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", help_text=_("Who this share is from.")
    )
    payment = models.OneToOneField(
        "ledger.Payment",
        on_delete=models.PROTECT,
        related_name="line_application",
        help_text=_("The receipt recorded for this share."),
    )
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("This customer's share, minor units."))

    class Meta:
        verbose_name = _("statement line share")
        verbose_name_plural = _("statement line shares")
        constraints = [models.CheckConstraint(condition=Q(amount_minor__gt=0), name="line_application_positive")]

    def __str__(self) -> str:
        return f"{self.line_id} {self.customer_id} {self.amount_minor}"


class PayerAlias(models.Model):
    """What cash application learned when a clerk confirmed or corrected a match: this payer account or name pays
    for this customer. Visible and removable (removing one changes no past application)."""

    company = models.ForeignKey("customers.Company", on_delete=models.CASCADE, help_text=_("The company."))
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="payer_aliases",
        help_text=_("The customer the payer pays for."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AliasKind.choices, help_text=_("What is remembered."))
    value = models.CharField(_("value"), max_length=200, help_text=_("The payer's account number or name."))
    key = models.CharField(_("key"), max_length=200, help_text=_("The value as the matcher compares it (normalised)."))
    learned_from = models.ForeignKey(
        StatementLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The line whose confirmation taught it."),
    )
    created_at = models.DateTimeField(_("learned at"), auto_now_add=True, help_text=_("When it was learned."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who confirmed the match."),
    )

    class Meta:
        verbose_name = _("learned payer")
        verbose_name_plural = _("learned payers")
        ordering = ["customer", "kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["company", "kind", "key", "customer"], name="payer_alias_once"),
        ]

    def __str__(self) -> str:
        return f"{self.value} → {self.customer_id}"
