"""Template helpers of the credit pages: grade badges, factor names, the score breakdown chart (inline SVG).
(The credit file shows the exposure gauge with the exposure app's own ``{% exposure_gauge %}``.)"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from arms.credit import labels
from arms.credit.enums import LimitKind

register = template.Library()

GRADE_CLASS = {"A": "grade-a", "B": "grade-b", "C": "grade-c", "D": "grade-d"}


@register.filter
def grade_badge(grade: str):
    if not grade:
        return format_html('<span class="grade grade-none" title="{}">–</span>', _("Not rated"))
    return format_html('<span class="grade {}" data-grade="{}">{}</span>', GRADE_CLASS.get(grade, ""), grade, grade)


@register.filter
def factor_label(key: str) -> str:
    return labels.factor_label(key)


@register.filter
def group_label(key: str) -> str:
    return labels.group_label(key)


@register.filter
def factor_value(value, key: str) -> str:
    """``{{ c.input|factor_value:c.key }}``: "true" -> "是", "manufacturing" -> "制造业"."""
    return labels.value_label(key, value)


@register.filter
def band_label(text: str, key: str) -> str:
    """``{{ band.describe|band_label:factor.key }}``: "public, healthcare, energy" in words."""
    return labels.band_label(key, text)


@register.filter
def fact_rows(facts) -> list:
    """``{% for group, rows in rating.facts|fact_rows %}``: the facts of a rating, labelled."""
    return labels.fact_rows(facts)


@register.filter
def override_label(code: str) -> str:
    return labels.override_label(code)


@register.filter
def limit_kind_label(kind: str) -> str:
    return str(LimitKind(kind).label) if kind in LimitKind.values else kind


@register.filter
def limit_rule_label(rule: str) -> str:
    return str(labels.LIMIT_RULE_LABELS.get(rule, rule))


@register.filter
def centi(value) -> str:
    """Hundredths of a point -> "12.34"."""
    return f"{int(value) / 100:.2f}"


BAR_WIDTH = 300
ROW = 20
LABEL = 230


@register.inclusion_tag("credit/includes/score_chart.html")
def score_chart(rating):
    """Each factor: a grey bar as long as its weight (the most it can give) and a filled bar for what it gave,
    grouped; missing inputs are hatched. Scaled so the heaviest factor spans the whole bar."""
    contributions = rating.contributions
    heaviest = max((c["weight"] for c in contributions), default=1) or 1
    groups: dict[str, list] = {}
    for c in contributions:
        groups.setdefault(c["group"], []).append(c)
    rows, y = [], 0
    for group, items in groups.items():
        total = sum(c["centi"] for c in items)
        possible = sum(c["weight"] * 100 for c in items)
        rows.append({"kind": "group", "y": y, "label": labels.group_label(group), "total": total, "possible": possible})
        y += ROW
        for c in items:
            rows.append({
                "kind": "factor", "y": y, "label": labels.factor_label(c["key"]), "key": c["key"],
                "full": round(BAR_WIDTH * c["weight"] / heaviest, 1),
                "filled": round(BAR_WIDTH * c["centi"] / (heaviest * 100), 1),
                "centi": c["centi"], "weight": c["weight"], "points": c["points"], "missing": c["missing"],
                "input": labels.value_label(c["key"], c["input"]),
                "band_text": labels.band_label(c["key"], c["band_text"]),
            })
            y += ROW
    return {"rows": rows, "height": y + 4, "width": LABEL + BAR_WIDTH + 110, "label_width": LABEL,
            "bar_x": LABEL, "value_x": LABEL + BAR_WIDTH + 8, "rating": rating}
