from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.credit.enums import LimitRequestSource, LimitRequestStatus


class LimitChangeRequest(models.Model):
    """A request to change a customer's credit limit: maker (requester) and checker(s), never the same person."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="credit_limit_requests",
        help_text=_("Whose limit is to change."),
    )
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the limit."))
    current_limit_minor = models.BigIntegerField(
        _("limit before"), null=True, blank=True, help_text=_("The limit when the request was made; empty = none.")
    )
    requested_limit_minor = models.BigIntegerField(_("requested limit"), help_text=_("The new limit, minor units."))
    justification = models.TextField(_("justification"), max_length=MAX_NOTE,
                                     help_text=_("Why the limit should change."))
    status = models.CharField(
        _("status"), max_length=20, choices=LimitRequestStatus.choices, default=LimitRequestStatus.PENDING,
        help_text=_("Pending until approved (and applied), rejected or cancelled."),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=LimitRequestSource.choices, default=LimitRequestSource.MANUAL,
        help_text=_("A request someone made, or the limit part of an accepted rating proposal."),
    )
    rating_proposal = models.ForeignKey(
        "credit.RatingProposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="limit_requests",
        help_text=_("The accepted rating proposal this request carries out, if any."),
    )
    needs_credit_manager = models.BooleanField(
        _("needs credit manager"), default=True,
        help_text=_("A credit manager approves; not needed when a credit manager already accepted it as a proposal."),
    )
    needs_finance_manager = models.BooleanField(
        _("needs finance manager"), default=False,
        help_text=_("The requested limit is above ARMS_CREDIT_LIMIT_FM_THRESHOLD: a finance manager approves too."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, help_text=_("When requested."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", help_text=_("Who asked (the maker).")
    )
    credit_approved_at = models.DateTimeField(
        _("credit approval at"), null=True, blank=True, help_text=_("When the credit manager approved.")
    )
    credit_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The credit manager who approved (a checker, never the requester)."),
    )
    finance_approved_at = models.DateTimeField(
        _("finance approval at"), null=True, blank=True, help_text=_("When the finance manager approved.")
    )
    finance_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The finance manager who approved a large limit (never the requester)."),
    )
    decided_at = models.DateTimeField(
        _("decided at"), null=True, blank=True, help_text=_("When it was applied, rejected or cancelled.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Who made the last decision."),
    )
    decision_note = models.CharField(
        _("decision note"), max_length=500, blank=True, help_text=_("Why approved, rejected or cancelled.")
    )

    class Meta:
        verbose_name = _("limit change request")
        verbose_name_plural = _("limit change requests")
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("approve_limitchange", "Can approve credit limit changes"),
            ("approve_limitchange_large", "Can approve credit limit changes above the threshold"),
        ]
        constraints = [
            text_length_constraint("justification", MAX_NOTE, name="limit_request_justification_length"),
            models.CheckConstraint(
                condition=Q(requested_limit_minor__gte=0), name="limit_request_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(credit_approved_by__isnull=True) | ~Q(credit_approved_by=F("requested_by")),
                name="limit_request_credit_checker_not_maker",
            ),
            models.CheckConstraint(
                condition=Q(finance_approved_by__isnull=True) | ~Q(finance_approved_by=F("requested_by")),
                name="limit_request_finance_checker_not_maker",
            ),
            models.UniqueConstraint(
                fields=["customer"], condition=Q(status="pending"), name="limit_request_one_pending_per_customer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.current_limit_minor} -> {self.requested_limit_minor} ({self.status})"
