"""Template helpers of the web UI: amounts, days overdue, role labels, statement texts."""

from __future__ import annotations

from datetime import date

from django import template

from arms.accounts.roles import ROLE_LABELS, Role, user_roles
from arms.domain.money import format_amount
from arms.domain.terms import days_overdue as domain_days_overdue
from arms.ledger.enums import EntryKind, PaymentMethod

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
    try:
        return str(EntryKind(kind).label)
    except ValueError:
        return kind


@register.filter
def statement_text(text: str) -> str:
    """Statement descriptions fall back to the payment method's code; show its label instead."""
    if text in PaymentMethod.values:
        return str(PaymentMethod(text).label)
    return text


@register.filter
def person(user) -> str:
    """A user as colleagues know them: the full name, else the username; a dash for nobody."""
    if user is None:
        return "—"
    first, last = user.first_name.strip(), user.last_name.strip()
    if _is_cjk(first + last):
        return last + first  # Chinese names read family name first, without a space: 王明
    return user.get_full_name() or user.get_username()


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@register.filter
def job_kind(job) -> str:
    """A background job's kind as people name it ("Monthly management report")."""
    from arms.common.jobs import kind_label

    return kind_label(job.kind)


@register.filter
def job_message(job) -> str:
    """What a background job is doing now, in the viewer's language."""
    from arms.common.jobs import job_message_text

    return job_message_text(job)


@register.filter
def job_error(job) -> str:
    from arms.common.jobs import job_error_text

    return job_error_text(job)


@register.filter
def job_result_label(job) -> str:
    from arms.common.jobs import job_result_label_text

    return job_result_label_text(job)


@register.inclusion_tag("web/includes/queue_warning.html")
def queue_warning(waiting) -> dict:
    """``{% queue_warning waiting %}``: when ``waiting`` (work is queued) and no queue consumer has been seen
    lately, a warning that says so and what to run; nothing otherwise (and no query when nothing waits)."""
    if not waiting:
        return {"show": False}
    from arms.common.queue import STALE_AFTER, queue_health

    health = queue_health()
    return {"show": not health.consumer_running, "health": health,
            "stale_minutes": int(STALE_AFTER.total_seconds() // 60)}
