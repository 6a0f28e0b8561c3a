"""A confirmation run (对账确认 for a month end): choose the customers, freeze each one's figures as a letter.

Who is included: every customer of the company whose confirmation period (monthly by default, or quarterly,
half-yearly, yearly by the settings' rules) ends with the run's month, and who at the period end owes or is owed
something (a non-zero balance in any currency) or had a movement (invoice, credit note, payment, reversal) in the
period. The choice is a few aggregate queries over the ledger, whatever the number of customers; the letters are
then made one customer per transaction, in the queue when there are more than ``INLINE_LIMIT``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record, canonical_text, sha256_hex
from arms.common.bounds import date_check
from arms.common.errors import ValidationFailed
from arms.common.jobs import job_start
from arms.common.locks import lock_customer, qs_for_update
from arms.confirmations.enums import AWAITING_REPLY, ConfirmationStatus, RunStatus
from arms.confirmations.models import Confirmation, ConfirmationRun
from arms.confirmations.services.common import confirmation_audit, period_for, period_is_due
from arms.confirmations.services.settings import confirmation_settings_for, frequency_for
from arms.customers.models import Customer
from arms.domain.terms import month_end
from arms.ledger.enums import PaymentStatus
from arms.ledger.models import Allocation, CreditNote, Invoice, Payment
from arms.ledger.selectors import customer_statement

if TYPE_CHECKING:
    from arms.customers.models import Company, Customer

#: a run with more customers than this is prepared by a background job (of this kind, see arms.confirmations.jobs)
INLINE_LIMIT = 100
PREPARE_JOB = "confirmations.prepare"


def run_period(period_end: date) -> tuple[date, date]:
    """(first day, last day) of ``period_end``'s month; the day itself may be any day of the month."""
    date_check(period_end, field="period")
    return period_end.replace(day=1), month_end(period_end)


def run_candidates(*, company: Company, period_end: date) -> list[tuple[int, str, date]]:
    """(customer id, frequency, period start) of every customer to confirm at ``period_end``: due by its frequency
    and with a balance or a movement. Aggregate queries only (no model instance per customer)."""
    settings = confirmation_settings_for(company)
    rules = list(settings.rules.all())
    due: dict[int, tuple[str, date]] = {}
    for pk, grade, industry, region in Customer.objects.filter(company=company).values_list(
            "pk", "credit_profile__grade", "industry", "region").order_by("pk").iterator(chunk_size=5000):
        frequency = frequency_for(settings=settings, rules=rules, grade=grade or "", industry=industry,
                                  region=region)
        if period_is_due(period_end, frequency):
            due[pk] = (frequency, period_for(period_end, frequency))
    if not due:
        return []
    balance: dict[tuple[int, str], int] = defaultdict(int)
    sums = (
        (Invoice.objects.filter(company=company, issue_date__lte=period_end), "gross_minor", 1),
        (CreditNote.objects.filter(company=company, date__lte=period_end), "gross_minor", -1),
        (Payment.objects.filter(company=company, received_date__lte=period_end), "amount_minor", -1),
        (Payment.objects.filter(company=company, status=PaymentStatus.REVERSED, reversal_date__lte=period_end),
         "amount_minor", 1),
    )
    for queryset, column, sign in sums:
        for customer_id, currency, total in queryset.values("customer_id", "currency").annotate(
                total=Sum(column)).values_list("customer_id", "currency", "total"):
            balance[(customer_id, currency)] += sign * (total or 0)
    chosen = {customer_id for (customer_id, _currency), total in balance.items() if total and customer_id in due}
    for start in {start for _frequency, start in due.values()}:
        moved = Q(issue_date__range=(start, period_end))
        ids: set[int] = set()
        ids.update(Invoice.objects.filter(moved, company=company).values_list("customer_id", flat=True).distinct())
        ids.update(CreditNote.objects.filter(company=company, date__range=(start, period_end))
                   .values_list("customer_id", flat=True).distinct())
        ids.update(Payment.objects.filter(Q(received_date__range=(start, period_end))
                                          | Q(reversal_date__range=(start, period_end)), company=company)
                   .values_list("customer_id", flat=True).distinct())
        chosen.update(pk for pk in ids if pk in due and due[pk][1] == start)
    return [(pk, due[pk][0], due[pk][1]) for pk in sorted(chosen)]


def open_items_at(*, customer_id: int, on: date) -> list[dict[str, Any]]:
    """Invoices issued by ``on`` and open at the end of that day: gross less what was allocated to them
    (payments and credit notes, reversals counted back) dated up to ``on``."""
    settled = dict(
        Allocation.objects.filter(invoice__customer_id=customer_id, invoice__issue_date__lte=on, date__lte=on)
        .values("invoice_id").annotate(total=Sum("amount_minor")).values_list("invoice_id", "total")
    )
    items = []
    for row in Invoice.objects.filter(customer_id=customer_id, issue_date__lte=on).values(
            "id", "number", "vat_invoice_number", "issue_date", "due_date", "currency", "gross_minor"
    ).order_by("due_date", "id"):
        open_minor = row["gross_minor"] - (settled.get(row["id"]) or 0)
        if open_minor > 0:
            items.append({"invoice_id": row["id"], "number": row["number"],
                          "vat_invoice_number": row["vat_invoice_number"], "issue_date": row["issue_date"],
                          "due_date": row["due_date"], "currency": row["currency"], "gross_minor": row["gross_minor"],
                          "open_minor": open_minor})
    return items


def confirmation_snapshot(*, customer: Customer, period_start: date, period_end: date,
                          frequency: str) -> dict[str, Any]:
    """The letter's content: who, which period, and per currency the statement (opening, every movement, closing),
    then the open items at the period end."""
    company = customer.company
    statements = []
    for statement in customer_statement(customer_id=customer.pk, date_from=period_start, date_to=period_end):
        statements.append({
            "currency": statement.currency, "opening_minor": statement.opening_minor,
            "closing_minor": statement.closing_minor, "debit_total_minor": statement.debit_total_minor,
            "credit_total_minor": statement.credit_total_minor,
            "lines": [{"date": line.date, "kind": line.kind, "number": line.number,
                       "description": line.description, "debit_minor": line.debit_minor,
                       "credit_minor": line.credit_minor, "balance_minor": line.balance_minor}
                      for line in statement.lines],
        })
    statements.sort(key=lambda s: (s["currency"] != customer.currency, s["currency"]))
    return {
        "version": 1,
        "company": {"id": company.pk, "code": company.code, "name": company.name, "uscc": company.uscc},
        "customer": {"id": customer.pk, "code": customer.code, "name": customer.name, "uscc": customer.uscc,
                     "address": customer.address},
        "period_start": period_start, "period_end": period_end, "frequency": frequency,
        "currency": customer.currency,
        "statements": statements,
        "open_items": open_items_at(customer_id=customer.pk, on=period_end),
    }


def confirmation_prepare(*, run: ConfirmationRun, customer_id: int, frequency: str, period_start: date,
                         actor: Any) -> Confirmation | None:
    """Freeze one customer's letter in ``run`` (in the caller's transaction); None if the customer already has
    a live confirmation for the period. Earlier unanswered letters of the customer are superseded: what was
    confirmed or disputed stays as it is."""
    customer = lock_customer(customer_id)
    if Confirmation.objects.filter(customer=customer, period_end=run.period_end).exclude(
            status=ConfirmationStatus.SUPERSEDED).exists():
        return None
    data = confirmation_snapshot(customer=customer, period_start=period_start, period_end=run.period_end,
                                 frequency=frequency)
    text = canonical_text(data)
    balances = [{"currency": s["currency"], "opening_minor": s["opening_minor"], "closing_minor": s["closing_minor"]}
                for s in data["statements"]]
    main = next((b for b in balances if b["currency"] == customer.currency),
                {"currency": customer.currency, "opening_minor": 0, "closing_minor": 0})
    for older in Confirmation.objects.filter(customer=customer, period_end__lt=run.period_end,
                                             status__in=AWAITING_REPLY).order_by("pk"):
        before = confirmation_audit(older)
        older.status = ConfirmationStatus.SUPERSEDED
        older.save(update_fields=["status"])
        audit_record(actor=actor, action="confirmation_superseded", subject=older, before=before,
                     after=confirmation_audit(older))
    confirmation = Confirmation.objects.create(
        run=run, company=run.company, customer=customer, frequency=frequency, period_start=period_start,
        period_end=run.period_end, currency=main["currency"], opening_minor=main["opening_minor"],
        closing_minor=main["closing_minor"], balances=balances, snapshot=text, sha256=sha256_hex(text),
    )
    audit_record(actor=actor, action="confirmation_prepared", subject=confirmation,
                 after=confirmation_audit(confirmation))
    return confirmation


def run_prepare(*, run: ConfirmationRun, actor: Any,
                progress: Callable[..., None] | None = None) -> int:
    """Prepare the letters of every candidate not yet in ``run``, one customer per transaction (a failure keeps
    what was made; running it again continues). Returns how many were made."""
    candidates = run_candidates(company=run.company, period_end=run.period_end)
    have = set(Confirmation.objects.filter(period_end=run.period_end, company=run.company)
               .exclude(status=ConfirmationStatus.SUPERSEDED).values_list("customer_id", flat=True))
    todo = [c for c in candidates if c[0] not in have]
    made = 0
    for index, (customer_id, frequency, start) in enumerate(todo):
        with transaction.atomic():
            if confirmation_prepare(run=run, customer_id=customer_id, frequency=frequency, period_start=start,
                                    actor=actor) is not None:
                made += 1
        if progress is not None:
            progress(index + 1, len(todo), "Preparing confirmation letters")
    with transaction.atomic():
        locked = qs_for_update(ConfirmationRun.objects.all()).get(pk=run.pk)
        locked.customer_count = Confirmation.objects.filter(run=locked).count()
        locked.status = RunStatus.READY
        locked.save(update_fields=["customer_count", "status"])
        run.customer_count, run.status = locked.customer_count, locked.status
    return made


def confirmation_run_start(*, company: Company, period_end: date, actor: Any,
                           inline: bool = False) -> tuple[ConfirmationRun, bool]:
    """Start (or continue) the run for ``period_end``'s month. Returns (run, created). Starting it again returns
    the same run and adds only customers not yet in it. Up to ``INLINE_LIMIT`` letters (any number with
    ``inline``: the CLI and the demo) are made before this returns; more are made by a background job
    (``run.job``) the caller can follow."""
    start, end = run_period(period_end)
    if end > month_end(date(*_today_ym(), 1)):
        raise ValidationFailed(_("A run is for a month that has begun."), field="period")
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = ConfirmationRun.objects.create(company=company, period_start=start, period_end=end,
                                                     created_by=actor if getattr(actor, "is_authenticated",
                                                                                 False) else None)
                created = True
        except IntegrityError:
            run, created = ConfirmationRun.objects.get(company=company, period_end=end), False
        if created:
            audit_record(actor=actor, action="confirmation_run_started", subject=run,
                         after={"company": company.pk, "period_start": start, "period_end": end})
    pending = len(run_candidates(company=company, period_end=end)) - Confirmation.objects.filter(
        run__company=company, period_end=end).exclude(status=ConfirmationStatus.SUPERSEDED).count()
    if pending > INLINE_LIMIT and not inline:
        with transaction.atomic():
            locked = qs_for_update(ConfirmationRun.objects.all()).get(pk=run.pk)
            locked.status = RunStatus.PREPARING
            job, _created = job_start(kind=PREPARE_JOB, params={"run_id": locked.pk}, actor=actor,
                                      dedupe_key=f"run:{locked.pk}")
            locked.job = job
            locked.save(update_fields=["status", "job"])
        run.refresh_from_db()
        return run, created
    run_prepare(run=run, actor=actor)
    return run, created


def _today_ym() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month
