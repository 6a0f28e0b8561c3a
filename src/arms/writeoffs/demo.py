"""Demo data of write-offs, after the ledger and collections are loaded: the oldest open invoice of one customer
written off for bankruptcy with its three sign-offs (finance, legal, audit), filed with the tax office and partly
recovered (a 10% distribution from the estate); a second customer's oldest invoice asked for (limitation expired),
waiting for sign-offs.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from arms.ledger.models import Invoice
from arms.ledger.services.payments import payment_record
from arms.ledger.services.writeoffs import payment_apply_to_written_off
from arms.writeoffs.enums import RequestStatus
from arms.writeoffs.models import WriteOffRequest
from arms.writeoffs.services import (
    EvidenceIn,
    ItemIn,
    write_off_request_create,
    write_off_request_sign,
    write_off_tax_filing_record,
)


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["collector1", "finmgr", "legal", "auditor", "clerk"], is_active=True)}
    if len(users) < 5:
        return {}
    oldest = list(Invoice.objects.filter(amount_open_minor__gt=0, currency="CNY").order_by("due_date", "pk")
                  .values_list("pk", "customer_id")[:50])
    customers: list[int] = []
    picked: list[int] = []
    for pk, customer_id in oldest:
        if customer_id not in customers:
            customers.append(customer_id)
            picked.append(pk)
        if len(picked) == 2:
            break
    if len(picked) < 2:
        return {}
    first, second = Invoice.objects.select_related("customer").filter(pk__in=picked).order_by("due_date", "pk")
    posted = write_off_request_create(
        actor=users["collector1"], customer=first.customer, reason="bankruptcy",
        note="法院已裁定破产程序终结，财产不足清偿",
        items=[ItemIn(first.pk, first.amount_open_minor)],
        evidence=[EvidenceIn("bankruptcy", "破产程序终结裁定书.pdf", b"%PDF-1.4 demo ruling", "（演示）破产终结裁定")])
    for signer in ("finmgr", "legal", "auditor"):
        write_off_request_sign(actor=users[signer], request=posted, note="同意核销", on=today)
    write_off_tax_filing_record(actor=users["clerk"], request=posted, filed_on=today, reference="税备（演示）001",
                                note="已向主管税务机关报送资产损失资料")
    distribution = first.amount_open_minor // 10 or 1
    first.refresh_from_db()
    cash = payment_record(actor=users["clerk"], customer=first.customer, received_date=today,
                          amount_minor=distribution, currency=first.currency, payer_name="破产管理人",
                          bank_reference="DEMO-RECOVERY-1")
    payment_apply_to_written_off(actor=users["clerk"], payment=cash, invoice=first, amount_minor=distribution,
                                 on=today)
    write_off_request_create(actor=users["collector1"], customer=second.customer, reason="limitation_expired",
                             note="最后一次书面催收已超过三年，期间无中断时效的证据",
                             items=[ItemIn(second.pk, second.amount_open_minor)])
    return {
        "write-offs posted": WriteOffRequest.objects.filter(status=RequestStatus.POSTED).count(),
        "write-offs waiting": WriteOffRequest.objects.filter(status=RequestStatus.PENDING).count(),
    }
