"""Collection plans (收款计划): what a salesperson expects to collect from a customer or under a contract, and when.

Invariants:
- A plan names one customer, optionally one of its contracts, one currency and an owner (the responsible
  salesperson; by default the customer's). Its lines each expect an amount (> 0 minor units, in the plan's
  currency: the line has no currency of its own) on a date, for a contract milestone, an invoice or a free text.
- Status moves draft -> submitted -> approved -> closed, or draft/submitted -> cancelled; a finance manager who did
  not submit it returns a submitted plan to draft with a comment (``return_note``) or approves it (the one
  four-eyes rule). Lines are edited only while the plan is a draft.
- At most one open plan (draft, submitted or approved) per contract and one per customer without a contract
  (``collectionplans_one_open_per_contract`` / ``..._per_customer``), so receipts are never counted twice.
- Receipts are never stored here: they are read from the ledger's allocations of cash (``arms.collectionplans.
  selectors.plan_receipts``), from the plan's ``counts_from`` day on.
- A line past its date whose cumulative expectation is not covered by the cumulative receipts is *behind*; the
  daily task tells the owner once per line (``behind_notified_on``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.collectionplans.enums import OPEN_STATUSES, LineKind, PlanStatus
from arms.common.bounds import MAX_NOTE, amount_bound_constraint, text_length_constraint

MAX_LINE_TEXT = 300


class CollectionPlan(models.Model):
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="collection_plans",
                                 help_text=_("The customer whose payments the plan expects."))
    contract = models.ForeignKey("contracts.Contract", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="collection_plans",
                                 help_text=_("The contract the plan is for; empty for a plan of the whole customer."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="collection_plans",
                              help_text=_("The salesperson responsible for collecting it."))
    currency = models.CharField(_("currency"), max_length=3,
                                help_text=_("The currency of every line and of the receipts counted."))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                              db_index=True, help_text=_("Draft, submitted, approved, closed or cancelled."))
    counts_from = models.DateField(_("counts receipts from"),
                                   help_text=_("Cash applied on or after this day counts against the plan."))
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True,
                            help_text=_("What the plan rests on: agreements with the customer, risks."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was drafted."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who drafted it."))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True,
                                        help_text=_("When it was last submitted for approval."))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", help_text=_("Who last submitted it."))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True,
                                      help_text=_("When it was last approved or returned."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+",
                                   help_text=_("The finance manager who last approved or returned it."))
    decision_note = models.TextField(_("decision comment"), max_length=MAX_NOTE, blank=True,
                                     help_text=_("The finance manager's comment on the last approval or return."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True,
                                     help_text=_("When it was closed or cancelled."))

    class Meta:
        verbose_name = _("collection plan")
        verbose_name_plural = _("collection plans")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_collectionplan", _("Can approve or return a collection plan"))]
        constraints = [
            models.UniqueConstraint(fields=["contract"], condition=Q(status__in=OPEN_STATUSES, contract__isnull=False),
                                    name="collectionplans_one_open_per_contract"),
            models.UniqueConstraint(fields=["customer"], condition=Q(status__in=OPEN_STATUSES, contract__isnull=True),
                                    name="collectionplans_one_open_per_customer"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="collectionplans_status_known"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(decided_at__isnull=False),
                                   name="collectionplans_approved_has_decision"),
            text_length_constraint("note", MAX_NOTE, name="collectionplans_note_length"),
            text_length_constraint("decision_note", MAX_NOTE, name="collectionplans_decision_note_length"),
        ]

    def __str__(self) -> str:
        return f"CP-{self.pk:06d}" if self.pk else "CP-new"

    @property
    def number(self) -> str:
        return str(self)

    @property
    def editable(self) -> bool:
        return self.status == PlanStatus.DRAFT


class CollectionPlanLine(models.Model):
    plan = models.ForeignKey(CollectionPlan, on_delete=models.CASCADE, related_name="lines",
                             help_text=_("The plan."))
    expected_date = models.DateField(_("expected date"), help_text=_("When the money is expected."))
    amount_minor = models.BigIntegerField(_("expected amount"),
                                          help_text=_("Expected amount in the plan's currency, minor units (分)."))
    kind = models.CharField(_("for"), max_length=20, choices=LineKind.choices, default=LineKind.OTHER,
                            help_text=_("What the money is for: a contract milestone, an invoice or other."))
    milestone = models.ForeignKey("contracts.ContractMilestone", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text=_("The contract milestone, for a milestone line."))
    invoice = models.ForeignKey("ledger.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                help_text=_("The invoice, for an invoice line."))
    description = models.CharField(_("description"), max_length=MAX_LINE_TEXT, blank=True,
                                   help_text=_("What the payment is, in words."))
    behind_notified_on = models.DateField(_("owner told it is behind on"), null=True, blank=True,
                                          help_text=_("When the owner was told this line is behind (once)."))

    class Meta:
        verbose_name = _("collection plan line")
        verbose_name_plural = _("collection plan lines")
        ordering = ["plan", "expected_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="collectionplans_line_amount_positive"),
            amount_bound_constraint(("amount_minor",), name="collectionplans_line_amount_bound"),
            models.CheckConstraint(condition=Q(kind__in=LineKind.values), name="collectionplans_line_kind_known"),
            text_length_constraint("description", MAX_LINE_TEXT, name="collectionplans_line_description_length"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.expected_date} {self.amount_minor}"
