"""Template filters of early warning: a warning's figures and subject, an indicator's scope and threshold."""

from __future__ import annotations

from typing import Any

from django import template

from arms.domain.earlywarning import METRICS, format_value
from arms.earlywarning.labels import figures_text, role_label, scope_label, subject_label

register = template.Library()


@register.filter
def warning_figures(warning: Any) -> str:
    return figures_text(warning.indicator.metric, warning.figures)


@register.filter
def warning_subject(warning: Any) -> str:
    return subject_label(warning.indicator, warning.customer_id, warning.customer)


@register.filter
def indicator_scope(indicator: Any) -> str:
    return scope_label(indicator)


@register.filter
def indicator_threshold(indicator: Any) -> str:
    return format_value(METRICS[indicator.metric].unit, indicator.threshold)


@register.filter
def role(value: str) -> str:
    return role_label(value)
