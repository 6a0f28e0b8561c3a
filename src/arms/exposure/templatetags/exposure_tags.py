"""``{% exposure_gauge customer %}``: exposure against the credit limit as a server-rendered SVG half-dial;
``{% exposure_panel customer %}``: the gauge with the customer's active holds and open override requests,
for the customer page. Both read through ``arms.exposure.selectors`` (a few aggregate queries)."""

from __future__ import annotations

import math

from django import template
from django.db.models import Q
from django.utils import timezone

from arms.exposure import selectors
from arms.exposure.models import CreditOverride, OverrideStatus, hold_source_label

register = template.Library()


@register.filter
def hold_source(source_ref: str) -> str:
    """``{{ hold.source_ref|hold_source }}``: "dunning:stop_supply" -> "催收阶梯（停止供货阶段）"."""
    return hold_source_label(source_ref or "")

#: the dial runs from 0 to 120% of the limit, so an exposure over the limit still shows how far over
DIAL_MAX_BP = 12_000
CX, CY, R = 100, 100, 80


def _point(share_bp: int, radius: int = R) -> tuple[float, float]:
    """Where on the half circle a share of the dial (0..DIAL_MAX_BP) lies: left end 0, right end DIAL_MAX_BP."""
    angle = math.pi * (1 - min(max(share_bp, 0), DIAL_MAX_BP) / DIAL_MAX_BP)
    return round(CX + radius * math.cos(angle), 2), round(CY - radius * math.sin(angle), 2)


def _arc(start_bp: int, end_bp: int) -> str:
    (x1, y1), (x2, y2) = _point(start_bp), _point(end_bp)
    return f"M {x1} {y1} A {R} {R} 0 0 1 {x2} {y2}"


def gauge_context(customer, *, breakdown=None, profile=None) -> dict:
    profile = profile if profile is not None else selectors.credit_profile_of(customer)
    breakdown = breakdown or selectors.exposure_breakdown(customer, profile=profile)
    used = breakdown.used_bp
    warn_bp = breakdown.warn_share_bp
    if used is None:
        level = "none"
    elif used > 10_000:
        level = "over"
    elif used > warn_bp:
        level = "warn"
    else:
        level = "ok"
    needle = _point(used if used is not None else 0)
    # a zero limit is not a limit used up a thousandfold: the customer buys on prepayment only (仅限预付)
    prepayment_only = breakdown.limit_minor is not None and breakdown.limit_minor <= 0
    return {
        "customer": customer, "breakdown": breakdown, "grade": getattr(profile, "grade", "") or "",
        "used_pct": None if used is None or prepayment_only else f"{used / 100:.0f}", "level": level,
        "prepayment_only": prepayment_only,
        "track": _arc(0, DIAL_MAX_BP), "band_ok": _arc(0, warn_bp), "band_warn": _arc(warn_bp, 10_000),
        "band_over": _arc(10_000, DIAL_MAX_BP), "value_arc": _arc(0, used) if used else "",
        "needle_x": needle[0], "needle_y": needle[1],
        "limit_tick": (_point(10_000, radius=R - 12), _point(10_000, radius=R + 12)),
        "limit_label": _point(10_000, radius=R + 22),
    }


@register.inclusion_tag("exposure/includes/gauge.html")
def exposure_gauge(customer, breakdown=None):
    return gauge_context(customer, breakdown=breakdown)


@register.inclusion_tag("exposure/includes/panel.html", takes_context=True)
def exposure_panel(context, customer):
    request = context.get("request")
    user = getattr(request, "user", None)
    data = gauge_context(customer)
    data.update({
        "request": request, "user": user, "now": timezone.now(),
        "holds": list(selectors.holds_active(customer).select_related("placed_by")),
        "overrides": list(selectors.override_list(user=user, customer_id=customer.pk)
                          .filter(status__in=[OverrideStatus.REQUESTED, OverrideStatus.APPROVED])[:5])
        if user is not None else [],
        "can_place": bool(user and user.has_perm("exposure.add_credithold")),
        "can_release": bool(user and user.has_perm("exposure.change_credithold")),
        "can_request": bool(user and user.has_perm("exposure.add_creditoverride")),
        "csrf_token": context.get("csrf_token"),
    })
    return data


@register.inclusion_tag("exposure/includes/terms_in_force.html")
def terms_in_force(customer, profile=None) -> dict:
    """The parts of the terms in force that the credit file cannot read itself: the unrated policy (for a customer
    without a limit) and the open terms exceptions (overrides with ``terms_days``)."""
    settings_row = selectors.control_settings(customer.company_id)
    unrated = profile is None or (profile.limit_minor is None and not profile.prepayment_only)
    exceptions = list(
        CreditOverride.objects.filter(customer_id=customer.pk, terms_days__isnull=False,
                                      status__in=[OverrideStatus.REQUESTED, OverrideStatus.APPROVED])
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())).order_by("pk")[:10])
    return {"customer": customer, "unrated": unrated, "settings": settings_row, "exceptions": exceptions}
