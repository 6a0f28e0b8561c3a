"""Demo data of hand-overs (逾期账款交接表), after the ledger and collections are loaded: two of 陈磊's (collector2)
customers handed over to 刘静 (collector1) and completed (both acknowledged), and one of 刘静's customers made a key
account and handed over to the senior collector 张华, acknowledged by 刘静 and awaiting 张华. Safe to run twice:
nothing is added once a hand-over exists."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from arms.customers.models import Customer
from arms.customers.services import customer_update
from arms.handover.models import Handover
from arms.handover.services import handover_acknowledge, handover_open


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    del seed
    if Handover.objects.exists():
        return {"hand-overs completed": 0, "hand-overs awaiting": 0}
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["clerk", "finmgr", "collector1", "collector2", "senior"])}
    if len(users) < 5:
        return {"hand-overs completed": 0, "hand-overs awaiting": 0}
    leaving = list(Customer.objects.filter(collector=users["collector2"], key_account=False)
                   .order_by("code").values_list("pk", flat=True)[:2])
    completed = 0
    if leaving:
        handover = handover_open(actor=users["clerk"], role="collector", from_user=users["collector2"],
                                 to_user=users["collector1"], customer_ids=leaving, effective_on=today,
                                 reason="区域调整：华南两家客户改由刘静催收")
        handover_acknowledge(actor=users["collector2"], handover=handover, note="客户资料、往来记录已移交")
        handover_acknowledge(actor=users["collector1"], handover=handover, note="已接收，本周内与客户联系")
        completed = 1
    key = Customer.objects.filter(collector=users["collector1"]).exclude(pk__in=leaving).order_by("code").first()
    awaiting = 0
    if key is not None:
        customer_update(actor=users["finmgr"], customer=key, key_account=True)
        handover = handover_open(actor=users["clerk"], role="collector", from_user=users["collector1"],
                                 to_user=users["senior"], customer_ids=[key.pk], effective_on=today,
                                 reason="列为重点客户，改由高级催收员负责")
        handover_acknowledge(actor=users["collector1"], handover=handover, note="已整理逾期清单")
        awaiting = 1
    return {"hand-overs completed": completed, "hand-overs awaiting": awaiting}
