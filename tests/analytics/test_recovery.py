"""回收率 and 催收成功率 in SQL: the worked example of docs/analytics-kpis.md, the grace setting, a bounced bill, and a
generated ledger on which the database's sums are the domain's rules applied item by item (computed here the
long way, from every allocation and dispute)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from arms.analytics.kpis import KpiScope, kpi_values
from arms.analytics.recovery import RateParts, dunning_parts, recovery_parts
from arms.cases.models import Dispute
from arms.domain import kpi as formulas
from arms.domain.money import proportional_part
from arms.ledger import services
from arms.ledger.models import Allocation, Invoice
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

OCTOBER = {"start": date(2026, 10, 1), "end": date(2026, 10, 31)}


def test_the_worked_example_of_october(recovery_book):
    # 回收率: R1 100,000 + R2 20,000 + R3 15,000 + R4 3,550 collected by their deadlines, of 100,000 + 50,000
    # + (30,000 - 5,000 credited - 10,000 disputed) + 7,100 expected; R5 (due Sat 31 Oct) is November's
    assert recovery_parts(**OCTOBER) == {None: RateParts(138_550_00, 172_100_00)}
    # 催收成功率: O1 50,000 + O2 18,000 + O3 0 + O4 14,200 of 80,000 + (30,000 - 12,000) + (25,000 - 5,000)
    # + 14,200 overdue on 1 October
    assert dunning_parts(**OCTOBER) == {None: RateParts(82_200_00, 132_200_00)}
    values = {code: kpi.value for code, kpi in kpi_values(**OCTOBER).items()}
    assert (values["recovery_rate"], values["dunning_success_rate"]) == (Decimal("80.51"), Decimal("62.18"))
    assert (values["recovery_collected"], values["recovery_expected"]) == (138_550_00, 172_100_00)
    assert (values["overdue_recovered"], values["overdue_at_start"]) == (82_200_00, 132_200_00)
    # 回款率 stays what it was: cash of October / (receivables on 30 September + October's sales)
    opening, sales, cash = values["receivables_opening"], values["credit_sales"], values["collections"]
    assert (opening, sales) == (25_000_00 + 80_000_00 + 14_200_00 + 30_000_00 + 100_000_00 + 50_000_00 + 30_000_00
                                + 7_100_00, 20_000_00)
    assert cash == 100_000_00 + 50_000_00 + 20_000_00 + 30_000_00 + 15_000_00 + 14_400_00 + 18_000_00 + 3_600_00
    assert values["collection_rate"] == formulas.percent(cash, opening + sales) == Decimal("70.45")


def test_by_salesperson_and_collector_in_one_query_each(recovery_book):
    b = recovery_book
    with CaptureQueriesContext(connection) as queries:
        by_salesperson = recovery_parts(**OCTOBER, group_by="salesperson")
    # one SELECT
    assert [q["sql"][:27] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")] == [
        "SELECT grp, SUM(collected),"]
    assert by_salesperson == {b["sam"].pk: RateParts(135_000_00, 165_000_00), b["sally"].pk: RateParts(3_550_00,
                                                                                                       7_100_00)}
    by_collector = dunning_parts(**OCTOBER, group_by="collector")
    assert by_collector == {b["cole"].pk: RateParts(68_000_00, 118_000_00), b["cora"].pk: RateParts(14_200_00,
                                                                                                   14_200_00)}
    assert (by_collector[b["cole"].pk].rate, by_salesperson[b["sally"].pk].rate) == (Decimal("57.63"),
                                                                                      Decimal("50.00"))
    sams = kpi_values(**OCTOBER, scope=KpiScope(salesperson_id=b["sam"].pk))
    assert (sams["recovery_rate"].value, sams["dunning_success_rate"].value) == (Decimal("81.82"), Decimal("57.63"))
    # a salesperson sees only their own customers' figures
    seen_by_sally = kpi_values(**OCTOBER, scope=KpiScope(user=b["sally"]))
    assert (seen_by_sally["recovery_rate"].value, seen_by_sally["dunning_success_rate"].value) == (
        Decimal("50.00"), Decimal("100.00"))


def test_september_and_november(recovery_book):
    # September: O4 (due 10 Sep) and O2 (due 15 Sep, 10,000 paid by then; its dispute came on the 20th)
    assert recovery_parts(start=date(2026, 9, 1), end=date(2026, 9, 30)) == {None: RateParts(10_000_00, 54_200_00)}
    # November: R5 (deadline 2 Nov) unpaid. Overdue on 1 November: O1 30,000, O3 20,000, R4 USD 500.00 = ¥3,550;
    # R3's 10,000 was all disputed on 31 October (the dispute was rejected only on 5 November): kept out
    november = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}
    assert recovery_parts(**november) == {None: RateParts(0, 20_000_00)}
    assert dunning_parts(**november) == {None: RateParts(0, 30_000_00 + 20_000_00 + 3_550_00)}


def test_the_grace_setting_moves_deadlines_and_periods(recovery_book, settings):
    settings.ARMS_RECOVERY_GRACE_DAYS = 3
    # three working days: R2's second payment (20 Oct) is within 15 Oct + 3; R4 (30 Oct + 3 = 4 Nov) moves to
    # November, with R5 (2 Nov + 3 = 5 Nov)
    assert recovery_parts(**OCTOBER) == {None: RateParts(165_000_00, 165_000_00)}
    assert recovery_parts(start=date(2026, 11, 1), end=date(2026, 11, 30)) == {None: RateParts(3_550_00,
                                                                                                27_100_00)}
    assert recovery_parts(**OCTOBER, grace=0) == {None: RateParts(138_550_00, 172_100_00)}


def test_a_bounced_bill_collects_nothing_in_the_month_it_bounces(book):
    # April: A1 (63,000 - 11,300 credited in March) and B1 (¥4,473.00) overdue on 1 April; the 30,000 bill of
    # 15 April goes to A1
    assert dunning_parts(start=date(2026, 4, 1), end=date(2026, 4, 30)) == {None: RateParts(30_000_00, 56_173_00)}
    # May: the bill bounces on 5 May (-30,000 on A1): nothing recovered, and not less than nothing
    assert dunning_parts(start=date(2026, 5, 1), end=date(2026, 5, 31)) == {
        None: RateParts(0, 21_700_00 + 56_500_00 + 4_473_00)}
    assert kpi_values(start=date(2026, 5, 1), end=date(2026, 5, 31))["dunning_success_rate"].value == Decimal("0.00")


def test_nothing_falling_due_is_an_empty_rate(recovery_book):
    holiday = {"start": date(2026, 10, 3), "end": date(2026, 10, 3)}
    assert recovery_parts(**holiday) == {}
    assert kpi_values(**holiday)["recovery_rate"].value is None


# ------------------------------------------------------------------------------------- the generated ledger


def _generated_ledger(seed: int) -> None:
    """Invoices issued June to September 2026 in CNY and USD, with payments, partial payments, credit notes,
    disputes (some rejected, some settled by credit note), late allocations and bounced bills, all posted in date
    order through the services."""
    rng = random.Random(seed)
    clerk = factories.user("gen-clerk", role="finance_manager")
    people = [factories.user(f"gen-s{n}", role="sales") for n in range(2)]
    collectors = [factories.user(f"gen-c{n}", role="collector") for n in range(2)]
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.10"))
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 8, 1), rate=Decimal("7.23"))
    customers = [factories.customer(f"G{n}", salesperson=people[n % 2], collector=collectors[n // 2],
                                    currency="USD" if n == 3 else "CNY") for n in range(4)]
    events = []
    for n in range(28):
        customer = rng.choice(customers)
        issued = date(2026, 6, 1) + timedelta(days=rng.randrange(120))
        due = issued + timedelta(days=rng.choice([0, 10, 30, 45]))
        gross = rng.randrange(1_000_00, 90_000_00)
        events.append((issued, 0, "invoice", (n, customer, issued, due, gross)))
        day = issued
        for _step in range(rng.randrange(0, 5)):
            day += timedelta(days=rng.randrange(0, 50))
            if day > date(2026, 11, 10):  # everything done by 4 December, today when this was written
                break
            events.append((day, 1, rng.choice(["pay", "pay", "credit", "dispute", "bill"]), n))
    events.sort(key=lambda e: (e[0], e[1]))
    invoices, disputes = {}, {}
    for day, _order, kind, data in events:
        if kind == "invoice":
            n, customer, issued, due, gross = data
            invoices[n] = factories.invoice(customer, net=gross, tax=0, issued=issued, due_date=due,
                                            number=f"G-{n}", actor=clerk)
            continue
        invoice = Invoice.objects.get(pk=invoices[data].pk)
        if invoice.amount_open_minor <= 0:
            continue
        part = max(1, invoice.amount_open_minor * rng.choice([25, 50, 100]) // 100)
        if kind in ("pay", "bill"):
            method = "bank_acceptance" if kind == "bill" else "bank_transfer"
            extra = {"bill_number": f"B-{data}-{day:%m%d}", "bill_maturity_date": day + timedelta(days=90)} \
                if kind == "bill" else {}
            paid = factories.payment(invoice.customer, amount=part, received=day, method=method, actor=clerk,
                                     currency=invoice.currency, **extra)
            services.payment_allocate(actor=clerk, payment=paid, lines=[AllocationRequest(invoice.pk, part)],
                                      on=day + timedelta(days=rng.choice([0, 0, 3])))
            if kind == "bill":
                services.payment_reverse(actor=clerk, payment=paid, reason="票据退回",
                                         on=day + timedelta(days=rng.randrange(5, 20)))
        elif kind == "credit":
            services.credit_note_post(actor=clerk, invoice=invoice, on=day, net_minor=part, tax_minor=0,
                                      reason="折让")
        elif data not in disputes:
            from arms.cases.services.disputes import dispute_raise, dispute_resolve

            disputes[data] = dispute_raise(invoice=invoice, amount_minor=part, reason_code="quality", actor=clerk,
                                           raised_on=day)
            resolution = rng.choice(["rejected", "credit_note", None])
            if resolution:
                dispute_resolve(dispute=disputes[data], resolution=resolution, actor=clerk,
                                on=day + timedelta(days=rng.randrange(1, 20)))


def _long_way(start: date, end: date, grace: int, group_by: str, seen: set) -> dict:
    """The domain's rules item by item, from every allocation and dispute (no SQL arithmetic); ``seen`` collects
    which rules the items exercised."""
    allocations = list(Allocation.objects.values("invoice_id", "date", "amount_minor", "receivable_base_minor",
                                                 "payment_id", "credit_note_id"))
    disputes = list(Dispute.objects.values("invoice_id", "raised_on", "resolved_on", "amount_minor"))
    falling: dict = {}
    overdue: dict = {}
    first_on_time = formulas.first_due_date_for(start, grace_days=grace)
    for invoice in Invoice.objects.select_related("customer"):
        group = getattr(invoice.customer, f"{group_by}_id") if group_by else None
        mine = [a for a in allocations if a["invoice_id"] == invoice.pk]

        def facts(on, *, since=None, invoice=invoice, mine=mine):
            upto = [a for a in mine if a["date"] <= on]
            open_cur = invoice.gross_minor - sum(a["amount_minor"] for a in upto)
            open_base = invoice.gross_base_minor - sum(a["receivable_base_minor"] for a in upto)
            disputed = sum(d["amount_minor"] for d in disputes if d["invoice_id"] == invoice.pk
                           and d["raised_on"] <= on and (d["resolved_on"] is None or d["resolved_on"] > on))
            part = min(disputed, max(open_cur, 0))
            disputed_base = proportional_part(open_base, open_cur, part) if open_cur > 0 and part > 0 else 0
            window = [a for a in mine if (since is None and a["date"] <= on)
                      or (since is not None and since[0] <= a["date"] <= since[1])]
            paid = sum(a["receivable_base_minor"] for a in window if a["payment_id"])
            credited = sum(a["receivable_base_minor"] for a in window if a["credit_note_id"])
            return open_cur, open_base, disputed_base, paid, credited

        deadline = formulas.collection_deadline(invoice.due_date, grace_days=grace)
        if start <= deadline <= end:
            _open, _base, disputed, paid, credited = facts(deadline)
            item = formulas.FallingDue(gross=invoice.gross_base_minor, credited=credited, collected=paid,
                                       disputed=disputed)
            falling.setdefault(group, []).append(item)
            seen.update(name for name, used in [("due: disputed", item.disputed_part), ("due: credited", credited),
                                                ("due: part paid", 0 < item.collected_part < item.amount_due),
                                                ("due: moved", deadline != invoice.due_date),
                                                ("due: foreign", invoice.currency != "CNY" and paid)] if used)
        day_before = start - timedelta(days=1)
        if invoice.issue_date <= day_before and invoice.due_date < first_on_time:
            open_cur, open_base, disputed, paid, credited = facts(day_before, since=(start, end))
            if open_cur > 0:
                item = formulas.OverdueAtStart(open=open_base, disputed=disputed, credited=credited, collected=paid)
                overdue.setdefault(group, []).append(item)
                seen.update(name for name, used in [("overdue: disputed", disputed), ("overdue: credited", credited),
                                                    ("overdue: part paid", 0 < item.recovered < item.base),
                                                    ("overdue: foreign", invoice.currency != "CNY" and paid)] if used)
    return {
        "recovery": {g: RateParts(sum(i.collected_part for i in items), sum(i.expected for i in items))
                     for g, items in falling.items()},
        "dunning": {g: RateParts(sum(i.recovered for i in items), sum(i.base for i in items))
                    for g, items in overdue.items()},
    }


def test_the_database_applies_the_domain_rules_on_a_generated_ledger(db, company):
    _generated_ledger(seed=9)
    assert Allocation.objects.filter(reverses__isnull=False).exists()  # bounced bills
    assert Allocation.objects.filter(credit_note__isnull=False).exists()
    assert Dispute.objects.exists() and Invoice.objects.filter(currency="USD").exists()
    checked, seen = 0, set()
    for start, end, grace, group_by in [
        (date(2026, 7, 1), date(2026, 7, 31), 0, ""), (date(2026, 8, 1), date(2026, 8, 31), 0, "salesperson"),
        (date(2026, 9, 1), date(2026, 9, 30), 0, "collector"), (date(2026, 10, 1), date(2026, 10, 31), 0, ""),
        (date(2026, 9, 1), date(2026, 11, 30), 2, "salesperson"), (date(2026, 8, 10), date(2026, 10, 9), 1, ""),
    ]:
        expected = _long_way(start, end, grace, group_by, seen)
        got_recovery = recovery_parts(start=start, end=end, group_by=group_by, grace=grace)
        got_dunning = dunning_parts(start=start, end=end, group_by=group_by, grace=grace)
        assert got_recovery == expected["recovery"], (start, end, grace, group_by)
        assert got_dunning == expected["dunning"], (start, end, grace, group_by)
        checked += sum(p.whole for p in got_recovery.values()) > 0 and sum(p.whole for p in got_dunning.values()) > 0
    assert checked >= 4
    # every rule met at least once (a bounced bill in the period: test_a_bounced_bill_collects_nothing...)
    assert seen >= {"due: credited", "due: disputed", "due: foreign", "due: moved", "due: part paid",
                    "overdue: credited", "overdue: disputed", "overdue: foreign", "overdue: part paid"}
