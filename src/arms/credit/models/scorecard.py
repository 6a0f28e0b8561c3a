from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.credit.enums import Grade, LimitKind


class ScorecardVersion(models.Model):
    """One version of the scorecard: factors, bands, thresholds and hard overrides as data.

    Never edited once a rating uses it: editing makes the next version and activates it.
    """

    version = models.PositiveIntegerField(_("version"), unique=True, help_text=_("1, 2, 3 ... in order of creation."))
    name = models.CharField(_("name"), max_length=100, help_text=_("A short name, e.g. 标准评分卡 2026."))
    definition = models.JSONField(
        _("definition"), help_text=_("Factors, bands, grade thresholds and hard overrides (see docs/domain/credit.md).")
    )
    is_active = models.BooleanField(
        _("active"), default=False, help_text=_("New ratings use the active version; exactly one is active.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("What changed and why."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was made."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who made it; empty for the built-in default."),
    )

    class Meta:
        verbose_name = _("scorecard version")
        verbose_name_plural = _("scorecard versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="scorecard_one_active"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class GradePolicy(models.Model):
    """What a grade earns: the limit (fixed or a formula), terms, deposit or guarantee, early-payment discount."""

    grade = models.CharField(
        _("grade"), max_length=1, choices=Grade.choices, unique=True, help_text=_("The grade this policy is for.")
    )
    limit_kind = models.CharField(
        _("limit kind"), max_length=30, choices=LimitKind.choices, default=LimitKind.FIXED,
        help_text=_("Fixed amount, a share of the customer's revenue, or a multiple of average monthly sales."),
    )
    limit_fixed_minor = models.BigIntegerField(
        _("fixed limit / floor"), default=0,
        help_text=_("The limit for 'fixed'; the minimum for the formulas. CNY fen."),
    )
    limit_rate = models.DecimalField(
        _("limit rate"), max_digits=10, decimal_places=4, default=Decimal("0"),
        help_text=_("Percent of annual revenue (revenue_pct) or the multiple of average monthly sales."),
    )
    limit_cap_minor = models.BigIntegerField(
        _("limit cap"), null=True, blank=True, help_text=_("Upper bound of a formula limit, CNY fen; empty = none.")
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30, help_text=_("Payment terms the grade earns.")
    )
    deposit_pct = models.DecimalField(
        _("deposit %"), max_digits=5, decimal_places=2, default=Decimal("0"), help_text=_("Deposit required, 0-100.")
    )
    guarantee_required = models.BooleanField(
        _("guarantee required"), default=False, help_text=_("A guarantee is required.")
    )
    discount_pct = models.DecimalField(
        _("early-payment discount %"), max_digits=5, decimal_places=2, default=Decimal("0"),
        help_text=_("Cash discount for early payment, 0-100."),
    )
    discount_days = models.PositiveSmallIntegerField(
        _("discount days"), default=0, help_text=_("Days within which the discount applies.")
    )
    prepayment_only = models.BooleanField(
        _("prepayment only"), default=False, help_text=_("Sell only against payment in advance.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When the policy last changed."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who last changed it."),
    )

    class Meta:
        verbose_name = _("grade policy")
        verbose_name_plural = _("grade policies")
        ordering = ["grade"]
        constraints = [
            models.CheckConstraint(condition=Q(limit_fixed_minor__gte=0), name="grade_policy_fixed_not_negative"),
            models.CheckConstraint(condition=Q(limit_rate__gte=0), name="grade_policy_rate_not_negative"),
            models.CheckConstraint(
                condition=Q(limit_cap_minor__isnull=True) | Q(limit_cap_minor__gte=0),
                name="grade_policy_cap_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(deposit_pct__gte=0, deposit_pct__lte=100), name="grade_policy_deposit_0_100"
            ),
            models.CheckConstraint(
                condition=Q(discount_pct__gte=0, discount_pct__lte=100), name="grade_policy_discount_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade}: {self.limit_kind}"
