"""Demo data of incentives, after the ledger and collections are loaded: last month's scheme (a base pool of
50,000.00 and the default weights, every salesperson and collector in it), the finance–sales mutual ratings
entered (the finance clerk rates the salespeople, the first salesperson rates the collectors), and the payout
sheet computed by the finance manager, waiting for a second person's approval. Safe to run twice: a month that
has a scheme is left alone."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from arms.customers.services import company_ensure
from arms.domain.terms import month_start
from arms.incentives.models import IncentiveRating, IncentiveScheme, MemberRole
from arms.incentives.services import rating_set, scheme_compute, scheme_create

POOL_MINOR = 5_000_000
RATERS = {MemberRole.SALESPERSON: "clerk", MemberRole.COLLECTOR: "sales1"}


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    company = company_ensure()
    period = month_start(month_start(today) - timedelta(days=1))
    if IncentiveScheme.objects.filter(company=company, period=period).exists():
        return {"incentive schemes": 0, "mutual ratings": 0}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["finmgr", *RATERS.values()])}
    scheme = scheme_create(actor=users.get("finmgr"), company=company, period=period,
                           terms={"base_pool_minor": POOL_MINOR, "note": "上月奖惩方案（演示）：回款额为主，互评占10%"})
    for index, member in enumerate(scheme.members.select_related("user").order_by("pk")):
        rater = users.get(RATERS[MemberRole(member.role)])
        if rater is not None and rater.pk != member.user_id:
            rating_set(actor=rater, scheme=scheme, ratee=member.user, score=70 + (seed + 7 * index) % 26)
    scheme_compute(actor=users.get("finmgr"), scheme=scheme)
    return {"incentive schemes": 1, "mutual ratings": IncentiveRating.objects.filter(scheme=scheme).count()}
