"""``{% load limitation_clock %}``: the limitation date on pages of apps below limitation (the invoice page, the
collection case page), which may not import it: a template tag registered from here.

    {% invoice_limitation invoice %}     the invoice's clock: expiry, status, link to its chain
    {% customer_limitation customer %}   the customer's earliest expiring open claim and how many are expiring
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Min, Q

from arms.limitation.enums import Status
from arms.limitation.models import LimitationClock
from arms.limitation.selectors import limitation_state

register = template.Library()


@register.inclusion_tag("limitation/_invoice_clock.html", takes_context=True)
def invoice_limitation(context: Any, invoice: Any) -> dict[str, Any]:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not user.has_perm("limitation.view_limitationclock"):
        return {"state": None}
    return {"state": limitation_state(invoice), "invoice": invoice}


@register.inclusion_tag("limitation/_customer_clock.html", takes_context=True)
def customer_limitation(context: Any, customer: Any) -> dict[str, Any]:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not user.has_perm("limitation.view_limitationclock"):
        return {"summary": None}
    summary = LimitationClock.objects.filter(customer=customer).exclude(status=Status.STOPPED).aggregate(
        first=Min("expires_on"), expiring=Count("pk", filter=Q(status=Status.EXPIRING)),
        expired=Count("pk", filter=Q(status=Status.EXPIRED)))
    return {"summary": summary, "customer": customer}
