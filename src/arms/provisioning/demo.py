"""Demo data of the allowance for doubtful accounts, after the ledger and the collections are loaded: the seeds'
stepped matrix as version 1, an individual assessment (单项计提, 50% with a court judgment as evidence) of the
customer with the most overdue for longest, and the runs of the last three month ends, oldest first. Safe to run
twice: a posted period is skipped."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Sum

from arms.customers.models import Customer
from arms.customers.services import company_ensure
from arms.ledger.models import Invoice
from arms.provisioning.models import IndividualAssessment, ProvisionRun
from arms.provisioning.services import assessment_record, matrix_active, provision_run_post

#: the demo's stand-in for a scanned court judgment
EVIDENCE = "（2026）沪0115民初12345号 民事判决书（演示用扫描件）".encode()


def _month_ends(today: date, count: int) -> list[date]:
    ends, day = [], today.replace(day=1) - timedelta(days=1)
    for _index in range(count):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return ends[::-1]


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    company = company_ensure()
    matrix_active(company=company)
    ends = _month_ends(today, 3)
    assessed = 0
    if not IndividualAssessment.objects.filter(company=company).exists():
        worst = (Invoice.objects.filter(company=company, amount_open_minor__gt=0, due_date__lt=ends[0] - timedelta(
            days=90)).order_by().values("customer_id").annotate(total=Sum("amount_open_minor"))
                 .order_by("-total").first())
        if worst is not None:
            assessment_record(actor=None, customer=Customer.objects.get(pk=worst["customer_id"]), rate_bp=5_000,
                              reason="客户涉诉且经营困难，法院已判决但执行困难，按50%单项计提",
                              valid_from=ends[0], evidence_content=EVIDENCE, evidence_name="民事判决书.txt")
            assessed = 1
    posted = 0
    for end in ends:
        if ProvisionRun.objects.filter(company=company, as_of__gte=end).exists():
            continue
        provision_run_post(actor=None, company=company, as_of=end)
        posted += 1
    return {"provision runs": posted, "individual bad-debt assessments": assessed}
