"""Template helpers of the analytics pages: KPI values with their unit (basis points: ``bp_percent`` in arms_web)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

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
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def trend_cell(row: dict, code: str, units: dict) -> str:
    return value_text(row.get(code), units.get(code, ""))

