"""The worklist read as values (``cases.selectors.worklist``) equals the computation it replaced, kept here as
the reference: a model per customer, ``IN`` lists of ids, every row made before ranking. A varied book: two
currencies at two rates, grades, broken and open promises, open tasks and disputes, regions, collectors, a
salesperson who sees only their own customers, and every filter."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum

from arms.cases import selectors
from arms.cases.enums import DisputeStatus, PromiseStatus, TaskStatus
from arms.cases.models import Dispute, PromiseToPay, Task
from arms.cases.services import dispute_raise, task_create
from arms.credit.models import CreditProfile
from arms.customers.selectors import customers_visible_to
from arms.domain import worklist as scoring
from arms.domain.money import BASE_CURRENCY
from arms.domain.terms import days_overdue
from arms.ledger import services
from arms.ledger.models import Invoice
from tests import factories

AS_OF = date(2026, 3, 20)


def reference_worklist(*, user, as_of: date, collector_id=None, grade="", region="", bucket="",
                       has_open_tasks=None, search="") -> list[dict[str, Any]]:
    """The worklist as it was computed before it was read as values (one customer model per row)."""
    customers = customers_visible_to(user)
    if collector_id:
        customers = customers.filter(collector_id=collector_id)
    if region:
        customers = customers.filter(region=region)
    if search:
        customers = customers.filter(Q(code__icontains=search) | Q(name__icontains=search))
    sums = (Invoice.objects.filter(customer__in=customers, amount_open_minor__gt=0).values("customer_id", "currency")
            .annotate(open_minor=Sum("amount_open_minor"),
                      overdue_minor=Sum("amount_open_minor", filter=Q(due_date__lt=as_of)),
                      overdue_gross=Sum("gross_minor", filter=Q(due_date__lt=as_of)),
                      overdue_gross_base=Sum("gross_base_minor", filter=Q(due_date__lt=as_of)),
                      oldest_due=Min("due_date")))
    per_customer: dict[int, dict[str, Any]] = {}
    for row in sums:
        entry = per_customer.setdefault(row["customer_id"], {"open": {}, "overdue": {}, "overdue_base": 0,
                                                             "oldest_due": row["oldest_due"]})
        entry["open"][row["currency"]] = row["open_minor"]
        entry["oldest_due"] = min(entry["oldest_due"], row["oldest_due"])
        overdue = row["overdue_minor"] or 0
        if overdue:
            entry["overdue"][row["currency"]] = overdue
            if row["currency"] == BASE_CURRENCY or not row["overdue_gross"]:
                entry["overdue_base"] += overdue
            else:
                entry["overdue_base"] += overdue * row["overdue_gross_base"] // row["overdue_gross"]
    ids = list(per_customer)
    grades = dict(CreditProfile.objects.filter(customer_id__in=ids).values_list("customer_id", "grade"))
    broken = {pk: f["broken_promises"] for pk, f in selectors.trade_history(customer_ids=ids, as_of=as_of).items()}
    tasks = {row["customer_id"]: row for row in Task.objects.filter(customer_id__in=ids, status=TaskStatus.OPEN)
             .values("customer_id").annotate(n=Count("pk"), next_due=Min("due_on"))}
    promises = dict(PromiseToPay.objects.filter(customer_id__in=ids, status=PromiseStatus.OPEN)
                    .values("customer_id").annotate(n=Count("pk")).values_list("customer_id", "n"))
    disputes = dict(Dispute.objects.filter(customer_id__in=ids, status=DisputeStatus.OPEN)
                    .values("customer_id").annotate(n=Count("pk")).values_list("customer_id", "n"))
    oldest = (Invoice.objects.filter(customer_id=OuterRef("pk"), amount_open_minor__gt=0)
              .order_by("due_date", "pk").values("pk")[:1])
    objects = (customers.filter(pk__in=ids).select_related("collector", "salesperson")
               .annotate(oldest_open_invoice_id=Subquery(oldest)).in_bulk())
    rows = []
    for pk, entry in per_customer.items():
        customer = objects[pk]
        facts = scoring.WorklistFacts(customer_id=pk, code=customer.code, overdue_base_minor=entry["overdue_base"],
                                      max_days_overdue=days_overdue(entry["oldest_due"], as_of),
                                      grade=grades.get(pk, "") or "", broken_promises=broken.get(pk, 0))
        task_row = tasks.get(pk)
        rows.append({
            "pk": pk, "code": customer.code, "name": customer.name, "region": customer.get_region_display(),
            "collector": customer.collector, "oldest_open_invoice_id": customer.oldest_open_invoice_id,
            "facts": facts, "parts": scoring.score_parts(facts), "open": entry["open"], "overdue": entry["overdue"],
            "open_tasks": task_row["n"] if task_row else 0, "next_task_due": task_row["next_due"] if task_row else None,
            "open_promises": promises.get(pk, 0), "open_disputes": disputes.get(pk, 0),
        })

    def matches(row) -> bool:
        facts = row["facts"]
        if grade and facts.grade != ("" if grade == "unrated" else grade.upper()):
            return False
        for code, low, high in selectors.OVERDUE_BUCKETS:
            if code == bucket and ((low is not None and facts.max_days_overdue < low)
                                   or (high is not None and facts.max_days_overdue > high)):
                return False
        return has_open_tasks is None or (row["open_tasks"] > 0) == has_open_tasks

    rows = [r for r in rows if matches(r)]
    order = {f.customer_id: i for i, f in enumerate(scoring.rank([r["facts"] for r in rows]))}
    return sorted(rows, key=lambda r: order[r["pk"]])


def as_dict(row: selectors.WorklistRow) -> dict[str, Any]:
    customer = row.customer
    return {"pk": customer.pk, "code": customer.code, "name": customer.name, "region": customer.get_region_display(),
            "collector": customer.collector, "oldest_open_invoice_id": customer.oldest_open_invoice_id,
            "facts": row.facts, "parts": row.parts, "open": row.open_by_currency, "overdue": row.overdue_by_currency,
            "open_tasks": row.open_tasks, "next_task_due": row.next_task_due, "open_promises": row.open_promises,
            "open_disputes": row.open_disputes}


@pytest.fixture
def varied_book(db):
    rng = random.Random(17)
    clerk = factories.user("wl-clerk", role="finance_clerk")
    sales = factories.user("wl-sales", role="sales")
    collectors = [factories.user(f"wl-coll-{i}", role="collector") for i in range(3)]
    services.exchange_rate_set(actor=None, currency="USD", on=date(2025, 1, 1), rate=Decimal("7.1"))
    services.exchange_rate_set(actor=None, currency="USD", on=date(2025, 12, 1), rate=Decimal("7.25"))
    for n in range(40):
        customer = factories.customer(f"WL{n:03d}", region=rng.choice(["east", "north", "south"]),
                                      collector=rng.choice([*collectors, None]),
                                      salesperson=sales if n % 3 == 0 else None)
        if n % 4:
            CreditProfile.objects.create(customer=customer, grade=rng.choice(["A", "B", "C", "D", ""]))
        invoices = []
        for i in range(rng.randint(0, 4)):
            issued = AS_OF - timedelta(days=rng.randint(0, 300))
            invoices.append(factories.invoice(customer, number=f"INV-WL-{n}-{i}", issued=issued, actor=clerk,
                                              net=rng.choice([50_000, 1_200_000, 9_000_000, 160_000_000]), tax=0,
                                              currency=rng.choice(["CNY", "CNY", "USD"])))
        if invoices and n % 5 == 0:  # paid in full: off the list
            first = invoices[0]
            factories.payment(customer, amount=first.gross_minor, received=AS_OF - timedelta(days=1), actor=clerk,
                              currency=first.currency, auto_allocate=True)
        for _ in range(rng.randint(0, 3)):
            made = AS_OF - timedelta(days=rng.randint(5, 400))
            status = rng.choice([PromiseStatus.BROKEN, PromiseStatus.OPEN, PromiseStatus.KEPT])
            PromiseToPay.objects.create(customer=customer, currency="CNY", amount_minor=100, made_on=made,
                                        promised_on=made + timedelta(days=3), status=status,
                                        closed_on=None if status == PromiseStatus.OPEN else made + timedelta(days=4))
        if rng.random() < 0.4:
            task_create(customer=customer, kind="call", title="Call", level="finance",
                        due_on=AS_OF + timedelta(days=rng.randint(-5, 5)))
        if invoices and n % 5 and rng.random() < 0.4:
            dispute_raise(invoice=invoices[-1], amount_minor=100, reason_code="price", actor=clerk,
                          raised_on=invoices[-1].issue_date)
    return clerk, sales, collectors


FILTERS = [{}, {"grade": "unrated"}, {"grade": "b"}, {"region": "north"}, {"search": "wl01"},
           {"has_open_tasks": True}, {"has_open_tasks": False},
           *({"bucket": code} for code, _low, _high in selectors.OVERDUE_BUCKETS)]


def test_the_worklist_equals_the_row_by_row_reference_on_a_varied_book(varied_book):
    clerk, sales, collectors = varied_book
    for viewer, filters in itertools.product([clerk, sales], FILTERS):
        expected = reference_worklist(user=viewer, as_of=AS_OF, **filters)
        got = selectors.worklist(user=viewer, as_of=AS_OF, **filters)
        assert [as_dict(row) for row in got] == expected, (viewer.username, filters)
        assert len(got) == len(expected)
        assert got.overdue_total_minor == sum(r["facts"].overdue_base_minor for r in expected)
    for collector in collectors:
        expected = reference_worklist(user=clerk, as_of=AS_OF, collector_id=collector.pk)
        assert [as_dict(row) for row in selectors.worklist(user=clerk, as_of=AS_OF, collector_id=collector.pk)] \
            == expected
    whole = reference_worklist(user=clerk, as_of=AS_OF)
    assert len(whole) > 15  # the book is varied enough to rank: several customers on several pages
    got = selectors.worklist(user=clerk, as_of=AS_OF)
    # a page is the same slice of the ranking, made alone
    assert [as_dict(row) for row in got[5:12]] == whole[5:12]
    assert as_dict(got[3]) == whole[3]
