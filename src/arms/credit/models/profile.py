from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.credit.enums import BureauRating, Grade


class CreditProfile(models.Model):
    """客户信用档案: one per customer; what credit control acts on and the facts the scorecard reads."""

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="credit_profile",
        help_text=_("The customer this credit file is about."),
    )
    # -- the decision in force ------------------------------------------------------------------------
    grade = models.CharField(
        _("grade"), max_length=1, choices=Grade.choices, blank=True, default="",
        help_text=_("Credit grade A-D; blank until the customer is first rated and the proposal accepted."),
    )
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True,
        help_text=_("Scorecard total 0-100 of the accepted rating; empty if unrated."),
    )
    limit_minor = models.BigIntegerField(
        _("credit limit"), null=True, blank=True,
        help_text=_("Credit limit in minor units of the limit currency; empty = no limit set "
                    "(not under credit control)."),
    )
    currency = models.CharField(
        _("limit currency"), max_length=3, default="CNY", help_text=_("Currency of the credit limit.")
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30, help_text=_("Payment terms granted by credit control, in days.")
    )
    deposit_pct = models.DecimalField(
        _("deposit %"), max_digits=5, decimal_places=2, default=Decimal("0"),
        help_text=_("Share of an order to be paid as deposit before delivery, 0-100."),
    )
    guarantee_required = models.BooleanField(
        _("guarantee required"), default=False, help_text=_("A guarantee (担保) is required before credit is given.")
    )
    discount_pct = models.DecimalField(
        _("early-payment discount %"), max_digits=5, decimal_places=2, default=Decimal("0"),
        help_text=_("Cash discount offered for early payment, 0-100."),
    )
    discount_days = models.PositiveSmallIntegerField(
        _("discount days"), default=0, help_text=_("Days within which the early-payment discount applies.")
    )
    prepayment_only = models.BooleanField(
        _("prepayment only"), default=False, help_text=_("Sell only against payment in advance (grade D).")
    )
    rated_at = models.DateTimeField(
        _("rated at"), null=True, blank=True, help_text=_("When the grade in force was accepted.")
    )
    next_review_on = models.DateField(
        _("next review on"), null=True, blank=True, db_index=True,
        help_text=_("When the customer is due for re-rating."),
    )
    overdue_block_days = models.PositiveSmallIntegerField(
        _("overdue block days"), default=90,
        help_text=_("An item overdue this many days or more blocks new documents (credit check)."),
    )
    overdue_block_min_minor = models.BigIntegerField(
        _("overdue block minimum"), default=100_00,
        help_text=_("Overdue items below this amount (minor units) do not block: a small-amount threshold."),
    )
    current_rating = models.ForeignKey(
        "credit.Rating", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The rating whose proposal is in force."),
    )
    # -- registration facts (工商登记) ----------------------------------------------------------------
    established_on = models.DateField(
        _("established on"), null=True, blank=True, help_text=_("Date of establishment (成立日期).")
    )
    registered_capital_minor = models.BigIntegerField(
        _("registered capital"), null=True, blank=True, help_text=_("Registered capital (注册资本), CNY fen.")
    )
    legal_representative = models.CharField(
        _("legal representative"), max_length=100, blank=True, help_text=_("法定代表人.")
    )
    business_scope = models.TextField(_("business scope"), max_length=MAX_NOTE, blank=True,
                                      help_text=_("经营范围, as registered."))
    # -- external facts (entered or imported) --------------------------------------------------------
    bureau_rating = models.CharField(
        _("bureau rating"), max_length=3, choices=BureauRating.choices, blank=True,
        help_text=_("Rating of an external credit bureau; blank if unknown."),
    )
    bureau_name = models.CharField(_("bureau"), max_length=100, blank=True, help_text=_("Who gave the bureau rating."))
    lawsuits_count = models.PositiveSmallIntegerField(
        _("lawsuits"), null=True, blank=True, help_text=_("Open lawsuits against the customer; empty if unknown.")
    )
    dishonest_debtor = models.BooleanField(
        _("dishonest judgment debtor"), null=True, blank=True,
        help_text=_("Listed as 失信被执行人; empty if not checked. Forces grade D."),
    )
    business_abnormal = models.BooleanField(
        _("business abnormal"), null=True, blank=True,
        help_text=_("Listed in the 经营异常名录; empty if not checked. Caps the grade at C."),
    )
    guarantees_held_minor = models.BigIntegerField(
        _("guarantees held"), default=0,
        help_text=_("Guarantees in force in the guarantees register, CNY fen (derived from the register)."),
    )
    guarantees_note = models.CharField(
        _("guarantees"), max_length=300, blank=True, help_text=_("What the guarantees are (保函, 抵押, 担保人).")
    )
    external_checked_on = models.DateField(
        _("external facts checked on"), null=True, blank=True, help_text=_("When the external facts were last checked.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When the file last changed."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who last changed the file."),
    )

    class Meta:
        verbose_name = _("credit profile")
        verbose_name_plural = _("credit profiles")
        permissions = [("rate_customer", "Can rate customers")]
        constraints = [
            text_length_constraint("business_scope", MAX_NOTE, name="credit_profile_business_scope_length"),
            models.CheckConstraint(
                condition=Q(grade__in=["", "A", "B", "C", "D"]), name="credit_profile_grade_valid"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="credit_profile_score_0_100"
            ),
            models.CheckConstraint(
                condition=Q(limit_minor__isnull=True) | Q(limit_minor__gte=0), name="credit_profile_limit_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(deposit_pct__gte=0, deposit_pct__lte=100), name="credit_profile_deposit_0_100"
            ),
            models.CheckConstraint(
                condition=Q(discount_pct__gte=0, discount_pct__lte=100), name="credit_profile_discount_0_100"
            ),
            models.CheckConstraint(
                condition=Q(overdue_block_min_minor__gte=0), name="credit_profile_block_min_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(guarantees_held_minor__gte=0), name="credit_profile_guarantees_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} [{self.grade or '-'}]"


class FinancialStatement(models.Model):
    """One fiscal year's key figures of the customer (from its 财务报表), in CNY fen."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="financial_statements",
        help_text=_("Whose figures these are."),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), help_text=_("The year the figures cover."))
    total_assets_minor = models.BigIntegerField(_("total assets"), null=True, blank=True, help_text=_("资产总计, fen."))
    total_liabilities_minor = models.BigIntegerField(
        _("total liabilities"), null=True, blank=True, help_text=_("负债合计, fen.")
    )
    current_assets_minor = models.BigIntegerField(
        _("current assets"), null=True, blank=True, help_text=_("流动资产合计, fen.")
    )
    current_liabilities_minor = models.BigIntegerField(
        _("current liabilities"), null=True, blank=True, help_text=_("流动负债合计, fen.")
    )
    revenue_minor = models.BigIntegerField(_("revenue"), null=True, blank=True, help_text=_("营业收入, fen."))
    net_profit_minor = models.BigIntegerField(_("net profit"), null=True, blank=True, help_text=_("净利润, fen."))
    operating_cash_flow_minor = models.BigIntegerField(
        _("operating cash flow"), null=True, blank=True, help_text=_("经营活动产生的现金流量净额, fen.")
    )
    audited = models.BooleanField(_("audited"), default=False, help_text=_("The figures come from audited accounts."))
    source = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("Where the figures come from (审计报告, 企业提供, 导入).")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True, help_text=_("When the figures were saved."))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who entered them."),
    )

    class Meta:
        verbose_name = _("financial statement")
        verbose_name_plural = _("financial statements")
        ordering = ["customer", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "fiscal_year"], name="financial_statement_one_per_year"),
            models.CheckConstraint(
                condition=(Q(total_assets_minor__isnull=True) | Q(total_assets_minor__gte=0))
                & (Q(total_liabilities_minor__isnull=True) | Q(total_liabilities_minor__gte=0))
                & (Q(current_assets_minor__isnull=True) | Q(current_assets_minor__gte=0))
                & (Q(current_liabilities_minor__isnull=True) | Q(current_liabilities_minor__gte=0))
                & (Q(revenue_minor__isnull=True) | Q(revenue_minor__gte=0)),
                name="financial_statement_balances_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} FY{self.fiscal_year}"
