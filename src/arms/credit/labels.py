"""Translated names of the scorecard's factors, groups and overrides, for pages and exports."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

FACTOR_LABELS = {
    "debt_ratio": _("Debt ratio (liabilities / assets)"),
    "current_ratio": _("Current ratio"),
    "revenue_cny": _("Annual revenue (CNY)"),
    "net_margin": _("Net margin"),
    "operating_cash_flow_positive": _("Operating cash flow positive"),
    "avg_days_late": _("Average days late"),
    "on_time_share": _("Share paid on time"),
    "max_days_late": _("Maximum days late"),
    "broken_promises": _("Broken promises (12 months)"),
    "dispute_count": _("Disputes (12 months)"),
    "tenure_years": _("Years as a customer"),
    "volume_12m_cny": _("Sales in the last 12 months (CNY)"),
    "industry": _("Industry risk"),
    "bureau_rating": _("Credit bureau rating"),
    "lawsuits_count": _("Lawsuits"),
    "business_abnormal": _("Business abnormal (经营异常)"),
    "dishonest_debtor": _("Dishonest judgment debtor (失信被执行人)"),
}

GROUP_LABELS = {
    "financial": _("Financial strength"),
    "payment": _("Payment behaviour"),
    "relationship": _("Relationship"),
    "industry": _("Industry risk"),
    "external": _("External flags"),
}

OVERRIDE_LABELS = {
    "dishonest_debtor": _("失信被执行人: grade D"),
    "business_abnormal": _("经营异常: at most grade C"),
}


def factor_label(key: str) -> str:
    return str(FACTOR_LABELS.get(key, key))


def group_label(key: str) -> str:
    return str(GROUP_LABELS.get(key, key))


def override_label(code: str) -> str:
    return str(OVERRIDE_LABELS.get(code, code))

#: the main navigation's link to /credit/ (in web/base.html), kept in this app's catalogue; with a context,
#: because the ledger's "Credit" is the other side of a journal entry (贷方)
NAV_LABEL = pgettext_lazy("navigation", "Credit")

LIMIT_RULE_LABELS = {
    "formula": _("by the formula"),
    "floor": _("raised to the floor"),
    "cap": _("cut to the cap"),
    "fixed": _("fixed amount"),
    "prepayment_only": _("prepayment only"),
}
