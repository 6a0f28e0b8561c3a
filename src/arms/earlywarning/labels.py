"""How a warning is written for people: the scope of its indicator, its subject, the figures behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.accounts.roles import ROLE_LABELS, Role
from arms.credit.enums import Grade
from arms.customers.enums import Industry, Region
from arms.domain.earlywarning import Unit, format_value
from arms.domain.money import BASE_CURRENCY, format_money
from arms.earlywarning.enums import Metric, ScopeKind

if TYPE_CHECKING:
    from arms.customers.models import Customer
    from arms.earlywarning.models import Indicator


def role_label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except (KeyError, ValueError):
        return role


def scope_label(indicator: Indicator) -> str:
    """"The whole company", "A salesperson's customers: 陈磊", "One customer: 华东机电" ..."""
    kind = ScopeKind(indicator.scope)
    if kind == ScopeKind.COMPANY:
        return str(kind.label)
    if kind in (ScopeKind.COLLECTOR, ScopeKind.SALESPERSON):
        target = person_name(indicator.scope_user) if indicator.scope_user_id else ""
    elif kind == ScopeKind.CUSTOMER:
        target = indicator.scope_customer.name if indicator.scope_customer is not None else ""
    else:
        choices = {ScopeKind.GRADE: Grade, ScopeKind.REGION: Region, ScopeKind.INDUSTRY: Industry}[kind]
        target = str(dict(choices.choices).get(indicator.scope_value, indicator.scope_value))
    return _("%(kind)s: %(target)s") % {"kind": kind.label, "target": target}


def subject_label(indicator: Indicator, customer_id: int | None, customer: Customer | None) -> str:
    """The customer a warning is about, or the indicator's scope for a reading of the whole scope."""
    if customer_id is None:
        return scope_label(indicator)
    return customer.name if customer is not None else str(customer_id)


def _value(unit: str, value: Any) -> str:
    if value is None:
        return "—"
    if unit == Unit.DAYS:
        return _("%(n)s days") % {"n": value}
    return format_value(unit, int(value))


def _money(minor: Any, currency: str = BASE_CURRENCY) -> str:
    return format_money(int(minor or 0), currency)


def _details(metric: str, inputs: dict[str, Any]) -> str:
    get = inputs.get
    if metric in (Metric.OLDEST_OVERDUE_DAYS, Metric.OVERDUE_AMOUNT):
        return _("overdue %(amount)s in %(items)s items, the oldest due on %(day)s") % {
            "amount": _money(get("overdue_minor")), "items": get("items"), "day": get("oldest_due_date")}
    if metric == Metric.OVERDUE_RATIO:
        return _("overdue %(overdue)s of receivables %(total)s") % {
            "overdue": _money(get("overdue_minor")), "total": _money(get("receivables_minor"))}
    if metric == Metric.BAD_DEBT_RATIO:
        return _("written off %(written)s, recovered %(recovered)s, credit sales %(sales)s from %(start)s") % {
            "written": _money(get("written_off_minor")), "recovered": _money(get("recovered_minor")),
            "sales": _money(get("credit_sales_minor")), "start": get("start")}
    if metric == Metric.DSO_RISE:
        return _("DSO %(now)s days against %(before)s days on %(day)s") % {
            "now": get("dso_now"), "before": get("dso_before"), "day": get("before_on")}
    if metric == Metric.DAYS_LATE_RISING:
        return _("on average %(now)s days late against %(before)s days in the %(window)s days before") % {
            "now": get("average_days_late"), "before": get("average_days_late_before"), "window": get("window_days")}
    if metric == Metric.VOLUME_DROP:
        return _("invoiced %(recent)s in %(window)s days against %(expected)s at its trailing year's pace") % {
            "recent": _money(get("invoiced_minor")), "window": get("window_days"),
            "expected": _money(get("expected_minor"))}
    if metric == Metric.CREDIT_UTILISATION:
        currency = str(get("currency") or BASE_CURRENCY)
        return _("exposure %(used)s of a limit of %(limit)s") % {
            "used": _money(get("exposure_minor"), currency), "limit": _money(get("limit_minor"), currency)}
    if metric == Metric.BROKEN_PROMISES:
        return _("%(n)s promises broken since %(day)s") % {"n": get("broken"), "day": get("since")}
    if metric in (Metric.CONCENTRATION_LARGEST, Metric.CONCENTRATION_TOP10):
        return _("%(count)s largest customers owe %(part)s of %(total)s") % {
            "count": get("customers"), "part": _money(get("largest_minor")), "total": _money(get("receivables_minor"))}
    if metric == Metric.EXTERNAL_FACTS:
        facts = []
        if get("dishonest_debtor"):
            facts.append(_("listed as a dishonest judgment debtor (失信被执行人)"))
        if get("business_abnormal"):
            facts.append(_("in the list of abnormal operations (经营异常)"))
        if get("lawsuits"):
            facts.append(_("%(n)s open lawsuits") % {"n": get("lawsuits")})
        return _("; ").join(facts)
    if metric == Metric.CONFIRMATIONS_UNANSWERED:
        return _("%(n)s confirmations sent on or before %(day)s not answered") % {
            "n": get("unanswered"), "day": get("sent_before")}
    return ""


def figures_text(metric: str, figures: dict[str, Any]) -> str:
    """The figures behind a warning in a sentence: the value against the threshold, then the inputs."""
    unit = str(figures.get("unit", ""))
    head = _("%(value)s against a threshold of %(threshold)s") % {
        "value": _value(unit, figures.get("value")), "threshold": _value(unit, figures.get("threshold"))}
    details = _details(metric, figures.get("inputs") or {})
    return _("%(head)s; %(details)s") % {"head": head, "details": details} if details else head
