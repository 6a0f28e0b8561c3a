"""Template helpers of the web UI: amounts, days overdue, role labels, statement texts."""

from __future__ import annotations

from datetime import date

from django import template

from arms.accounts.names import person_name
from arms.accounts.roles import ROLE_LABELS, Role, user_roles
from arms.domain.money import format_amount
from arms.domain.terms import days_overdue as domain_days_overdue
from arms.ledger import enums

register = template.Library()
_ROLE_VALUES = {role.value for role in Role}


@register.filter
def money(minor, currency: str = "CNY") -> str:
    """``{{ invoice.amount_open_minor|money:invoice.currency }}`` -> "1,234.56"; empty shows a dash."""
    if minor is None or minor == "":
        return "—"
    return format_amount(int(minor), currency or "CNY")


@register.filter
def days_overdue(due: date | None, today: date) -> int:
    """Calendar days past ``due`` on ``today``; 0 while not yet due."""
    if due is None or today is None:
        return 0
    return max(domain_days_overdue(due, today), 0)


@register.filter
def role_labels(user) -> str:
    """The user's roles as people name them, e.g. "财务专员"."""
    if not getattr(user, "is_authenticated", False):
        return ""
    names = [str(ROLE_LABELS[Role(name)]) for name in sorted(user_roles(user)) if name in _ROLE_VALUES]
    if user.is_superuser and str(ROLE_LABELS[Role.ADMIN]) not in names:
        names.insert(0, str(ROLE_LABELS[Role.ADMIN]))
    return "、".join(names)


@register.filter
def entry_kind_label(kind: str) -> str:
    """A statement line's kind ("invoice", "payment" ...) as its translated label."""
    return enums.entry_kind_label(kind)


@register.filter
def statement_text(text: str) -> str:
    """Statement descriptions fall back to the payment method's code; show its label instead."""
    return enums.statement_description(text)


@register.filter
def person(user) -> str:
    """A user as colleagues know them (``person_name``: 王明, Anna Smith, else the username); a dash for nobody."""
    return person_name(user) or "—"
