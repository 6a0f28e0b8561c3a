"""Template filters of the bank pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from arms.bank.parsers import BY_KEY

register = template.Library()


@register.filter
def statement_format(code: str) -> str:
    """camt.053 -> CAMT.053, mt940 -> MT940, cn:icbc -> 中国工商银行 (the layout's name), cn:own -> own layout."""
    code = code or ""
    if code.startswith("cn:"):
        key = code[3:]
        if key in BY_KEY:
            return BY_KEY[key].name
        return _("Own column layout")
    return code.upper()


@register.filter
def layout_name(key: str) -> str:
    return BY_KEY[key].name if key in BY_KEY else (_("Recognised from the header") if not key else key)
