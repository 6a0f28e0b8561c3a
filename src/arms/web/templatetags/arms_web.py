"""Template helpers of the web UI: amounts, basis points as percent, days overdue, role labels, statement texts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.accounts.roles import ROLE_LABELS, Role, user_roles
from arms.common.jobs import job_error_text, job_message_text, job_result_label_text, kind_label
from arms.common.queue import STALE_AFTER, queue_health
from arms.domain.money import format_amount
from arms.domain.terms import days_overdue as domain_days_overdue
from arms.ledger import enums
from arms.ledger.discount_offer import discount_offer as ledger_discount_offer
from arms.web.paging import PAGE_SIZES

register = template.Library()
_ROLE_VALUES = {role.value for role in Role}


@register.filter
def money(minor, currency: str = "CNY") -> str:
    """``{{ invoice.amount_open_minor|money:invoice.currency }}`` -> "1,234.56"; empty shows a dash."""
    if minor is None or minor == "":
        return "—"
    return format_amount(int(minor), currency or "CNY")


@register.filter
def discount_offer(invoice, today: date | None = None) -> str:
    """The invoice's early-payment discount while its window is open on ``today`` ("" otherwise): statements,
    letters, the portal list."""
    offer = ledger_discount_offer(invoice, today=today or timezone.localdate())
    return offer.text if offer else ""


@register.filter
def discount_terms(invoice, today: date | None = None) -> str:
    """The invoice's early-payment discount whether or not its window is still open ("" without one): the
    invoice itself."""
    offer = ledger_discount_offer(invoice, today=today or timezone.localdate(), always=True)
    return offer.text if offer else ""


@register.filter
def bp_percent(bp) -> str:
    """Basis points as a percent with two decimals, exactly: 1250 -> "12.50%", 3333 -> "33.33%", 0 -> "0.00%";
    empty shows a dash. The one way every page (and the credit file's facts) shows a ``*_bp`` value."""
    if bp is None or bp == "":
        return "—"
    return f"{Decimal(int(bp)) / 100:.2f}%"


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


@register.filter
def actor(user) -> str:
    """Who did something: the person, or ARMS itself when no person did (a dunning run's hold, a scheduled task)."""
    return str(_("ARMS (automatic)")) if user is None else person(user)


def _list_url(request, **changes) -> str:
    """This list's address with ``changes`` (None removes a key); never an export link."""
    query = request.GET.copy()
    query.pop("export", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return request.path + (f"?{encoded}" if encoded else "")


@register.inclusion_tag("web/includes/pagination.html", takes_context=True)
def pager(context, page):
    """``{% pager page %}``: the row count, previous/next links and the page-size choice, keeping the filters."""
    request = context["request"]
    param = getattr(page, "param", "page")
    size = page.paginator.per_page
    return {
        "page": page,
        "previous_url": _list_url(request, **{param: page.previous_page_number()}) if page.has_previous() else "",
        "next_url": _list_url(request, **{param: page.next_page_number()}) if page.has_next() else "",
        "sizes": [(n, _list_url(request, per_page=n, **{param: None}), n == size) for n in PAGE_SIZES]
        if page.paginator.count > PAGE_SIZES[0] else [],
    }


@register.inclusion_tag("web/includes/export_links.html", takes_context=True)
def export_links(context, path: str = ""):
    """``{% export_links %}``: Excel and CSV downloads of the list as filtered now, every row (not only this page)."""
    request = context["request"]
    query = request.GET.copy()
    for key in list(query):
        if key == "page" or key.endswith("_page") or key in ("export", "per_page"):
            query.pop(key)
    base = (path or request.path) + "?" + (query.urlencode() + "&" if query else "")
    return {"xlsx_url": base + "export=xlsx", "csv_url": base + "export=csv"}

@register.filter
def job_kind(job) -> str:
    """A background job's kind as people name it ("Monthly management report")."""
    return kind_label(job.kind)


@register.filter
def job_message(job) -> str:
    """What a background job is doing now, in the viewer's language."""
    return job_message_text(job)


@register.filter
def job_error(job) -> str:
    return job_error_text(job)


@register.filter
def job_result_label(job) -> str:
    return job_result_label_text(job)


@register.inclusion_tag("web/includes/queue_warning.html", takes_context=True)
def queue_warning(context, waiting) -> dict:
    """``{% queue_warning waiting %}``: when ``waiting`` (work is queued) and no queue consumer has been seen
    lately, a warning that says so and what to do (the command for an administrator, whom to tell for anyone
    else); nothing otherwise (and no query when nothing waits)."""
    if not waiting:
        return {"show": False}

    health = queue_health()
    user = context.get("user")
    return {"show": not health.consumer_running, "health": health, "operator": bool(user and user.is_staff),
            "stale_minutes": int(STALE_AFTER.total_seconds() // 60)}


@register.simple_tag
def delivery_channel_label(channel: str) -> str:
    """How an invoice went out ("post" -> "Post (EMS, courier)"), translated."""
    return str(enums.DeliveryChannel(channel).label) if channel in enums.DeliveryChannel.values else channel


@register.simple_tag
def receipt_channel_label(channel: str) -> str:
    """How the customer confirmed receipt ("scan" -> "Signed receipt scan"), translated."""
    return str(enums.ReceiptChannel(channel).label) if channel in enums.ReceiptChannel.values else channel


@register.filter
def days_since(day: date | None, today: date) -> int | str:
    """Calendar days from ``day`` to ``today`` (an invoice's age since it was issued or delivered); a dash for none."""
    if day is None or today is None:
        return "—"
    return (today - day).days
