"""Demo data of limitation periods, after the ledger, collections, dunning and confirmations are loaded.

The demo's history is shorter than a limitation period, so two receivables migrated from the old system (历史遗留
应收, invoices about three years old) show the end of the clock: one expires within three months (its alerts go to
the collector and legal), one has expired (the claim's page suggests writing it off). Then the clocks are
refreshed (the interruptions the other demos recorded: e-mails sent, confirmed balances, part payments, promises,
plans), and legal records two interruptions by hand with their evidence (an EMS receipt, a call recording).
Safe to run twice: the invoices are found by number, manual interruptions are once per invoice, kind and day.
"""

from __future__ import annotations

from datetime import date, timedelta

from arms.common.errors import ArmsError
from arms.customers.models import Customer
from arms.customers.services import company_ensure
from arms.domain.limitation import add_years
from arms.exposure.models import CreditHold
from arms.ledger.models import Invoice
from arms.ledger.services import invoice_post
from arms.limitation.enums import Status
from arms.limitation.models import LimitationClock, LimitationInterruption
from arms.limitation.services import (
    interruption_record_for_customer,
    limitation_alerts,
    limitation_refresh,
    limitation_settings_for,
)

LEGACY_TERMS_DAYS = 30


def _legacy(customer: Customer, *, number: str, issued: date, net_minor: int) -> bool:
    if Invoice.objects.filter(company=customer.company, number=number).exists():
        return True
    try:
        invoice_post(actor=None, customer=customer, issue_date=issued, due_date=issued + timedelta(
            days=LEGACY_TERMS_DAYS), net_minor=net_minor, tax_minor=net_minor * 13 // 100, number=number,
            description="历史遗留应收（旧系统迁移）")
    except ArmsError:
        return False  # the credit check refused it (the customer is at its limit): the demo tries another
    return True


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    company = company_ensure()
    years = limitation_settings_for(company).period_years
    held = CreditHold.objects.filter(active=True).values("customer_id")
    candidates = Customer.objects.filter(company=company, currency="CNY").exclude(pk__in=held).order_by("code")
    # due so that the period (from the day after the due date) ends about 80 days from today / 40 days ago
    claims = [(80 - LEGACY_TERMS_DAYS - 1, 1_860_000), (-40 - LEGACY_TERMS_DAYS - 1, 2_450_000)]
    for customer in candidates[:40]:  # most demo customers are at their credit limit: the check refuses those
        if not claims:
            break
        days, net_minor = claims[0]
        if _legacy(customer, number=f"LS-{customer.code}", net_minor=net_minor,
                   issued=add_years(today, -years) + timedelta(days=days)):
            claims.pop(0)
    limitation_refresh(company=company, today=today)
    overdue = (Invoice.objects.filter(company=company, amount_open_minor__gt=0,
                                      due_date__lt=today - timedelta(days=30))
               .exclude(number__startswith="LS-").order_by("due_date", "pk"))
    seen: set[int] = set()
    evidence = [
        ("demand_delivered", "催款函已由对方财务签收（EMS）", "EMS回执.pdf", b"%PDF-1.4\n% demo: EMS receipt\n"),
        ("promise", "电话中对方承认欠款并承诺月底付款", "通话录音.mp3", b"ID3\x03demo call recording"),
    ]
    for invoice in overdue[:20]:
        if invoice.customer_id in seen or len(seen) == len(evidence):
            continue
        kind, note, name, content = evidence[len(seen)]
        seen.add(invoice.customer_id)
        interruption_record_for_customer(actor=None, customer=invoice.customer, invoice_ids=[invoice.pk], kind=kind,
                                         on=today - timedelta(days=3 + len(seen)), note=note,
                                         evidence_bytes=content, evidence_name=name)
    alerts = limitation_alerts(company=company, today=today)
    clocks = LimitationClock.objects.filter(company=company)
    return {
        "limitation claims": clocks.exclude(status=Status.STOPPED).count(),
        "limitation claims expiring": clocks.filter(status=Status.EXPIRING).count(),
        "limitation claims expired": clocks.filter(status=Status.EXPIRED).count(),
        "limitation interruptions": LimitationInterruption.objects.filter(company=company).count(),
        "limitation alerts sent": alerts["claims"],
    }
