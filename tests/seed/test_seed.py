"""arms seed: deterministic demo data through the real services, with every payment behaviour."""

import re
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F, Min
from django.utils import translation

from arms.analytics.models import Budget
from arms.audit.actions import AuditAction
from arms.audit.models import AuditBatch, AuditEvent
from arms.audit.services import audit_verify
from arms.contracts.models import Contract
from arms.customers.models import Customer
from arms.domain.uscc import validate_uscc
from arms.exposure.models import CreditHold, HoldReason
from arms.ledger.models import Allocation, CreditNote, ExchangeRate, Invoice, Payment
from arms.ledger.services import credit_note_post, invoice_post, payment_allocate, payment_record
from arms.ledger.services.allocations import AllocationRequest
from arms.seed.load import seed_digest, seed_load
from arms.seed.plan import Behaviour, make_plan, tax_of
from arms.seed.summary import BEHAVIOUR_LABELS, LABELS
from arms.seed.users import DEMO_PASSWORD, DEMO_USERS
from tests.conftest import ledger_problems

# The demo's world ends on its "today" (activities, disputes and runs up to that day): the tests live on it.
SEED_DAY = date(2026, 11, 20)
pytestmark = pytest.mark.clock(SEED_DAY.isoformat())
SMALL = {"customers": 8, "seed": 7, "months": 6, "today": SEED_DAY}


class _RollBack(Exception):
    pass


def digest_in_a_fresh_database(**arguments) -> str:
    """Seed, take the digest, and roll everything back, so the next seed starts from the same empty state."""
    digest = ""
    try:
        with transaction.atomic():
            seed_load(make_plan(**arguments))
            digest = seed_digest()
            raise _RollBack
    except _RollBack:
        pass
    assert not Customer.objects.exists()
    return digest


def first_payment_delays(code: str) -> list[tuple[date, int]]:
    """(due date, days from due date to the first payment) for each of the customer's invoices paid at all."""
    rows = (Allocation.objects.filter(invoice__customer__code=code, payment__isnull=False)
            .values("invoice_id", "invoice__due_date").annotate(first=Min("date")))
    return [(row["invoice__due_date"], (row["first"] - row["invoice__due_date"]).days) for row in rows]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_ledger_and_another_seed_does_not():
    first = digest_in_a_fresh_database(**SMALL)
    other = digest_in_a_fresh_database(**{**SMALL, "seed": 8})
    second = digest_in_a_fresh_database(**SMALL)

    assert first == second
    assert other != first


def ledger_one_document_at_a_time(plan, *, clerk, customers, contracts, advance) -> None:
    """The reference for ``arms.seed.load.ledger_days``: the same plan through the single services, one call per
    document (the seed writes a day's invoices and payments through the bulk path)."""
    invoices: dict[int, Invoice] = {}
    for _on, kind, item in plan.ledger_events():
        if kind == "invoice":
            invoices[item.key] = invoice_post(
                actor=clerk, customer=customers[item.customer], issue_date=item.issue, net_minor=item.net,
                tax_minor=item.tax, due_date=item.due if item.explicit_due else None,
                contract=contracts[item.contract], vat_invoice_number=item.vat_number, description=item.description)
        elif kind == "credit_note":
            credit_note_post(actor=clerk, invoice=invoices[item.invoice], on=item.on, net_minor=item.net,
                             tax_minor=item.tax, reason=item.reason)
        else:
            payment = payment_record(
                actor=clerk, customer=customers[item.customer], received_date=item.received,
                amount_minor=item.amount, currency=item.currency, method=item.method, bill_number=item.bill_number,
                bill_maturity_date=item.bill_maturity, payer_name=item.payer, bank_reference=item.bank_reference)
            if item.allocate and item.lines:
                payment_allocate(actor=clerk, payment=payment, on=item.received,
                                 lines=[AllocationRequest(invoices[key].pk, amount) for key, amount in item.lines])
        advance(1)


@pytest.mark.django_db
def test_the_seed_through_the_bulk_path_writes_the_books_the_single_services_write(monkeypatch):
    bulk = digest_in_a_fresh_database(**SMALL)
    monkeypatch.setattr("arms.seed.load.ledger_days", ledger_one_document_at_a_time)
    single = digest_in_a_fresh_database(**SMALL)

    assert single == bulk


@pytest.mark.django_db
def test_the_seeds_ledger_is_audited_in_one_anchored_sub_chain():
    plan = make_plan(**SMALL)

    seed_load(plan)

    batch = AuditBatch.objects.get()
    allocations = Allocation.objects.filter(payment__isnull=False, credit_note__isnull=True).count()
    assert batch.events == len(plan.invoices) + len(plan.payments) + allocations
    assert AuditEvent.objects.filter(seq=batch.anchor_seq, action=AuditAction.AUDIT_BATCH_ANCHORED).exists()
    assert audit_verify().ok


@pytest.mark.django_db
def test_seed_writes_every_planned_document_with_gap_free_numbers():
    plan = make_plan(**SMALL)

    result = seed_load(plan)

    assert result.counts["customers"] == 8
    assert result.counts["invoices"] == len(plan.invoices) > 0
    assert result.counts["payments"] == len(plan.payments)
    assert result.counts["credit_notes"] == len(plan.credit_notes)
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"INV-{n:06d}" for n in range(1, len(plan.invoices) + 1)]
    oldest = Invoice.objects.get(number="INV-000001")
    assert oldest.issue_date == min(i.issue for i in plan.invoices)
    assert ledger_problems() == {}
    assert audit_verify().ok


@pytest.mark.django_db
def test_demo_users_one_per_role_share_the_demo_password():
    seed_load(make_plan(**SMALL))

    users = {u.username: u for u in get_user_model().objects.all()}
    assert sorted(users) == sorted(d.username for d in DEMO_USERS)
    for demo in DEMO_USERS:
        user = users[demo.username]
        assert user.check_password(DEMO_PASSWORD)
        if demo.username == "admin":
            assert (user.is_superuser, user.is_staff) == (True, True)
        else:
            assert user.is_superuser is False
            assert list(user.groups.values_list("name", flat=True)) == [demo.role.value]


@pytest.mark.django_db
def test_each_payment_behaviour_shows_in_the_ledger():
    plan = make_plan(**SMALL)

    result = seed_load(plan)

    assert sorted(result.behaviours) == sorted(b.value for b in Behaviour)
    today = plan.today
    for code in result.behaviours["prompt"]:
        assert all(-6 <= days <= 6 for _due, days in first_payment_delays(code))
    assert any(first_payment_delays(code) for code in result.behaviours["prompt"])
    for code in result.behaviours["late"]:
        assert all(20 <= days <= 42 for _due, days in first_payment_delays(code))
    assert any(first_payment_delays(code) for code in result.behaviours["late"])
    for code in result.behaviours["deteriorating"]:
        delays = first_payment_delays(code)
        assert all(0 <= days <= 10 for due, days in delays if due < plan.deteriorating_from)
        assert all(days >= 12 for due, days in delays if due >= plan.deteriorating_from)
        assert Invoice.objects.filter(customer__code=code, amount_open_minor__gt=0, due_date__lt=today).exists()
    for code in result.behaviours["defaulted"]:
        customer = Customer.objects.get(code=code)
        assert customer.status == "on_hold"
        assert not Payment.objects.filter(customer=customer, received_date__gte=plan.defaulted_from).exists()
        assert Payment.objects.filter(customer=customer, received_date__lt=plan.defaulted_from).exists()
        assert Invoice.objects.filter(customer=customer, amount_open_minor__gt=0, due_date__lt=today).exists()
    for code in result.behaviours["disputing"]:
        notes = CreditNote.objects.filter(customer__code=code)
        assert notes.exists()
        for note in notes:
            later = Allocation.objects.filter(invoice=note.invoice, payment__isnull=False)
            assert all(a.date > note.date for a in later)
        assert Invoice.objects.filter(customer__code=code, due_date__lt=today, allocations__isnull=True).exists()


@pytest.mark.django_db
def test_seed_has_partial_payments_bills_unapplied_cash_and_usd():
    plan = make_plan(**SMALL)

    seed_load(plan)

    assert Invoice.objects.filter(amount_open_minor__gt=0).exclude(amount_open_minor=F("gross_minor")).exists()
    for method in ("bank_acceptance", "commercial_acceptance"):
        bills = Payment.objects.filter(method=method)
        assert bills.exists()
        assert all(b.bill_maturity_date > b.received_date and len(b.bill_number) == 30 for b in bills)
    assert Payment.objects.filter(amount_unallocated_minor__gt=0).exists()
    usd = Customer.objects.get(currency="USD")
    assert usd.uscc == "" and usd.region == "overseas"
    assert ExchangeRate.objects.filter(currency="USD").count() == len(plan.rates) > 0
    usd_invoices = Invoice.objects.filter(customer=usd)
    assert usd_invoices.exists()
    assert all(i.currency == "USD" and i.tax_minor == 0 and i.fx_rate > 7 for i in usd_invoices)


@pytest.mark.django_db
def test_seed_customers_contracts_and_invoices_look_real():
    seed_load(make_plan(**SMALL))

    for customer in Customer.objects.exclude(currency="USD"):
        assert validate_uscc(customer.uscc) == customer.uscc
        assert customer.payment_terms_days in (30, 45, 60, 90)
        assert customer.salesperson.username in ("sales1", "sales2", "sales3")
        assert customer.collector.username in ("collector1", "collector2")
        assert customer.contacts.filter(is_primary=True).count() == 1
    assert Customer.objects.filter(payment_terms_basis="month_end").exists()
    assert not Invoice.objects.filter(contract__isnull=True).exists()
    for contract in Contract.objects.all():
        assert contract.late_interest_rate_daily > 0 and contract.penalty_rate > 0 and contract.penalty_clause
    milestones = Contract.objects.filter(milestones__isnull=False).distinct()
    assert milestones.exists()
    assert all(sum(c.milestones.values_list("share_bp", flat=True)) == 10_000 for c in milestones)
    cny = Invoice.objects.filter(currency="CNY")
    assert all(1_000_000 <= i.gross_minor <= 200_000_000 for i in cny)
    rates = {bp for i in cny for bp in (1300, 900, 600) if i.tax_minor == tax_of(i.net_minor, bp)}
    assert 1300 in rates and rates & {900, 600}


@pytest.mark.django_db
def test_seed_command_prints_a_summary_and_if_empty_leaves_a_seeded_database_alone():
    # the 1st of a month, just after midnight in China (still the day before in UTC): "today" is China's date,
    # and the month that has just begun already has collections, credit sales (so a DSO) and a budget
    with time_machine.travel(datetime(2031, 3, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        out = StringIO()
        call_command("seed", customers=3, seed=1, months=3, stdout=out)
    invoices = Invoice.objects.count()
    assert Customer.objects.count() == 3 and invoices > 0
    text = out.getvalue()
    assert "2031-01-01 to 2031-03-01" in text
    assert re.search(rf"^  Digest +{seed_digest()}$", text, re.MULTILINE)
    month = date(2031, 3, 1)
    assert Payment.objects.filter(received_date=month).exists()
    assert Invoice.objects.filter(issue_date=month).exists()
    assert Budget.objects.filter(period=month, scope="company").exists()
    holds = CreditHold.objects.filter(active=True).count()
    assert re.search(rf"^  Active credit holds +{holds}$", text, re.MULTILINE)
    labels = {str(label) for label in [*LABELS.values(), *BEHAVIOUR_LABELS.values(), *HoldReason.labels]}
    printed = [line.strip().split("  ")[0] for line in text.splitlines()[1:]]
    assert [label for label in printed if label not in labels | {"Digest"}] == []

    again = StringIO()
    call_command("seed", customers=3, seed=1, months=3, if_empty=True, stdout=again)
    assert "Digest" not in again.getvalue()
    assert (Customer.objects.count(), Invoice.objects.count()) == (3, invoices)

    with pytest.raises(CommandError):
        call_command("seed", customers=3, seed=1, months=3, stdout=StringIO())
    assert (Customer.objects.count(), Invoice.objects.count()) == (3, invoices)

    call_command("ledger", "check", stdout=StringIO())
    call_command("audit", "verify", stdout=StringIO())


@pytest.mark.parametrize("today", [date(2027, 3, 1), date(2027, 2, 28), date(2028, 2, 29), date(2027, 7, 31),
                                   date(2027, 10, 1), date(2027, 12, 15)])
@pytest.mark.parametrize("customers", [1, 2, 5, 12])
def test_the_current_month_has_an_invoice_and_cash_whatever_day_today_is(today, customers):
    plan = make_plan(customers=customers, seed=11, months=3, today=today)

    month = today.replace(day=1)
    assert any(month <= p.received <= today for p in plan.payments)
    assert any(month <= i.issue <= today for i in plan.invoices)
    assert max(p.received for p in plan.payments) <= today


def test_every_summary_label_is_translated_into_chinese():
    with translation.override("zh-hans"):
        texts = [str(label) for label in [*LABELS.values(), *BEHAVIOUR_LABELS.values()]]
    assert [text for text in texts if re.search("[A-Za-z]", text)] == []


@pytest.mark.django_db
def test_demo_logins_lists_every_demo_user_and_the_password():
    before = StringIO()
    call_command("demo_logins", stdout=before)
    assert DEMO_PASSWORD not in before.getvalue()

    call_command("seed", customers=2, seed=1, months=3, stdout=StringIO())
    out = StringIO()
    call_command("demo_logins", stdout=out)

    text = out.getvalue()
    assert DEMO_PASSWORD in text
    listed = [line.split()[0] for line in text.splitlines()[1:]]
    assert listed == [d.username for d in DEMO_USERS]
