"""Demo data of collection plans, after the ledger is loaded: one customer plan of sales1 approved by the finance
manager with part of its first invoice received since; one contract plan of sales2 submitted and waiting for
approval; one plan of sales3 approved last month whose first line is past and not covered (behind; its owner told).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from arms.collectionplans.enums import OPEN_STATUSES, PlanStatus
from arms.collectionplans.models import CollectionPlan
from arms.collectionplans.selectors import behind_plans
from arms.collectionplans.services import (
    LineIn,
    collection_plan_approve,
    collection_plan_create,
    collection_plan_draft_from_contract,
    collection_plan_draft_from_customer,
    collection_plan_submit,
    collection_plans_notify_behind,
)
from arms.contracts.models import Contract
from arms.ledger.models import Invoice
from arms.ledger.services.allocations import AllocationRequest, payment_allocate
from arms.ledger.services.payments import payment_record


def _open_invoice(salesperson, exclude: list[int]) -> Invoice | None:
    return (Invoice.objects.select_related("customer").filter(
        customer__salesperson=salesperson, currency="CNY", amount_open_minor__gt=0, contract__isnull=True)
        .exclude(customer_id__in=exclude).exclude(customer__collection_plans__status__in=OPEN_STATUSES)
        .order_by("due_date", "pk").first())


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["sales1", "sales2", "sales3", "finmgr", "clerk"], is_active=True)}
    if len(users) < 5:
        return {}
    used: list[int] = []
    first = _open_invoice(users["sales1"], used)
    if first is not None:
        used.append(first.customer_id)
        plan = collection_plan_draft_from_customer(actor=users["sales1"], customer=first.customer,
                                                   note="按对账单约定的付款日安排")
        collection_plan_submit(actor=users["sales1"], plan=plan)
        collection_plan_approve(actor=users["finmgr"], plan=plan, comment="同意，按月跟踪")
        amount = max(1, min(first.amount_open_minor // 2, 5_000_000))
        cash = payment_record(actor=users["clerk"], customer=first.customer, received_date=today,
                              amount_minor=amount, currency="CNY", payer_name=first.customer.name,
                              bank_reference="DEMO-PLAN-1")
        payment_allocate(actor=users["clerk"], payment=cash, lines=[AllocationRequest(first.pk, amount)], on=today)
    contract = (Contract.objects.select_related("customer").filter(customer__salesperson=users["sales2"],
                                                                    status="active", currency="CNY")
                .exclude(collection_plans__status__in=OPEN_STATUSES)
                .order_by("pk").first())
    if contract is not None:
        used.append(contract.customer_id)
        waiting = collection_plan_draft_from_contract(actor=users["sales2"], contract=contract,
                                                      note="按合同付款节点编制")
        if waiting.lines.exists():
            collection_plan_submit(actor=users["sales2"], plan=waiting)
    late = _open_invoice(users["sales3"], used)
    if late is not None:
        start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        behind = collection_plan_create(
            actor=users["sales3"], customer=late.customer, counts_from=start, note="客户承诺分两期付清",
            lines=[LineIn(start + timedelta(days=9), max(1, late.amount_open_minor // 2), "第一期"),
                   LineIn(today + timedelta(days=20), max(1, late.amount_open_minor - late.amount_open_minor // 2),
                          "第二期")])
        collection_plan_submit(actor=users["sales3"], plan=behind)
        collection_plan_approve(actor=users["finmgr"], plan=behind, comment="同意")
        collection_plans_notify_behind(today=today)
    return {
        "collection plans approved": CollectionPlan.objects.filter(status=PlanStatus.APPROVED).count(),
        "collection plans waiting": CollectionPlan.objects.filter(status=PlanStatus.SUBMITTED).count(),
        "collection plans behind": behind_plans(today=today).count(),
    }
