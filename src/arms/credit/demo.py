"""Demo data of credit management, after the ledger is loaded: credit files, two rounds of ratings.

Deterministic from ``seed``: every customer gets last year's financial figures and external facts; all are rated
as of three months ago and the proposals accepted by the credit manager; then re-rated as of today (the
quarterly review), the proposals accepted except a few left waiting in the review queue (downgrades first),
and one salesperson asks for a higher limit. Large limits wait for the finance manager.
"""

from __future__ import annotations

import random
from datetime import date

from django.contrib.auth import get_user_model

from arms.credit.enums import RatingTrigger
from arms.credit.models import LimitChangeRequest, Rating, RatingProposal
from arms.credit.services import (
    credit_file_update,
    financial_statement_save,
    limit_request_create,
    proposal_accept,
    ratings_run,
    )
from arms.credit.services.ratings import add_months
from arms.customers.enums import CustomerStatus
from arms.customers.models import Customer

PENDING_LEFT = 4


def _figures(rng: random.Random) -> dict:
    assets = rng.randrange(20_000_000, 2_000_000_000) * 100
    debt_ratio = rng.uniform(0.25, 0.92)
    current_assets = int(assets * rng.uniform(0.3, 0.6))
    revenue = int(assets * rng.uniform(0.4, 1.6))
    return {
        "total_assets_minor": assets, "total_liabilities_minor": int(assets * debt_ratio),
        "current_assets_minor": current_assets,
        "current_liabilities_minor": int(current_assets / rng.uniform(0.8, 2.4)),
        "revenue_minor": revenue, "net_profit_minor": int(revenue * rng.uniform(-0.06, 0.14)),
        "operating_cash_flow_minor": int(revenue * rng.uniform(-0.05, 0.15)),
    }


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    rng = random.Random(f"credit-{seed}")
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["credit", "sales1", "admin"])}
    manager = users.get("credit") or users.get("admin")
    customers = list(Customer.objects.filter(status__in=[CustomerStatus.ACTIVE, CustomerStatus.ON_HOLD])
                     .order_by("code"))
    if manager is None or not customers:
        return {}
    flagged = {c.pk for c in rng.sample(customers, k=min(2, len(customers)))}
    for index, customer in enumerate(customers):
        if rng.random() < 0.85:
            financial_statement_save(customer=customer, actor=manager, fiscal_year=today.year - 1, audited=rng.random()
                                     < 0.6, source=rng.choice(["审计报告", "企业提供"]), **_figures(rng))
        facts = {"bureau_rating": rng.choices(["AAA", "AA", "A", "BBB", "BB", "B", ""],
                                              weights=[3, 8, 12, 10, 5, 2, 6])[0],
                 "bureau_name": "中诚信征信", "lawsuits_count": rng.choices([0, 1, 2, 4, 7], [12, 5, 3, 2, 1])[0],
                 "dishonest_debtor": False, "business_abnormal": False, "external_checked_on": add_months(today, -1)}
        if customer.pk in flagged:  # one 失信被执行人, one 经营异常 (the first drawn, then the second)
            facts["dishonest_debtor" if index % 2 == 0 else "business_abnormal"] = True
        credit_file_update(customer=customer, actor=manager, **facts)

    earlier = add_months(today, -3)
    ratings_run(customers=customers, as_of=earlier, actor=manager, reason="年度信用评审",
                trigger=RatingTrigger.ON_DEMAND)
    for proposal in RatingProposal.objects.filter(status="pending").order_by("customer__code"):
        proposal_accept(proposal=proposal, actor=manager, reason="")

    ratings_run(customers=customers, as_of=today, actor=None, reason="季度复评", trigger=RatingTrigger.SCHEDULED)
    pending = list(RatingProposal.objects.filter(status="pending").select_related("rating")
                   .order_by("customer__code"))
    changed = [p for p in pending if p.grade != p.previous.get("grade")]
    keep = {p.pk for p in (changed + [p for p in pending if p not in changed])[:PENDING_LEFT]}
    for proposal in pending:
        if proposal.pk not in keep:
            proposal_accept(proposal=proposal, actor=manager, reason="")

    sales = users.get("sales1")
    mine = [c for c in customers if sales and c.salesperson_id == sales.pk]
    if mine and not LimitChangeRequest.objects.filter(customer=mine[0], status="pending").exists():
        profile = mine[0].credit_profile
        limit_request_create(customer=mine[0], actor=sales, justification="客户新签年度框架合同, 月度订单预计翻倍",
                             requested_limit_minor=max((profile.limit_minor or 0) * 2, 200_000_00))
    return {
        "credit ratings": Rating.objects.count(),
        "credit proposals waiting": RatingProposal.objects.filter(status="pending").count(),
        "credit limit requests waiting": LimitChangeRequest.objects.filter(status="pending").count(),
    }
