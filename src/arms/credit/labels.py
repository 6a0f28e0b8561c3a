"""Translated names of the scorecard's factors, groups and overrides, for pages and exports."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from arms.customers.enums import Industry
from arms.domain.money import BASE_CURRENCY, format_money
from arms.web.templatetags.arms_web import bp_percent

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

ANY_BAND = _("any value")


def value_label(key: str, value) -> str:
    """A scorecard input or band value as people read it: yes / no for a flag, an industry by its name; numbers
    and bureau ratings (AAA ...) as they are."""
    if value is None or value == "":
        return "—"
    text = str(value).strip()
    if isinstance(value, bool) or text.lower() in ("true", "false"):
        return str(_("yes") if value is True or text.lower() == "true" else _("no"))
    if key == "industry" and text in Industry.values:
        return str(Industry(text).label)
    return text


def band_label(key: str, text: str) -> str:
    """A band as the scorecard describes it ("manufacturing, electronics", "true", "< 0.40", "any") in words."""
    if not text:
        return "—"
    if text == "any":
        return str(ANY_BAND)
    if text.startswith(("<", ">=")) or " – " in text:
        return text
    return ", ".join(value_label(key, part) for part in text.split(", "))


#: the facts a rating was computed from (``Rating.facts``), by group, as people name them; amounts in fen
FACT_GROUPS = {"external": _("External facts"), "financial_statement": _("Financial statement"),
               "trade_history": _("Trade history in ARMS")}
FACT_LABELS = {
    "bureau_rating": _("Credit bureau rating"), "bureau_name": _("Bureau"), "lawsuits_count": _("Lawsuits"),
    "dishonest_debtor": _("Dishonest judgment debtor (失信被执行人)"),
    "business_abnormal": _("Business abnormal (经营异常)"), "checked_on": _("Checked on"),
    "fiscal_year": _("Fiscal year"), "audited": _("Audited"), "source": _("Source"),
    "total_assets_minor": _("Total assets"), "total_liabilities_minor": _("Total liabilities"),
    "current_assets_minor": _("Current assets"), "current_liabilities_minor": _("Current liabilities"),
    "revenue_minor": _("Revenue"), "net_profit_minor": _("Net profit"),
    "operating_cash_flow_minor": _("Operating cash flow"),
    "first_invoice_on": _("First invoice"), "tenure_days": _("Days as a customer"),
    "volume_12m_minor": _("Invoiced in the last 12 months"), "invoices_due_12m": _("Invoices due in 12 months"),
    "amount_due_12m_minor": _("Amount due in 12 months"), "amount_on_time_12m_minor": _("Of it paid on time"),
    "avg_days_late": _("Average days late"), "max_days_late": _("Maximum days late"),
    "avg_monthly_sales_minor": _("Average monthly sales"), "on_time_share_bp": _("Share paid on time"),
    "dispute_count": _("Disputes (12 months)"), "broken_promises": _("Broken promises (12 months)"),
}
#: facts that are bookkeeping, not evidence: the customer's id, and ``extra`` (its parts are listed on their own)
FACTS_LEFT_OUT = {"customer_id", "extra"}


def fact_rows(facts: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """``Rating.facts`` as (group, [(fact, value)]) for a page: labelled, amounts as CNY, flags as yes / no."""
    groups = []
    for group, values in (facts or {}).items():
        if not isinstance(values, dict):
            continue
        rows = [(str(FACT_LABELS.get(name, name)), _fact_value(name, value))
                for name, value in values.items() if name not in FACTS_LEFT_OUT]
        groups.append((str(FACT_GROUPS.get(group, group)), rows))
    return groups


def _fact_value(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if name.endswith("_minor") and isinstance(value, int):
        return format_money(value, BASE_CURRENCY)
    if name.endswith("_bp") and isinstance(value, int):
        return bp_percent(value)
    return value_label(name, value)
