"""Demo data of early warning, after the ledger, collections, credit and confirmations are loaded: the shipped
indicators (with the seeds' 逾期天数 and 坏账率 ones) evaluated today over the demo book, so the warning log shows a
few warnings with their figures and follow-up tasks; one acknowledged by the finance manager; and one risk signal a
salesperson reported from a customer visit that morning, waiting for the credit manager. Safe to run twice: the
defaults are created once, an evaluation raises only new crossings, the signal is made once per customer."""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.utils import timezone

from arms.earlywarning.enums import WarningStatus
from arms.earlywarning.models import RiskSignal, Warning
from arms.earlywarning.services import (
    indicators_ensure_default,
    risk_signal_raise,
    warning_acknowledge,
    warnings_evaluate,
)


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    indicators_ensure_default()
    result = warnings_evaluate(as_of=today)
    users = get_user_model()
    manager = users.objects.filter(username="finmgr", is_active=True).first()
    first = (Warning.objects.filter(status=WarningStatus.OPEN, indicator__responsible_role="finance_manager")
             .order_by("pk").first())
    if manager is not None and first is not None:
        warning_acknowledge(warning=first, actor=manager, note="已纳入本月经营分析会讨论，销售部门配合加快回款。")
    sales = users.objects.filter(username="sales1", is_active=True).first()
    customer = sales.sales_customers.order_by("code").first() if sales is not None else None
    if sales is not None and customer is not None and not RiskSignal.objects.filter(customer=customer).exists():
        visited = timezone.make_aware(datetime.combine(today, time(9, 30)))
        risk_signal_raise(actor=sales, customer=customer, category="operating_trouble",
                          description="今天上午拜访客户，二号车间已停产，仓库备货明显减少；财务经理称本月付款可能推迟。",
                          observed_at=min(visited, timezone.now()))
    return {"early warnings raised": result["raised"],
            "early warnings standing": Warning.objects.exclude(status=WarningStatus.CLOSED).count(),
            "risk signals": RiskSignal.objects.count()}
