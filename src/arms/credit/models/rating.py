from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.credit.enums import Grade, ProposalStatus, RatingTrigger


class Rating(models.Model):
    """One run of the scorecard for one customer: immutable, explainable, recomputable from what it stores."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="credit_ratings",
        help_text=_("Who was rated."),
    )
    scorecard = models.ForeignKey(
        "credit.ScorecardVersion", on_delete=models.PROTECT, related_name="ratings",
        help_text=_("The scorecard version used."),
    )
    as_of = models.DateField(_("as of"), help_text=_("The date the inputs describe."))
    trigger = models.CharField(
        _("trigger"), max_length=20, choices=RatingTrigger.choices, default=RatingTrigger.ON_DEMAND,
        help_text=_("Why the rating ran: scheduled review, on demand, new facts."),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True, help_text=_("Free text: why re-rated."))
    inputs = models.JSONField(_("inputs"), help_text=_("Every factor input as evaluated (numbers as strings)."))
    facts = models.JSONField(
        _("facts"), default=dict, help_text=_("The trade history and financial figures the inputs came from.")
    )
    missing = models.JSONField(_("missing inputs"), default=list, help_text=_("Factors that had no input."))
    contributions = models.JSONField(
        _("contributions"), help_text=_("Per factor: group, input, band, points, weight, contribution.")
    )
    overrides = models.JSONField(_("overrides"), default=list, help_text=_("Hard overrides that matched."))
    score = models.PositiveSmallIntegerField(_("score"), help_text=_("Total 0-100."))
    computed_grade = models.CharField(
        _("grade by score"), max_length=1, choices=Grade.choices, help_text=_("The grade the score alone gives.")
    )
    grade = models.CharField(
        _("grade"), max_length=1, choices=Grade.choices, help_text=_("The grade after hard overrides.")
    )
    previous_grade = models.CharField(
        _("previous grade"), max_length=1, blank=True, help_text=_("The grade in force before this rating.")
    )
    rated_at = models.DateTimeField(_("rated at"), auto_now_add=True, help_text=_("When it ran."))
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who ran it; empty for the scheduled review."),
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-rated_at", "-id"]
        indexes = [models.Index(fields=["customer", "-rated_at"], name="rating_customer_latest")]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="rating_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.as_of} {self.grade} ({self.score})"

    @property
    def is_downgrade(self) -> bool:
        return bool(self.previous_grade) and self.grade > self.previous_grade


class RatingProposal(models.Model):
    """What a rating proposes (grade, limit, terms from the grade's policy) until a credit manager decides."""

    rating = models.OneToOneField(
        Rating, on_delete=models.CASCADE, related_name="proposal", help_text=_("The rating that proposes this.")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="credit_proposals",
        help_text=_("Whose terms are proposed."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING,
        help_text=_("Pending until accepted or rejected; a newer rating supersedes it."),
    )
    grade = models.CharField(_("proposed grade"), max_length=1, choices=Grade.choices, help_text=_("The new grade."))
    limit_minor = models.BigIntegerField(_("proposed limit"), help_text=_("Limit in minor units of currency."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the limit."))
    payment_terms_days = models.PositiveSmallIntegerField(_("proposed terms (days)"), help_text=_("Payment terms."))
    deposit_pct = models.DecimalField(
        _("proposed deposit %"), max_digits=5, decimal_places=2, help_text=_("Deposit required, 0-100.")
    )
    guarantee_required = models.BooleanField(_("guarantee required"), default=False, help_text=_("Guarantee needed."))
    discount_pct = models.DecimalField(
        _("early-payment discount %"), max_digits=5, decimal_places=2, help_text=_("Cash discount, 0-100.")
    )
    discount_days = models.PositiveSmallIntegerField(_("discount days"), help_text=_("Days for the discount."))
    prepayment_only = models.BooleanField(_("prepayment only"), default=False, help_text=_("Prepayment only."))
    basis = models.JSONField(
        _("basis"), default=dict, help_text=_("How the limit was derived: policy, revenue, average monthly sales.")
    )
    previous = models.JSONField(
        _("terms before"), default=dict, help_text=_("The profile's grade, limit and terms when this was proposed.")
    )
    accepted = models.JSONField(
        _("accepted terms"), default=dict, blank=True,
        help_text=_("What the credit manager accepted (may differ from the proposal)."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, help_text=_("When decided."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who decided."),
    )
    decision_reason = models.CharField(
        _("decision reason"), max_length=500, blank=True, help_text=_("Why accepted with changes, or rejected.")
    )

    class Meta:
        verbose_name = _("rating proposal")
        verbose_name_plural = _("rating proposals")
        ordering = ["-id"]
        permissions = [("decide_ratingproposal", "Can accept or reject rating proposals")]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(status="pending"), name="rating_proposal_one_pending_per_customer"
            ),
            models.CheckConstraint(condition=Q(limit_minor__gte=0), name="rating_proposal_limit_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} -> {self.grade} ({self.status})"
