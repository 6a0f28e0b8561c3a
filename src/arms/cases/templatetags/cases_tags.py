"""Template helpers of the collections pages: outcome and source codes as people read them."""

from __future__ import annotations

from django import template

from arms.cases import enums

register = template.Library()


@register.filter
def outcome_label(code: str) -> str:
    """``{{ activity.outcome|outcome_label }}``: "reached" -> "已联系上", "issued" -> "已出具函件"."""
    return enums.outcome_label(code)


@register.filter
def source_label(code: str) -> str:
    """``{{ task.source|source_label }}``: "dunning" -> "催收"."""
    return enums.source_label(code)
