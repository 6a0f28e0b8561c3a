"""Credit holds and credit overrides: the two records a person (or the dunning ladder) leaves on the credit check.

Design overview:
- Exposure itself is not stored: it is computed in set-based SQL from the ledger and contracts
  (``arms.exposure.selectors.exposure_breakdown``) inside the transaction of the document being checked.
- A ``CreditHold`` stops every document that raises the customer's exposure while it is active. It is never
  deleted: releasing it records who released it, when and why. Invariant: at most one active hold per
  (customer, reason_code, source_ref) (``credit_hold_one_active_per_source``), which makes placing a hold
  idempotent; a released hold has its releaser's timestamp (``credit_hold_released_has_time``).
- A ``CreditOverride`` lets one blocked document through. It is requested with a reason, decided by a credit
  manager who is not the requester (``credit_override_decider_not_requester``), expires, and is consumed by
  the first matching blocked document, which it records. States: requested → approved → consumed, or
  requested → rejected, or approved → expired (by time; the periodic task also sets the state). An override
  with ``terms_days`` also lets a document through whose payment terms are longer than the grade allows, up to
  that many days (an exception to the terms rule); one without it never covers ``terms_exceeded``.
- ``CreditControlSettings``: one row per company (``credit_settings_one_per_company``), edited by a credit
  manager: how a customer nobody has rated is handled (block / up to a small default limit / warn) and how
  many days ahead a guarantee's expiry is announced. No row = the defaults (``limit``, CNY 50,000.00, 30 days).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, text_length_constraint


class HoldReason(models.TextChoices):
    MANUAL = "manual", _("Manual hold")
    LIMIT = "limit", _("Credit limit exceeded")
    OVERDUE = "overdue", _("Long overdue items")
    GRADE_D = "grade_d", _("Grade D: prepayment only")
    DUNNING_STOP_SUPPLY = "dunning_stop_supply", _("Dunning: stop supply")


#: what placed a hold, by the prefix of its ``source_ref`` ("dunning:stop_supply"), for people to read
HOLD_SOURCE_LABELS = {"dunning": _("Dunning ladder (stop-supply stage)"), "demo": _("Demo data")}


def hold_source_label(source_ref: str) -> str:
    """A hold's source as people read it: ARMS's own sources by their label, an API client's reference as it
    was given (it is the client's data, e.g. an ERP order number)."""
    prefix = source_ref.partition(":")[0]
    return str(HOLD_SOURCE_LABELS[prefix]) if prefix in HOLD_SOURCE_LABELS else source_ref


class OverrideStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CONSUMED = "consumed", _("Used")
    EXPIRED = "expired", _("Expired")


class DocumentKind(models.TextChoices):
    ANY = "", _("Any document")
    INVOICE = "invoice", _("Invoice")
    CONTRACT = "contract", _("Contract")
    ORDER = "order", _("Sales order (ERP)")


class CreditHold(models.Model):
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="credit_holds",
        help_text=_("The customer whose new documents are stopped."),
    )
    reason_code = models.CharField(
        _("reason"), max_length=30, choices=HoldReason.choices,
        help_text=_("Why supply is stopped: manual, limit, overdue, grade D or a dunning stop-supply stage."),
    )
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True,
                            help_text=_("What the person placing the hold wants known."))
    source_ref = models.CharField(
        _("source"), max_length=100, blank=True,
        help_text=_("What placed it, e.g. dunning:<action id>; empty for a hold placed by hand."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who placed the hold (empty for the system)."),
    )
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now, help_text=_("When the hold was placed."))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who released the hold."),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True, help_text=_("When it was released."))
    release_note = models.TextField(_("release note"), max_length=MAX_NOTE, blank=True,
                                    help_text=_("Why the hold was released."))
    active = models.BooleanField(_("active"), default=True, help_text=_("An active hold blocks the credit check."))

    class Meta:
        verbose_name = _("credit hold")
        verbose_name_plural = _("credit holds")
        ordering = ["-placed_at", "-pk"]
        permissions = [("check_credit", "Can run the credit check and see exposure")]
        constraints = [
            text_length_constraint("release_note", MAX_NOTE, name="credit_hold_release_note_length"),
            text_length_constraint("note", MAX_NOTE, name="credit_hold_note_length"),
            models.UniqueConstraint(
                fields=["customer", "reason_code", "source_ref"], condition=Q(active=True),
                name="credit_hold_one_active_per_source",
            ),
            models.CheckConstraint(
                condition=Q(active=True, released_at__isnull=True) | Q(active=False, released_at__isnull=False),
                name="credit_hold_released_has_time",
            ),
        ]
        indexes = [models.Index(fields=["customer"], condition=Q(active=True), name="credit_hold_active_by_cust")]

    def __str__(self) -> str:
        return f"{self.customer_id}/{self.reason_code}/{self.pk}"


class CreditOverride(models.Model):
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="credit_overrides",
        help_text=_("The customer a blocked document is to go through for."),
    )
    amount_minor = models.BigIntegerField(
        _("amount"), help_text=_("Largest document amount the override lets through, minor units."),
    )
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the amount."))
    document_kind = models.CharField(
        _("document kind"), max_length=20, choices=DocumentKind.choices, blank=True,
        help_text=_("Only a document of this kind may use it; empty for any."),
    )
    document_ref = models.CharField(
        _("document reference"), max_length=100, blank=True,
        help_text=_("Only the document with this number may use it; empty for the first matching one."),
    )
    reason = models.TextField(_("reason"), max_length=MAX_NOTE,
                              help_text=_("Why the blocked document should go through."))
    status = models.CharField(
        _("status"), max_length=20, choices=OverrideStatus.choices, default=OverrideStatus.REQUESTED,
        help_text=_("requested, approved, rejected, used or expired."),
    )
    valid_days = models.PositiveSmallIntegerField(
        _("valid for (days)"), default=7, help_text=_("Days the approval stays valid, counted from approval."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", help_text=_("Who asked for it."),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, help_text=_("When it was asked."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The credit manager who approved or rejected it."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, help_text=_("When it was decided."))
    decision_note = models.TextField(_("decision note"), max_length=MAX_NOTE, blank=True,
                                     help_text=_("Why it was approved or rejected."))
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("After this moment an approved override is void."),
    )
    consumed_at = models.DateTimeField(_("used at"), null=True, blank=True, help_text=_("When a document used it."))
    consumed_document_kind = models.CharField(
        _("used by kind"), max_length=20, blank=True, help_text=_("Kind of the document that used it."),
    )
    terms_days = models.PositiveSmallIntegerField(
        _("terms up to (days)"), null=True, blank=True,
        help_text=_("Payment terms the override allows beyond the grade's, in days; empty = not a terms exception."),
    )
    consumed_document_ref = models.CharField(
        _("used by document"), max_length=100, blank=True, help_text=_("Number of the document that used it."),
    )

    class Meta:
        verbose_name = _("credit override")
        verbose_name_plural = _("credit overrides")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_creditoverride", "Can approve or reject a credit override")]
        constraints = [
            text_length_constraint("decision_note", MAX_NOTE, name="credit_override_decision_note_length"),
            text_length_constraint("reason", MAX_NOTE, name="credit_override_reason_length"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="credit_override_amount_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="credit_override_decider_not_requester",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "consumed", "expired"]) | Q(expires_at__isnull=False),
                name="credit_override_approved_has_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(status="consumed") | Q(consumed_at__isnull=False),
                name="credit_override_consumed_has_time",
            ),
            models.CheckConstraint(condition=Q(valid_days__gte=1) & Q(valid_days__lte=90),
                                   name="credit_override_valid_days_1_to_90"),
            models.CheckConstraint(condition=Q(terms_days__isnull=True) | Q(terms_days__gte=1, terms_days__lte=3650),
                                   name="credit_override_terms_days_1_to_3650"),
        ]
        indexes = [models.Index(fields=["customer", "status"], name="credit_override_by_cust_status")]

    def __str__(self) -> str:
        return f"{self.customer_id}/{self.pk} {self.status}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == OverrideStatus.APPROVED and self.expires_at is not None and self.expires_at > now


class UnratedPolicy(models.TextChoices):
    BLOCK = "block", _("Block until rated")
    LIMIT = "limit", _("Allow up to a small default limit until rated")
    WARN = "warn", _("Warn only")


#: the default unrated limit (CNY 50,000.00) and the days ahead a guarantee's expiry is announced
DEFAULT_UNRATED_LIMIT_MINOR = 50_000_00
DEFAULT_GUARANTEE_WARN_DAYS = 30


class CreditControlSettings(models.Model):
    """A company's credit-control settings (one row per company; none = the defaults)."""

    company = models.OneToOneField(
        "customers.Company", on_delete=models.CASCADE, related_name="credit_control_settings",
        help_text=_("The company these settings apply to."),
    )
    unrated_policy = models.CharField(
        _("unrated customers"), max_length=10, choices=UnratedPolicy.choices, default=UnratedPolicy.LIMIT,
        help_text=_("How the credit check treats a customer without a credit limit."),
    )
    unrated_limit_minor = models.BigIntegerField(
        _("default limit until rated"), default=DEFAULT_UNRATED_LIMIT_MINOR,
        help_text=_("Exposure an unrated customer may reach under the default-limit policy, CNY fen."),
    )
    guarantee_warn_days = models.PositiveSmallIntegerField(
        _("guarantee expiry warning (days)"), default=DEFAULT_GUARANTEE_WARN_DAYS,
        help_text=_("Days before a guarantee expires that the credit managers and the salesperson are told."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When the settings last changed."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who last changed them."),
    )

    class Meta:
        verbose_name = _("credit control settings")
        verbose_name_plural = _("credit control settings")
        constraints = [
            models.CheckConstraint(condition=Q(unrated_limit_minor__gte=0), name="credit_settings_limit_not_negative"),
            models.CheckConstraint(condition=Q(unrated_policy__in=["block", "limit", "warn"]),
                                   name="credit_settings_policy_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.unrated_policy}"

    @property
    def currency(self) -> str:
        """The default limit until rated is in the base currency."""
        return "CNY"
