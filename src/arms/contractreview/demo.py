"""Demo data of contract review, after the ledger is loaded (in the real today): one draft in review, returned once
by sales management for a missing acceptance clause and resubmitted, now waiting for credit; one approved by every
step, waiting to be signed; tiered late interest on one signed contract."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from arms.contractreview.enums import Clause
from arms.contractreview.services import review_decide, review_submit
from arms.contracts.models import Contract, ContractStatus
from arms.contracts.services import MilestoneIn, contract_amend, contract_create
from arms.customers.models import Customer

CLAUSES = [str(c) for c in Clause if c != Clause.GUARANTEE]
TIERS = [{"from_day": 1, "daily_rate": "0.0003"}, {"from_day": 30, "daily_rate": "0.0005"},
         {"from_day": 90, "daily_rate": "0.001"}]


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["sales1", "exec", "credit", "legal"], is_active=True)}
    customer = Customer.objects.filter(salesperson=users.get("sales1"), currency="CNY").order_by("pk").first()
    if len(users) < 4 or customer is None or Contract.objects.filter(number__startswith="HT-DEMO-R").exists():
        return {}
    terms = {"payment_terms_days": 30, "late_interest_rate_daily": "0.0005", "dispute_venue": "上海仲裁委员会",
             "governing_law": "中华人民共和国法律", "signed_date": today,
             "milestones": [MilestoneIn("预付款", 3000), MilestoneIn("验收款", 7000, 30)]}
    waiting = contract_create(actor=users["sales1"], customer=customer, number="HT-DEMO-R1", status="draft",
                              title="（演示）生产线改造合同", amount_minor=30_000_000, **terms)
    review_submit(actor=users["sales1"], contract=waiting)
    review_decide(actor=users["exec"], contract=waiting, kind="sales", decision="returned", comment="缺少验收条款")
    waiting = contract_amend(actor=users["sales1"], contract=waiting, reason="补充验收条款",
                             acceptance_clause="到货后七日内验收，逾期未提异议视为验收合格")
    review_submit(actor=users["sales1"], contract=waiting)
    review_decide(actor=users["exec"], contract=waiting, kind="sales", decision="approved", confirmed=CLAUSES,
                  comment="同意")
    approved = contract_create(actor=users["sales1"], customer=customer, number="HT-DEMO-R2", status="draft",
                               title="（演示）备件年度供货合同", amount_minor=60_000_000,
                               acceptance_clause="按批次验收", **terms)
    review_submit(actor=users["sales1"], contract=approved)
    for person, kind in (("exec", "sales"), ("credit", "credit"), ("legal", "legal")):
        review_decide(actor=users[person], contract=approved, kind=kind, decision="approved", confirmed=CLAUSES,
                      comment="同意")
    tiered = Contract.objects.filter(status=ContractStatus.ACTIVE, currency="CNY").order_by("pk").first()
    if tiered is not None:
        contract_amend(actor=users["sales1"], contract=tiered, reason="补充协议：阶梯逾期利率",
                       late_interest_tiers=TIERS, review_date=today + timedelta(days=14))
    return {"contracts in review": 1, "contracts approved to sign": 1, "contracts with tiered interest":
            int(tiered is not None)}
