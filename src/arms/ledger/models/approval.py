"""The one four-eyes rule for manual cash application and documents (四眼原则).

A manual allocation, allocation reversal, credit note or invoice worth more than the company's amount
(``LedgerSettings.four_eyes_minor``, CNY fen) is not done at once: it waits as a ``LedgerApproval`` with the service
arguments it will be done with. Another person approves it (the service then runs, as the approver, on the rows as
they are then) or rejects it; the requester never decides (``arms.common.approvals.require_second_person``).
Invariants: a decided approval is never decided again; an approved one names what it made (``result``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.ledger.enums import ApprovalKind, ApprovalStatus

#: CNY 1,000,000.00: the default amount above which manual cash application needs a second person
FOUR_EYES_DEFAULT_MINOR = 100_000_000


class LedgerSettings(models.Model):
    """Per company: the amount above which a manual allocation, reversal, credit note or invoice needs a second
    person. A finance manager or an administrator changes it."""

    company = models.OneToOneField(
        "customers.Company", on_delete=models.CASCADE, related_name="ledger_settings", help_text=_("The company."),
    )
    four_eyes_minor = models.BigIntegerField(
        _("second approver above"), default=FOUR_EYES_DEFAULT_MINOR,
        help_text=_("A manual allocation, reversal, credit note or invoice worth more than this (CNY fen) waits for "
                    "another person to approve it."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When it was last changed."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who changed it last."),
    )

    class Meta:
        verbose_name = _("ledger settings")
        verbose_name_plural = _("ledger settings")
        constraints = [
            models.CheckConstraint(condition=Q(four_eyes_minor__gte=0) & Q(four_eyes_minor__lte=10**15),
                                   name="ledger_settings_four_eyes_0_to_max"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.four_eyes_minor}"


class LedgerApproval(models.Model):
    """A manual allocation, reversal, credit note or invoice above the company's amount, waiting for a second
    person. ``arguments`` are what the ledger service will be called with (ids, minor units, ISO dates)."""

    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, help_text=_("The company."))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="ledger_approvals",
        help_text=_("The customer whose account it touches."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ApprovalKind.choices,
                            help_text=_("What it does once approved."))
    status = models.CharField(
        _("status"), max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING, db_index=True,
        help_text=_("Pending, approved or rejected."),
    )
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the amount."))
    amount_minor = models.BigIntegerField(_("amount"), help_text=_("What it moves, in minor units of the currency."))
    amount_base_minor = models.BigIntegerField(
        _("amount (CNY)"), help_text=_("What it moves in CNY fen, compared with the company's amount."),
    )
    threshold_minor = models.BigIntegerField(
        _("second approver above"), help_text=_("The company's amount (CNY fen) when it was asked for."),
    )
    arguments = models.JSONField(_("arguments"), help_text=_("What the ledger service is called with on approval."))
    payment = models.ForeignKey(
        "ledger.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="approvals",
        help_text=_("The payment allocated, or whose allocation is undone."),
    )
    invoice = models.ForeignKey(
        "ledger.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="approvals",
        help_text=_("The invoice credited, or whose allocation is undone."),
    )
    allocation = models.ForeignKey(
        "ledger.Allocation", null=True, blank=True, on_delete=models.PROTECT, related_name="approvals",
        help_text=_("The allocation to undo."),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True,
                              help_text=_("Why the requester asks for it."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Who asked for it."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, help_text=_("When it was asked for."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Who approved or rejected it."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, help_text=_("When it was decided."))
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True,
                                     help_text=_("The approver's note; why, for a rejection."))
    result = models.JSONField(_("result"), default=dict, blank=True,
                              help_text=_("What the approval made: allocation ids, or the document's id and number."))

    class Meta:
        verbose_name = _("ledger approval")
        verbose_name_plural = _("ledger approvals")
        ordering = ["-requested_at", "-id"]
        permissions = [("approve_ledgerapproval", "Can approve manual cash application above the amount")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0) & Q(amount_base_minor__gte=0),
                                   name="ledger_approval_amount_positive"),
            models.CheckConstraint(
                condition=Q(status=ApprovalStatus.PENDING, decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status=ApprovalStatus.PENDING) & Q(decided_at__isnull=False)),
                name="ledger_approval_decided_when_not_pending",
            ),
        ]
        indexes = [models.Index(fields=["company", "status", "requested_at"], name="ledger_approval_worklist")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_minor} {self.currency} ({self.status})"
