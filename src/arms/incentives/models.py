"""Incentives (奖惩): a scheme per month, the people in it, the mutual ratings and the payout sheet it computed.

Design overview and invariants (★ = also enforced by the database):

- An ``IncentiveScheme`` is one month of one company (★ one per company and month): the base bonus pool (CNY fen),
  the weights of the four components in basis points (★ each 0..10000; the service refuses a sum other than
  10000), the DSO step (pool +``dso_step_bp`` per ``dso_step_days`` days shorter DSO than the month before; only up
  unless ``dso_both_ways``), and the deduction for items more than ``overdue_days`` past due at the month's end
  (per item or a share of their amount). Status draft → computed → approved → closed; an approved or closed
  scheme is never changed again (the services refuse).
- ``SchemeMember``: who is in it and in which role (salesperson or collector) (★ one row per scheme and user).
- ``IncentiveRating``: one finance–sales mutual rating 0..100 (★) per scheme, rater and ratee (★), never by the
  ratee (★).
- ``PayoutLine``: one person's sheet row as computed: each component's figure, points and amount, the deduction
  and the total; written by ``scheme_compute`` only (★ one per scheme and user).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, amount_bound_constraint, text_length_constraint

FULL_BP = 10_000


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPUTED = "computed", _("Computed")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


class MemberRole(models.TextChoices):
    SALESPERSON = "salesperson", _("Salesperson")
    COLLECTOR = "collector", _("Collector")


class DeductionMode(models.TextChoices):
    PER_ITEM = "per_item", _("A fixed amount per item")
    PER_AMOUNT = "per_amount", _("A share of the overdue amount")


class IncentiveScheme(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company."))
    period = models.DateField(_("month"), help_text=_("The first day of the month the scheme covers."))
    base_pool_minor = models.BigIntegerField(_("base bonus pool"), default=0,
                                             help_text=_("The bonus pool before the DSO step, CNY fen."))
    weight_collections_bp = models.PositiveIntegerField(
        _("weight of collections"), default=5000, help_text=_("Share of the pool paid on cash collected (回款额), bp."))
    weight_recovery_bp = models.PositiveIntegerField(
        _("weight of the recovery rate"), default=2000, help_text=_("Share of the pool paid on 回收率, bp."))
    weight_dunning_bp = models.PositiveIntegerField(
        _("weight of the dunning success rate"), default=2000, help_text=_("Share of the pool paid on 催收成功率, bp."))
    weight_rating_bp = models.PositiveIntegerField(
        _("weight of the mutual rating"), default=1000, help_text=_("Share of the pool paid on the mutual rating, bp."))
    dso_step_days = models.PositiveSmallIntegerField(
        _("DSO step (days)"), default=5, help_text=_("Each this many days of shorter DSO moves the pool one step."))
    dso_step_bp = models.PositiveIntegerField(
        _("pool change per step"), default=100,
        help_text=_("How much one step changes the pool, bp (100 is one percent)."))
    dso_both_ways = models.BooleanField(
        _("longer DSO shrinks the pool"), default=False,
        help_text=_("If set, each step of longer DSO takes the same share off the pool; else the pool only grows."))
    overdue_days = models.PositiveSmallIntegerField(
        _("deduction after (days overdue)"), default=90,
        help_text=_("Items more than this many days past due at the month's end are deducted."))
    deduction_mode = models.CharField(_("deduction"), max_length=20, choices=DeductionMode.choices,
                                      default=DeductionMode.PER_ITEM, help_text=_("How an item past due is deducted."))
    deduction_per_item_minor = models.BigIntegerField(
        _("deduction per item"), default=10_000, help_text=_("Deducted for each such item, CNY fen."))
    deduction_bp = models.PositiveIntegerField(
        _("deduction share"), default=100, help_text=_("Share of the items' open amount deducted, bp."))
    note = models.TextField(_("note"), blank=True, help_text=_("Anything the people in it should know."))
    status = models.CharField(_("status"), max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT,
                              help_text=_("Draft, computed, approved or closed."))
    dso_previous = models.DecimalField(_("DSO of the month before"), max_digits=10, decimal_places=2, null=True,
                                       blank=True, help_text=_("Standard DSO of the previous month, days."))
    dso_current = models.DecimalField(_("DSO of the month"), max_digits=10, decimal_places=2, null=True, blank=True,
                                      help_text=_("Standard DSO of the month, days."))
    pool_step_bp = models.IntegerField(_("pool change"), default=0,
                                       help_text=_("What the DSO step did to the pool, bp."))
    pool_minor = models.BigIntegerField(_("bonus pool"), default=0,
                                        help_text=_("The pool after the DSO step, CNY fen."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was made."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who made it."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When it was last changed."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who last edited its terms."))
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True, help_text=_("When it was computed."))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text=_("Who computed the sheet."))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, help_text=_("When it was approved."))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text=_("The finance manager who approved the sheet."))

    class Meta:
        verbose_name = _("incentive scheme")
        verbose_name_plural = _("incentive schemes")
        ordering = ["-period", "-id"]
        permissions = [("compute_incentivescheme", _("Can compute an incentive scheme")),
                       ("approve_incentivescheme", _("Can approve an incentive payout sheet"))]
        constraints = [
            models.UniqueConstraint(fields=["company", "period"], name="incentive_scheme_one_per_month"),
            amount_bound_constraint(("base_pool_minor", "deduction_per_item_minor", "pool_minor"),
                                    name="incentive_scheme_amounts"),
            models.CheckConstraint(condition=Q(base_pool_minor__gte=0, deduction_per_item_minor__gte=0),
                                   name="incentive_scheme_amounts_positive"),
            models.CheckConstraint(condition=Q(weight_collections_bp__lte=FULL_BP, weight_recovery_bp__lte=FULL_BP,
                                               weight_dunning_bp__lte=FULL_BP, weight_rating_bp__lte=FULL_BP,
                                               dso_step_bp__lte=FULL_BP, deduction_bp__lte=FULL_BP),
                                   name="incentive_scheme_bp_bounded"),
            text_length_constraint("note", MAX_NOTE, name="incentive_scheme_note_length"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m}"

    @property
    def locked(self) -> bool:
        return self.status in (SchemeStatus.APPROVED, SchemeStatus.CLOSED)


class SchemeMember(models.Model):
    scheme = models.ForeignKey(IncentiveScheme, on_delete=models.CASCADE, related_name="members",
                               help_text=_("The scheme."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             help_text=_("The person."))
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices,
                            help_text=_("Measured as salesperson or as collector."))

    class Meta:
        verbose_name = _("scheme member")
        verbose_name_plural = _("scheme members")
        ordering = ["role", "user_id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "user"], name="incentive_member_once")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.role} {self.user_id}"


class IncentiveRating(models.Model):
    scheme = models.ForeignKey(IncentiveScheme, on_delete=models.CASCADE, related_name="ratings",
                               help_text=_("The scheme (month)."))
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              help_text=_("Who rated."))
    ratee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              help_text=_("Who was rated."))
    score = models.PositiveSmallIntegerField(_("score"), help_text=_("0 to 100."))
    note = models.TextField(_("note"), blank=True, help_text=_("Why."))
    created_at = models.DateTimeField(_("rated at"), auto_now=True, help_text=_("When it was last entered."))

    class Meta:
        verbose_name = _("mutual rating")
        verbose_name_plural = _("mutual ratings")
        ordering = ["ratee_id", "rater_id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "rater", "ratee"], name="incentive_rating_once"),
            models.CheckConstraint(condition=Q(score__lte=100), name="incentive_rating_score_bounded"),
            models.CheckConstraint(condition=~Q(rater=F("ratee")), name="incentive_rating_not_self"),
            text_length_constraint("note", MAX_NOTE, name="incentive_rating_note_length"),
        ]

    def __str__(self) -> str:
        return f"{self.rater_id}->{self.ratee_id}: {self.score}"


class PayoutLine(models.Model):
    """One person's row of the payout sheet. Points are basis points (10000 = 100 points); a rate is None when the
    person had nothing to measure it on."""

    scheme = models.ForeignKey(IncentiveScheme, on_delete=models.CASCADE, related_name="lines",
                               help_text=_("The scheme."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             help_text=_("The person."))
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, help_text=_("The role measured."))
    collections_minor = models.BigIntegerField(
        _("collections"), default=0, help_text=_("Cash applied in the month credited to the person, CNY fen."))
    recovery_bp = models.IntegerField(_("recovery rate"), null=True, blank=True, help_text=_("回收率, bp."))
    dunning_bp = models.IntegerField(_("dunning success rate"), null=True, blank=True, help_text=_("催收成功率, bp."))
    rating_bp = models.IntegerField(_("average rating"), null=True, blank=True,
                                    help_text=_("Average mutual rating × 100."))
    ratings_count = models.PositiveIntegerField(_("ratings"), default=0, help_text=_("How many ratings."))
    points = models.JSONField(_("points"), default=dict, help_text=_("Points per component, bp."))
    amounts = models.JSONField(_("amounts"), default=dict, help_text=_("Amount per component, CNY fen."))
    overdue_items = models.PositiveIntegerField(_("items past due"), default=0,
                                                help_text=_("Items past the deduction limit at the month's end."))
    overdue_minor = models.BigIntegerField(_("amount past due"), default=0, help_text=_("Their open amount, CNY fen."))
    deduction_minor = models.BigIntegerField(_("deduction"), default=0, help_text=_("Deducted, CNY fen."))
    gross_minor = models.BigIntegerField(_("before deductions"), default=0,
                                         help_text=_("The components' amounts added up, CNY fen."))
    total_minor = models.BigIntegerField(_("payout"), default=0,
                                         help_text=_("Before deductions less the deduction, at least 0, CNY fen."))

    class Meta:
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        ordering = ["role", "-total_minor", "user_id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "user"], name="incentive_line_once")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.user_id} {self.total_minor}"
