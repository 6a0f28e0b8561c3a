"""Sales contracts: the legal basis of every receivable.

Invariants:
- A contract number is unique within its company; the amount is positive minor units.
- Milestones (付款节点) split the contract amount by basis points that add up to 10,000 when present.
- An amendment never overwrites history: each change of an active contract stores the previous terms
  as a ``ContractVersion`` (version 1, 2, ...) with the reason, and the contract's ``version`` moves on.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_LONG_TEXT, text_length_constraint
from arms.common.models import TimeStampedModel
from arms.customers.enums import TermBasis
from arms.domain.terms import PaymentTerms
from arms.domain.terms import TermBasis as DomainBasis


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class GuaranteeType(models.TextChoices):
    NONE = "none", _("None")
    PERSONAL = "personal", _("Personal guarantee (保证)")
    MORTGAGE = "mortgage", _("Mortgage (抵押)")
    PLEDGE = "pledge", _("Pledge (质押)")
    BANK_GUARANTEE = "bank_guarantee", _("Bank guarantee (保函)")
    DEPOSIT = "deposit", _("Deposit (保证金)")


class DisputeResolution(models.TextChoices):
    LITIGATION = "litigation", _("Litigation (诉讼)")
    ARBITRATION = "arbitration", _("Arbitration (仲裁)")


class Contract(TimeStampedModel):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The selling company."))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="contracts", help_text=_("The buyer.")
    )
    number = models.CharField(_("contract number"), max_length=60, help_text=_("Unique within the company."))
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("What the contract is for."))
    signed_date = models.DateField(_("signed on"), help_text=_("Date both parties signed."))
    start_date = models.DateField(_("starts"), null=True, blank=True, help_text=_("First day of performance."))
    end_date = models.DateField(_("ends"), null=True, blank=True, help_text=_("Last day of performance."))
    currency = models.CharField(_("currency"), max_length=3, default="CNY", help_text=_("Contract currency."))
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("Contract value in minor units (分)."))
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30, help_text=_("Days until an invoice under this contract is due.")
    )
    payment_terms_basis = models.CharField(
        _("payment terms basis"), max_length=20, choices=TermBasis.choices, default=TermBasis.INVOICE_DATE,
        help_text=_("Count from the invoice date or from month end (月结)."),
    )
    late_interest_rate_daily = models.DecimalField(
        _("late interest per day"), max_digits=9, decimal_places=7, default=0,
        help_text=_("Late-payment interest per day as a fraction, e.g. 0.0005 for 万分之五 per day."),
    )
    penalty_rate = models.DecimalField(
        _("penalty rate"), max_digits=7, decimal_places=4, default=0,
        help_text=_("Liquidated damages (违约金) as a fraction of the overdue amount, e.g. 0.05."),
    )
    penalty_clause = models.TextField(_("penalty clause"), max_length=MAX_LONG_TEXT, blank=True,
                                      help_text=_("The clause as written."))
    guarantee_type = models.CharField(
        _("guarantee"), max_length=20, choices=GuaranteeType.choices, default=GuaranteeType.NONE,
        help_text=_("Security the customer gave."),
    )
    guarantee_details = models.TextField(
        _("guarantee details"), max_length=MAX_LONG_TEXT, blank=True,
        help_text=_("Guarantor, collateral, amount, expiry.")
    )
    dispute_resolution = models.CharField(
        _("dispute resolution"), max_length=20, choices=DisputeResolution.choices,
        default=DisputeResolution.LITIGATION, help_text=_("Court or arbitration."),
    )
    dispute_venue = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("Agreed court or arbitration commission.")
    )
    acceptance_clause = models.TextField(
        _("acceptance clause"), max_length=MAX_LONG_TEXT, blank=True,
        help_text=_("How and when the goods or work are accepted (验收条款)."),
    )
    governing_law = models.CharField(
        _("governing law"), max_length=100, blank=True, help_text=_("The law that governs the contract (适用法律).")
    )
    late_interest_tiers = models.JSONField(
        _("tiered late interest"), default=list, blank=True,
        help_text=_("Daily rates that step up with days late: a list of {from_day, daily_rate}, from_day ascending; "
                    "empty means the single daily rate applies."),
    )
    discount_pct = models.DecimalField(
        _("early-payment discount %"), max_digits=5, decimal_places=2, default=0,
        help_text=_("Cash discount for payment within the discount days, 0-100 (2 in 2/10 net 30)."),
    )
    discount_days = models.PositiveSmallIntegerField(
        _("discount days"), default=0, help_text=_("Days from the invoice date within which the discount applies.")
    )
    deposit_pct = models.DecimalField(
        _("deposit %"), max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Share of the contract amount to be received as a deposit before the first invoice, 0-100; "
                    "empty takes the customer's credit policy."),
    )
    review_date = models.DateField(
        _("next review"), null=True, blank=True, help_text=_("When the contract is next reviewed (periodic review).")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.ACTIVE,
        help_text=_("Only active contracts can be invoiced."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Raised by each amendment."))

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_date", "number"]
        permissions = [("sign_contract", "Can sign an approved contract or record one already signed")]
        constraints = [
            text_length_constraint("guarantee_details", MAX_LONG_TEXT, name="contract_guarantee_details_length"),
            text_length_constraint("penalty_clause", MAX_LONG_TEXT, name="contract_penalty_clause_length"),
            text_length_constraint("acceptance_clause", MAX_LONG_TEXT, name="contract_acceptance_clause_length"),
            models.CheckConstraint(condition=models.Q(discount_pct__gte=0, discount_pct__lte=100),
                                   name="contract_discount_0_100"),
            models.CheckConstraint(condition=models.Q(deposit_pct__isnull=True)
                                   | models.Q(deposit_pct__gte=0, deposit_pct__lte=100),
                                   name="contract_deposit_0_100"),
            models.UniqueConstraint(fields=["company", "number"], name="contract_number_unique_per_company"),
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(late_interest_rate_daily__gte=0) & models.Q(penalty_rate__gte=0),
                name="contract_rates_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def payment_terms(self) -> PaymentTerms:
        return PaymentTerms(self.payment_terms_days, DomainBasis(self.payment_terms_basis))


class ContractMilestone(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="milestones", help_text=_("The contract.")
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"), help_text=_("Order of the milestone, from 1."))
    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. 预付款, 到货款, 验收款, 质保金."))
    share_bp = models.PositiveIntegerField(
        _("share (basis points)"), help_text=_("Share of the contract amount, 10,000 = 100%.")
    )
    due_days = models.PositiveSmallIntegerField(
        _("due days"), default=0, help_text=_("Days after the milestone event that payment is due.")
    )
    event_date = models.DateField(
        _("delivered/accepted on"), null=True, blank=True,
        help_text=_("When the milestone's event happened (delivery, acceptance); empty while it has not."),
    )

    class Meta:
        ordering = ["contract", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="milestone_sequence_unique"),
            models.CheckConstraint(
                condition=models.Q(share_bp__gt=0) & models.Q(share_bp__lte=10000), name="milestone_share_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}/{self.sequence} {self.name}"


class ContractVersion(TimeStampedModel):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="versions", help_text=_("The amended contract.")
    )
    version = models.PositiveIntegerField(_("version"), help_text=_("The version these terms were."))
    terms = models.JSONField(_("terms"), help_text=_("The contract's terms as they were before the amendment."))
    reason = models.CharField(_("reason"), max_length=300, help_text=_("Why the contract was amended."))
    amended_by = models.CharField(_("amended by"), max_length=150, help_text=_("Who amended it."))

    class Meta:
        ordering = ["contract", "version"]
        constraints = [models.UniqueConstraint(fields=["contract", "version"], name="contract_version_unique")]


def contract_attachment_path(instance, filename: str) -> str:
    return f"contracts/{instance.contract_id}/{filename}"


class ContractAttachment(TimeStampedModel):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="attachments", help_text=_("The contract.")
    )
    file = models.FileField(_("file"), upload_to=contract_attachment_path, help_text=_("Scan or PDF."))
    description = models.CharField(_("description"), max_length=200, blank=True, help_text=_("What it is."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Fingerprint of the file, as evidence."))
