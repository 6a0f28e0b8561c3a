"""Demo data of collection cases, after the ledger (and credit, exposure) are loaded.

Deterministic from ``seed``. On the customers that owe the most overdue money: a few contacts each (calls,
e-mails, a visit), open tasks for the demo collectors, promises to pay (some kept by payments the ledger
already holds, some broken and escalated, some still open), one installment plan approved by the finance
manager, and disputes on a few invoices (one rejected). The daily checks run at the end, as every morning.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Min, Sum
from django.utils import timezone

from arms.cases.models import Activity, Dispute, InstallmentPlan, PromiseToPay, Task
from arms.cases.services import (
    activity_record,
    dispute_raise,
    dispute_resolve,
    plan_approve,
    plan_request,
    promise_record,
    task_create,
)
from arms.cases.tasks import daily_checks
from arms.customers.models import Customer
from arms.ledger.models import Invoice, Payment

CALL_NOTES = [
    ("reached", "已联系财务，对方表示本月内安排付款。"),
    ("no_answer", "电话无人接听，稍后再拨。"),
    ("left_message", "已给采购经理留言，请其回电。"),
    ("refused", "对方称资金紧张，暂无法付款。"),
    ("promised", "财务经理承诺下周付款。"),
]

DISPUTE_TEXTS = ["部分货物破损", "到货数量少于发票数量", "单价与合同不符", "客户称未收到货"]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    rng = random.Random(f"cases-{seed}")
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["collector1", "collector2", "clerk", "finmgr", "legal", "sales1", "admin"])}
    collector = users.get("collector1") or users.get("admin")
    approver = users.get("finmgr") or users.get("admin")
    if collector is None or approver is None or collector == approver:
        return {"case activities": 0}
    overdue = (Invoice.objects.filter(amount_open_minor__gt=0, due_date__lt=today).values("customer_id")
               .annotate(total=Sum("amount_open_minor"), oldest=Min("due_date")).order_by("-total", "customer_id"))
    ranked = [row["customer_id"] for row in overdue[:14]]
    customers = Customer.objects.in_bulk(ranked)
    ordered = [customers[pk] for pk in ranked]

    for index, customer in enumerate(ordered[:12]):
        actor = customer.collector or collector
        for k in range(rng.randint(1, 3)):
            outcome, note = rng.choice(CALL_NOTES)
            activity_record(customer=customer, kind="call", outcome=outcome, note=note, actor=actor,
                            occurred_at=_at(today - timedelta(days=rng.randint(2, 40)), 9 + k),
                            source="demo", source_ref=f"demo:{seed}:call:{customer.pk}:{k}")
        if index % 3 == 0:
            activity_record(customer=customer, kind="email", outcome="sent", note="已发送对账单及付款提醒邮件。",
                            actor=actor, occurred_at=_at(today - timedelta(days=rng.randint(3, 20)), 15),
                            source="demo", source_ref=f"demo:{seed}:email:{customer.pk}")
        if index % 5 == 1:
            activity_record(customer=customer, kind="visit", outcome="reached", direction="out",
                            note="上门拜访，对方财务总监确认欠款金额无误。", actor=customer.salesperson or actor,
                            occurred_at=_at(today - timedelta(days=rng.randint(5, 30)), 14),
                            source="demo", source_ref=f"demo:{seed}:visit:{customer.pk}")
        if index < 8:
            task_create(customer=customer, kind=rng.choice(["call", "call", "visit", "letter", "follow_up"]),
                        title=rng.choice(["跟进付款进度", "确认付款计划", "发送催款函", "约见对方财务负责人"]),
                        level="finance", due_on=today + timedelta(days=rng.randint(-3, 7)),
                        source="demo", source_ref=f"demo:{seed}:task:{customer.pk}", actor=actor)

    # promises kept: made a few days before a payment the ledger already holds
    kept_payments = (Payment.objects.filter(status="posted", received_date__gte=today - timedelta(days=90),
                                            received_date__lt=today, customer__currency="CNY")
                     .exclude(customer_id__in=ranked[:3]).order_by("received_date", "pk")[:3])
    for payment in kept_payments:
        if PromiseToPay.objects.filter(customer=payment.customer).exists():
            continue
        promise_record(customer=payment.customer, amount_minor=max(payment.amount_minor // 2, 1),
                       promised_on=payment.received_date + timedelta(days=2), currency=payment.currency,
                       made_on=payment.received_date - timedelta(days=5), actor=payment.customer.collector or collector,
                       contact_name="财务部", note="电话承诺")
    # promises broken (the date passed, nothing paid on the invoice) and open ones for next week
    for offset, customer in enumerate(ordered[:6]):
        invoice = (Invoice.objects.filter(customer=customer, amount_open_minor__gt=0, due_date__lt=today)
                   .order_by("due_date", "pk").first())
        if invoice is None or PromiseToPay.objects.filter(invoices=invoice, status="open").exists():
            continue
        broken = offset % 2 == 0
        promise_record(customer=customer, amount_minor=max(invoice.amount_open_minor // 2, 1),
                       promised_on=today - timedelta(days=3) if broken else today + timedelta(days=5 + offset),
                       made_on=today - timedelta(days=12), invoices=[invoice],
                       actor=customer.collector or collector, contact_name="财务经理",
                       note="口头承诺" if broken else "邮件确认付款日期")

    # one installment plan, approved by the finance manager
    plan_customer = ordered[6] if len(ordered) > 6 else None
    if plan_customer is not None and not InstallmentPlan.objects.filter(customer=plan_customer).exists():
        invoices = list(Invoice.objects.filter(customer=plan_customer, amount_open_minor__gt=0,
                                               currency=plan_customer.currency).order_by("due_date", "pk")[:3])
        if invoices:
            plan = plan_request(customer=plan_customer, invoices=invoices, installments=4,
                                first_due_on=today + timedelta(days=10), actor=plan_customer.collector or collector,
                                starts_on=today - timedelta(days=2), note="客户资金周转困难，同意分四期付款。")
            plan_approve(plan=plan, actor=approver, note="同意")

    # disputes: three open, one rejected
    reasons = ["quality", "quantity", "price", "not_received"]
    for k, customer in enumerate(ordered[7:11]):
        invoice = (Invoice.objects.filter(customer=customer, amount_open_minor__gt=0, due_date__lt=today)
                   .exclude(disputes__status="open").order_by("-amount_open_minor", "pk").first())
        if invoice is None:
            continue
        dispute = dispute_raise(invoice=invoice, amount_minor=max(invoice.amount_open_minor // rng.randint(3, 8), 1),
                                reason_code=reasons[k], actor=customer.collector or collector,
                                raised_on=max(today - timedelta(days=rng.randint(3, 20)), invoice.issue_date),
                                description=DISPUTE_TEXTS[k])
        if k == 3:
            dispute_resolve(dispute=dispute, resolution="rejected", actor=users.get("clerk") or approver,
                            note="物流签收单证明已送达", on=today)

    daily_checks(as_of=today)
    return {
        "case activities": Activity.objects.count(),
        "collection tasks": Task.objects.filter(status="open").count(),
        "promises to pay": PromiseToPay.objects.count(),
        "installment plans": InstallmentPlan.objects.count(),
        "disputes": Dispute.objects.count(),
    }
