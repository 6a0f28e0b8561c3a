"""Template helpers of the analytics pages: KPI values with their unit (basis points: ``bp_percent`` in arms_web)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from arms.domain import kpi as formulas
from arms.domain.money import BASE_CURRENCY, format_amount

register = template.Library()


def value_text(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "amount":
        return f"¥{format_amount(int(value), BASE_CURRENCY)}"
    if unit == "percent":
        return f"{value}%"
    if unit == "days":
        return _("%(value)s days") % {"value": value}
    if unit == "times":
        return f"{value}×"
    return str(value)


@register.filter
def kpi_display(kpi) -> str:
    return value_text(kpi.value, kpi.unit)


@register.filter
def bad_debt_target(kpi) -> str:
    """The seeds' target band beside the bad-debt ratio: "target 1%–3%: within target" / "above target"."""
    band = formulas.bad_debt_band(kpi.value)
    if band is None:
        return ""
    verdict = _("within target") if band == "within" else _("above target")
    return _("Target %(low)s%%–%(high)s%%: %(verdict)s") % {
        "low": formulas.BAD_DEBT_TARGET_LOW, "high": formulas.BAD_DEBT_TARGET_HIGH, "verdict": verdict}


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def trend_cell(row: dict, code: str, units: dict) -> str:
    return value_text(row.get(code), units.get(code, ""))

