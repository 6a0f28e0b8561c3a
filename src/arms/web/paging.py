"""Pages of a list for the web UI: one paginator, a bounded choice of page size, and totals over the whole list.

``paginate(request, items)`` cuts a queryset (or a list) into pages of ``?per_page=`` rows (one of
``PAGE_SIZES``, else the default) and returns the page ``?page=`` asks for (the last one when it is past the end).
The ``{% pager page %}`` tag (``arms_web``) draws the links; they keep every filter of the address.
Totals of a list are never a sum over the page: ``currency_totals`` sums the whole filtered queryset in the
database, one row per currency.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Sum

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25


def page_size(request, *, default: int = DEFAULT_PAGE_SIZE) -> int:
    try:
        size = int(request.GET.get("per_page", ""))
    except ValueError:
        return default
    return size if size in PAGE_SIZES else default


def paginate(request, items, *, param: str = "page", default_size: int = DEFAULT_PAGE_SIZE) -> Page:
    """The page of ``items`` the address asks for; ``param`` names the page number when a screen has two lists."""
    page = Paginator(items, page_size(request, default=default_size)).get_page(request.GET.get(param))
    page.param = param  # type: ignore[attr-defined]  # read by the {% pager %} tag
    return page


def currency_totals(queryset: QuerySet, *fields: str) -> list[dict]:
    """``{"currency": ..., "count": n, field: sum, ...}`` per currency over the whole of ``queryset``."""
    sums = {name: Sum(name) for name in fields}
    rows = (queryset.order_by().values("currency").annotate(count=Count("pk"), **sums).order_by("currency"))
    return [{**row, **{name: row[name] or 0 for name in fields}} for row in rows]
