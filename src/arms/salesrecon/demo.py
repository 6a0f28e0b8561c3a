"""Demo data of the sales–finance reconciliation, after the ledger is loaded: last month opened for every
salesperson who owns customers; the first salesperson agreed and finance signed off, the next listed one
difference (the customer's balance less 100.00, "a credit note promised"), the rest have not answered yet.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from arms.salesrecon.enums import ReconStatus
from arms.salesrecon.models import SalesReconciliation
from arms.salesrecon.services import sales_recon_answer, sales_recon_open, sales_recon_sign_off


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    last_month_end = today.replace(day=1) - timedelta(days=1)
    opened = sales_recon_open(period=last_month_end, actor=None)
    finance = (get_user_model().objects.filter(is_active=True, groups__name="finance_manager").order_by("pk").first()
               or get_user_model().objects.filter(is_active=True, is_superuser=True).order_by("pk").first())
    answered = [r for r in opened if r.snapshot]
    if answered:
        first = answered[0]
        sales_recon_answer(reconciliation=first, actor=first.salesperson, agree=True, note="已与销售台账核对一致")
        if finance is not None and finance.pk != first.salesperson_id:
            sales_recon_sign_off(reconciliation=first, actor=finance, note="")
    if len(answered) > 1:
        second = answered[1]
        row = second.snapshot[0]
        sales_recon_answer(reconciliation=second, actor=second.salesperson, agree=False, differences=[
            {"customer_id": row["customer_id"], "currency": row["currency"],
             "sales_minor": row["balance_minor"] - 100_00, "note": "客户称已承诺开具红字发票"}])
    months = SalesReconciliation.objects.filter(period=last_month_end.replace(day=1))
    return {
        "sales reconciliations": months.count(),
        "sales reconciliations waiting": months.exclude(status=ReconStatus.SIGNED_OFF).count(),
    }
