"""limitation_refresh: collect the interruptions ARMS already records, then recompute every clock.

Each source is read by one query (two where a record that names no invoice stands for all of the customer's
overdue open invoices), its facts are written with ``bulk_create(ignore_conflicts=True)`` against the unique
(invoice, kind, source) constraint, so refreshing twice adds nothing and a concurrent refresh is harmless. No
query per invoice or per customer, and no list of ids in SQL: records are chosen by joins and subqueries.

The sources (see docs/domain/limitation.md):

- **demand delivered** (催收送达): a dunning e-mail the SMTP server accepted (``dunning.action:<id>``, the
  invoices the action listed, the day it was sent); a collection activity of kind letter, lawyer's letter,
  visit or e-mail, outgoing, with an evidence file (a postal receipt, a signed visit record), not returned
  undelivered and not merely issued by a dunning run (``cases.activity:<id>``, its invoices);
- **the debtor's acknowledgement**: a confirmed balance confirmation (``confirmations.confirmation:<id>``, the
  open items of its frozen snapshot, the day of the answer, the signed scan); a part payment, i.e. a payment's
  allocation that is not reversed and leaves the invoice partly open (``ledger.allocation:<id>``); a promise to
  pay that was not cancelled (``cases.promise:<id>``, the day it was made); an approved installment plan
  (``cases.plan:<id>``, its invoices, the day it was approved).

An activity or promise that names no invoice interrupts each invoice of the customer that was overdue on its day
and is open now (a settled invoice's clock is stopped anyway).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from arms.audit.services import audit_record
from arms.cases.enums import ActivityKind, Direction, PlanStatus, PromiseStatus
from arms.cases.models import Activity, InstallmentPlan, PromiseToPay
from arms.confirmations.enums import ConfirmationStatus
from arms.confirmations.models import Confirmation
from arms.dunning.models import DunningItem, EmailStatus, ItemOutcome
from arms.ledger.models import Allocation, Invoice
from arms.limitation.enums import InterruptionKind
from arms.limitation.models import LimitationInterruption
from arms.limitation.services.clocks import clocks_recompute
from arms.limitation.services.settings import limitation_settings_for

if TYPE_CHECKING:
    from arms.customers.models import Company

BATCH = 1_000
#: activity kinds that put a demand before the debtor
DEMAND_ACTIVITIES = (ActivityKind.LETTER, ActivityKind.LAWYER_LETTER, ActivityKind.VISIT, ActivityKind.EMAIL)
#: outcomes that say the demand did not arrive, or was only issued (a dunning run's letter before it is posted)
NOT_DELIVERED = ("returned", "no_answer", "wrong_contact", "issued", "queued")
#: plans the debtor agreed to and finance approved
AGREED_PLANS = (PlanStatus.ACTIVE, PlanStatus.COMPLETED, PlanStatus.BREACHED)

Fact = tuple[int, int, date, str, int | None, str]  # invoice, customer, day, source, evidence, its file name


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _dunning_emails(company: Company) -> Iterator[Fact]:
    rows = (DunningItem.objects.filter(
        outcome=ItemOutcome.ACTIONED, action__run__company=company, action__email__status=EmailStatus.SENT)
        .values_list("invoice_id", "customer_id", "action__email__sent_at", "action_id").order_by("pk"))
    for invoice_id, customer_id, sent_at, action_id in rows.iterator(chunk_size=BATCH):
        day = _day(sent_at)
        if day is not None:
            yield invoice_id, customer_id, day, f"dunning.action:{action_id}", None, ""


def _open_overdue_by_customer(customers: QuerySet[Any, Any]) -> dict[int, list[tuple[int, date]]]:
    """customer -> [(invoice, due date)] of the open invoices of the customers ``customers`` (a subquery of ids)."""
    found: dict[int, list[tuple[int, date]]] = defaultdict(list)
    rows = (Invoice.objects.filter(customer_id__in=customers, amount_open_minor__gt=0)
            .values_list("pk", "customer_id", "due_date").order_by("pk"))
    for pk, customer_id, due in rows.iterator(chunk_size=BATCH):
        found[customer_id].append((pk, due))
    return found


def _activities(company: Company) -> Iterator[Fact]:
    chosen = (Activity.objects.filter(customer__company=company, kind__in=DEMAND_ACTIVITIES, direction=Direction.OUT,
                                      attachment__isnull=False)
              .exclude(outcome__in=NOT_DELIVERED).exclude(source="dunning"))
    through = Activity.invoices.through.objects.filter(activity__in=chosen)
    rows = (through.values_list("invoice_id", "activity__customer_id", "activity__occurred_at", "activity_id",
                                "activity__attachment_id", "activity__attachment_name").order_by("pk"))
    for invoice_id, customer_id, occurred_at, activity_id, attachment_id, name in rows.iterator(chunk_size=BATCH):
        yield (invoice_id, customer_id, timezone.localdate(occurred_at), f"cases.activity:{activity_id}",
               attachment_id, name)
    unnamed = chosen.filter(invoices__isnull=True)
    open_by_customer = _open_overdue_by_customer(unnamed.values("customer_id"))
    for activity_id, customer_id, occurred_at, attachment_id, name in (
            unnamed.values_list("pk", "customer_id", "occurred_at", "attachment_id", "attachment_name")
            .order_by("pk").iterator(chunk_size=BATCH)):
        day = timezone.localdate(occurred_at)
        for invoice_id, due in open_by_customer.get(customer_id, ()):
            if due < day:
                yield invoice_id, customer_id, day, f"cases.activity:{activity_id}", attachment_id, name


def _confirmations(company: Company) -> Iterator[Fact]:
    # the snapshot is canonical JSON of the letter: its open items name the invoices the customer acknowledged
    rows = (Confirmation.objects.filter(company=company, status=ConfirmationStatus.CONFIRMED)
            .values_list("pk", "customer_id", "answered_on", "answered_at", "scan_id", "scan_name", "snapshot")
            .order_by("pk"))
    for pk, customer_id, answered_on, answered_at, scan_id, scan_name, snapshot in rows.iterator(chunk_size=200):
        day = answered_on or _day(answered_at)
        if day is None:
            continue
        for item in json.loads(snapshot).get("open_items", ()):
            yield (int(item["invoice_id"]), customer_id, day, f"confirmations.confirmation:{pk}", scan_id,
                   scan_name if scan_id else "")


def _part_payments(company: Company) -> Iterator[Fact]:
    rows = (Allocation.objects.filter(company=company, payment__isnull=False, reverses__isnull=True,
                                      reversed_by__isnull=True, amount_minor__lt=F("invoice__gross_minor"))
            .values_list("invoice_id", "invoice__customer_id", "date", "pk").order_by("pk"))
    for invoice_id, customer_id, day, pk in rows.iterator(chunk_size=BATCH):
        yield invoice_id, customer_id, day, f"ledger.allocation:{pk}", None, ""


def _promises(company: Company) -> Iterator[Fact]:
    chosen = PromiseToPay.objects.filter(customer__company=company).exclude(status=PromiseStatus.CANCELLED)
    through = PromiseToPay.invoices.through.objects.filter(promisetopay__in=chosen)
    for invoice_id, customer_id, made_on, pk in (
            through.values_list("invoice_id", "promisetopay__customer_id", "promisetopay__made_on", "promisetopay_id")
            .order_by("pk").iterator(chunk_size=BATCH)):
        yield invoice_id, customer_id, made_on, f"cases.promise:{pk}", None, ""
    unnamed = chosen.filter(invoices__isnull=True)
    open_by_customer = _open_overdue_by_customer(unnamed.values("customer_id"))
    for pk, customer_id, made_on in unnamed.values_list("pk", "customer_id", "made_on").order_by("pk").iterator(
            chunk_size=BATCH):
        for invoice_id, due in open_by_customer.get(customer_id, ()):
            if due < made_on:
                yield invoice_id, customer_id, made_on, f"cases.promise:{pk}", None, ""


def _plans(company: Company) -> Iterator[Fact]:
    chosen = InstallmentPlan.objects.filter(customer__company=company, status__in=AGREED_PLANS,
                                            decided_at__isnull=False)
    through = InstallmentPlan.invoices.through.objects.filter(installmentplan__in=chosen)
    for invoice_id, customer_id, decided_at, pk in (
            through.values_list("invoice_id", "installmentplan__customer_id", "installmentplan__decided_at",
                                "installmentplan_id").order_by("pk").iterator(chunk_size=BATCH)):
        yield invoice_id, customer_id, timezone.localdate(decided_at), f"cases.plan:{pk}", None, ""


SOURCES = (
    (InterruptionKind.DEMAND_DELIVERED, _dunning_emails),
    (InterruptionKind.DEMAND_DELIVERED, _activities),
    (InterruptionKind.CONFIRMATION, _confirmations),
    (InterruptionKind.PART_PAYMENT, _part_payments),
    (InterruptionKind.PROMISE, _promises),
    (InterruptionKind.INSTALLMENT_PLAN, _plans),
)


def _write(company: Company, kind: str, facts: Iterable[Fact], today: date) -> None:
    batch: list[LimitationInterruption] = []
    for invoice_id, customer_id, day, source, evidence_id, evidence_name in facts:
        if day > today:
            continue
        batch.append(LimitationInterruption(company_id=company.pk, customer_id=customer_id, invoice_id=invoice_id,
                                            kind=kind, date=day, source=source, evidence_id=evidence_id,
                                            evidence_name=(evidence_name or "")[:200] if evidence_id else ""))
        if len(batch) >= BATCH:
            LimitationInterruption.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        LimitationInterruption.objects.bulk_create(batch, ignore_conflicts=True)


@transaction.atomic
def limitation_refresh(*, company: Company, actor: Any = None, today: date | None = None) -> dict[str, int]:
    """Collect the interruptions of every source, then recompute every clock of the company. Returns the number
    of interruptions added and of clocks written; audited as one ``limitation_refreshed`` event."""
    today = today or timezone.localdate()
    settings = limitation_settings_for(company)
    mine = LimitationInterruption.objects.filter(company=company)
    before = mine.count()
    for kind, source in SOURCES:
        _write(company, kind, source(company), today)
    added = mine.count() - before
    clocks = clocks_recompute(company=company, invoice_filter=Q(), today=today, settings=settings)
    result = {"interruptions_added": added, "clocks": clocks}
    audit_record(actor=actor, action="limitation_refreshed", subject=settings, after={**result, "as_of": today})
    return result
