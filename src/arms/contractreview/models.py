"""Contract review before signing (合同评审): rounds of sign-offs with a clause checklist and the credit figures.

Invariants:
- A contract in review has exactly one open round; a round has one step per kind required when it was submitted
  (sales management and credit always; legal and finance from the company's amounts in CNY,
  ``ContractReviewSettings``). Steps are decided in order; the next waits for the one before.
- A step approves only when every required clause is present in the contract's terms and confirmed by the
  reviewer; otherwise it returns (the round ends ``returned``, the contract goes back to draft) or rejects (the
  round and the contract end ``rejected``). A returned contract is resubmitted as a new round; rounds are kept.
- The submitter never signs off a step of the round (the one four-eyes rule, ``arms.common.approvals``).
- The credit check of the customer (what it would decide for this contract) and the clause checklist are frozen
  on the round when it is submitted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, amount_bound_constraint, text_length_constraint
from arms.contractreview.enums import Decision, RoundStatus, StepKind

#: CNY fen from which legal, finance and a guarantee are required, unless the company set its own
LEGAL_DEFAULT_MINOR = 500_000_00
FINANCE_DEFAULT_MINOR = 1_000_000_00
GUARANTEE_DEFAULT_MINOR = 1_000_000_00
#: days before a contract's end that its salesperson is reminded
REMINDER_DEFAULT_DAYS = 30


class ContractReviewSettings(models.Model):
    company = models.OneToOneField("customers.Company", on_delete=models.PROTECT,
                                   related_name="contract_review_settings",
                                   help_text=_("The company the amounts apply to."))
    legal_from_minor = models.BigIntegerField(
        _("legal sign-off from (CNY)"), default=LEGAL_DEFAULT_MINOR,
        help_text=_("A contract of at least this many CNY fen also needs legal's sign-off."))
    finance_from_minor = models.BigIntegerField(
        _("finance sign-off from (CNY)"), default=FINANCE_DEFAULT_MINOR,
        help_text=_("A contract of at least this many CNY fen also needs finance's sign-off."))
    guarantee_from_minor = models.BigIntegerField(
        _("guarantee required from (CNY)"), default=GUARANTEE_DEFAULT_MINOR,
        help_text=_("A contract of at least this many CNY fen needs a guarantee clause."))
    reminder_days = models.PositiveSmallIntegerField(
        _("remind days before the end"), default=REMINDER_DEFAULT_DAYS,
        help_text=_("Days before a contract ends that its salesperson is reminded (0 to 365)."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When it was last changed."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who changed it last."))

    class Meta:
        verbose_name = _("contract review settings")
        verbose_name_plural = _("contract review settings")
        constraints = [
            models.CheckConstraint(condition=Q(legal_from_minor__gte=0, finance_from_minor__gte=0,
                                               guarantee_from_minor__gte=0),
                                   name="contractreview_amounts_not_negative"),
            amount_bound_constraint(("legal_from_minor", "finance_from_minor", "guarantee_from_minor"),
                                    name="contractreview_amounts_bound"),
            models.CheckConstraint(condition=Q(reminder_days__lte=365), name="contractreview_reminder_days_range"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}"


class ContractReview(models.Model):
    """One round of review of a contract."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="reviews",
                                 help_text=_("The contract reviewed."))
    round = models.PositiveSmallIntegerField(_("round"), help_text=_("1 for the first submission, then 2, 3, ..."))
    status = models.CharField(_("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN,
                              db_index=True, help_text=_("In review, approved, returned or rejected."))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     help_text=_("Who submitted the contract for review."))
    submitted_at = models.DateTimeField(_("submitted at"), help_text=_("When it was submitted."))
    amount_base_minor = models.BigIntegerField(_("amount (CNY)"),
                                               help_text=_("The contract amount in CNY fen when submitted."))
    credit_check = models.JSONField(_("credit check"), default=dict, blank=True,
                                    help_text=_("What the credit check decided for this contract when submitted."))
    clauses = models.JSONField(_("clauses"), default=dict, blank=True,
                               help_text=_("Each checklist clause: present in the contract's terms when submitted."))
    required_clauses = models.JSONField(_("required clauses"), default=list, blank=True,
                                        help_text=_("The clauses a step needs present to approve."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True,
                                     help_text=_("When the round was approved, returned or rejected."))

    class Meta:
        verbose_name = _("contract review")
        verbose_name_plural = _("contract reviews")
        ordering = ["contract", "round"]
        permissions = [
            ("signoff_sales_contractreview", "Can sign off contract reviews for sales management"),
            ("signoff_credit_contractreview", "Can sign off contract reviews for credit"),
            ("signoff_legal_contractreview", "Can sign off contract reviews for legal"),
            ("signoff_finance_contractreview", "Can sign off contract reviews for finance"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["contract", "round"], name="contractreview_round_unique"),
            models.UniqueConstraint(fields=["contract"], condition=Q(status="open"),
                                    name="contractreview_one_open_round"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}#{self.round}"


class ReviewStep(models.Model):
    review = models.ForeignKey(ContractReview, on_delete=models.CASCADE, related_name="steps",
                               help_text=_("The round."))
    sequence = models.PositiveSmallIntegerField(_("sequence"), help_text=_("Order of the step, from 1."))
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices,
                            help_text=_("Sales management, credit, legal or finance."))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING,
                                help_text=_("Waiting, approved, returned or rejected."))
    comment = models.TextField(_("comment"), max_length=MAX_NOTE, blank=True,
                               help_text=_("Why it was decided so; required to return or reject."))
    clauses_confirmed = models.JSONField(_("clauses confirmed"), default=list, blank=True,
                                         help_text=_("The checklist clauses the reviewer confirmed."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("Who decided."))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, help_text=_("When."))

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["review", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="contractreview_one_step_per_kind"),
            text_length_constraint("comment", MAX_NOTE, name="contractreview_comment_length"),
            models.CheckConstraint(condition=Q(decision="pending") | Q(decided_at__isnull=False),
                                   name="contractreview_decided_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.kind}"
