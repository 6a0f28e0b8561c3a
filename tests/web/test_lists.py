"""Every list page: it pages (the links keep the filters), its totals are sums over every page, its Excel and CSV
exports hold every filtered row, and no exported cell is a formula however a customer or a note is named.

Each case builds ROWS rows that match its filter (more than one page of PER_PAGE) and one that does not, among
them customers named like formula injections. Dates are derived from today, so the cases hold on any day.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from arms.web.exports import FORMULA_STARTS
from tests import factories

EVIL = ['=HYPERLINK("http://evil.example","x")', "@SUM(1+1)", "+1", "-1", "=cmd|' /C calc'!A0"]
ROWS = 12
PER_PAGE = 10
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class Case:
    """One list page as a test sees it: where it is, which filters select the ROWS rows, how it is checked."""

    url: str
    filters: dict
    rows: int = ROWS  # data rows every export must hold
    footer: int = 0  # totals rows after the data rows in an export
    preamble: int = 0
    total_column: str = ""  # an amount column whose sum over every row the page's totals show
    evil: list = field(default_factory=lambda: list(EVIL))  # texts that must come out as text
    # a page of PER_PAGE rows with one query per row would need more; None where a row is its own computation
    max_queries: int | None = 15


def name(i: int) -> str:
    return EVIL[i] if i < len(EVIL) else f"列表客户{i:02d}有限公司"


def customers(n: int = ROWS, **fields):
    return [factories.customer(f"L{i:03d}", name=name(i), **fields) for i in range(n)]


@pytest.fixture


def viewer(db):
    return factories.user("list-viewer", superuser=True)


@pytest.fixture


def today():
    return timezone.localdate()


# ---------------------------------------------------------------- the cases, one builder each


def case_customers(viewer, today):
    for cust in customers(region="east"):
        factories.invoice(cust, issued=today - timedelta(days=40), net=100_000 + cust.pk, tax=0)
    factories.customer("X001", name="别处客户", region="north")
    return Case(reverse("web:customer_list"), {"region": "east"}, total_column="Open amount")


def case_invoices(viewer, today):
    for cust in customers():
        factories.invoice(cust, issued=today - timedelta(days=40), net=100_000 + cust.pk, tax=13_000)
    factories.invoice(factories.customer("X001"), issued=today - timedelta(days=400))
    return Case(reverse("web:invoice_list"), {"date_from": (today - timedelta(days=100)).isoformat()},
                total_column="Open amount")


def case_payments(viewer, today):
    for cust in customers():
        factories.payment(cust, received=today - timedelta(days=5), amount=50_000 + cust.pk, payer_name=cust.name)
    factories.payment(factories.customer("X001"), received=today - timedelta(days=400))
    return Case(reverse("web:payment_list"), {"date_from": (today - timedelta(days=100)).isoformat()},
                total_column="Amount")


def case_ledger_approvals(viewer, today):
    from arms.ledger.models import LedgerApproval

    for cust in [*customers(), factories.customer("X001")]:
        LedgerApproval.objects.create(
            company=cust.company, customer=cust, kind="invoice", currency="CNY", amount_minor=200_000_000 + cust.pk,
            amount_base_minor=200_000_000 + cust.pk, threshold_minor=100_000_000, arguments={}, reason=cust.name,
            requested_by=viewer, status="rejected" if cust.code == "X001" else "pending",
            decided_at=timezone.now() if cust.code == "X001" else None)
    return Case(reverse("web:approval_list"), {"status": "pending"})


def case_credit_files(viewer, today):
    from arms.credit.models import CreditProfile

    for cust in customers():
        CreditProfile.objects.create(customer=cust, grade="B", score=70, limit_minor=1_000_000, currency="CNY")
    CreditProfile.objects.create(customer=factories.customer("X001"), grade="A", score=90, currency="CNY")
    return Case(reverse("credit:index"), {"grade": "B"})


def case_limit_requests(viewer, today):
    from arms.credit.models import LimitChangeRequest

    for cust in [*customers(), factories.customer("X001")]:
        LimitChangeRequest.objects.create(
            customer=cust, currency="CNY", requested_limit_minor=2_000_000, justification=cust.name,
            status="approved" if cust.code == "X001" else "pending", requested_by=viewer)
    return Case(reverse("credit:limit_requests"), {"status": "pending"})


def case_holds(viewer, today):
    from arms.exposure.models import CreditHold

    for cust in customers():
        CreditHold.objects.create(customer=cust, reason_code="manual", note=cust.name, placed_by=viewer)
    CreditHold.objects.create(customer=factories.customer("X001"), reason_code="manual", note="old", active=False,
                              released_at=timezone.now(), released_by=viewer, release_note="paid")
    return Case(reverse("exposure:hold_list"), {"state": "active"})


def case_overrides(viewer, today):
    from arms.exposure.models import CreditOverride

    for cust in [*customers(), factories.customer("X001")]:
        CreditOverride.objects.create(customer=cust, amount_minor=300_000 + cust.pk, currency="CNY", reason=cust.name,
                                      requested_by=viewer, status="rejected" if cust.code == "X001" else "requested")
    return Case(reverse("exposure:override_list"), {"status": "requested"}, total_column="Amount")


def case_tasks(viewer, today):
    from arms.cases.models import Task

    for cust in [*customers(), factories.customer("X001")]:
        done = cust.code == "X001"
        Task.objects.create(customer=cust, title=cust.name, assignee=viewer, due_on=today,
                            status="done" if done else "open", closed_at=timezone.now() if done else None)
    return Case(reverse("cases:tasks"), {"show": "all"})


def case_disputes(viewer, today):
    from arms.cases.models import Dispute

    for cust in [*customers(), factories.customer("X001")]:
        invoice = factories.invoice(cust, issued=today - timedelta(days=20))
        closed = cust.code == "X001"
        Dispute.objects.create(customer=cust, invoice=invoice, currency="CNY", amount_minor=10_000 + cust.pk,
                               reason_code="price", description=cust.name, raised_on=today, sla_due_on=today,
                               status="resolved" if closed else "open", resolution="rejected" if closed else "",
                               resolved_on=today if closed else None)
    return Case(reverse("cases:disputes"), {"status": "open"}, total_column="Disputed amount")


def case_promises(viewer, today):
    from arms.cases.models import PromiseToPay

    for cust in [*customers(), factories.customer("X001")]:
        PromiseToPay.objects.create(customer=cust, currency="CNY", amount_minor=20_000 + cust.pk, made_on=today,
                                    promised_on=today + timedelta(days=7), note=cust.name, created_by=viewer,
                                    status="kept" if cust.code == "X001" else "open")
    return Case(reverse("cases:promises"), {"status": "open"}, total_column="Amount")


def case_plans(viewer, today):
    from arms.cases.models import InstallmentPlan

    manager = factories.user("plan-manager", role="finance_manager")
    for cust in [*customers(), factories.customer("X001")]:
        decided = cust.code == "X001"
        InstallmentPlan.objects.create(customer=cust, currency="CNY", total_minor=30_000 + cust.pk, note=cust.name,
                                       starts_on=today, requested_by=viewer,
                                       status="approved" if decided else "pending",
                                       decided_by=manager if decided else None,
                                       decided_at=timezone.now() if decided else None)
    return Case(reverse("cases:plans"), {"status": "pending"}, total_column="Total")


def _dunning_actions(viewer, today, *, extra_status="done"):
    from arms.dunning.models import DunningAction, DunningRun, DunningStage
    from arms.dunning.services import policy_ensure_default

    policy = policy_ensure_default()
    stage = DunningStage.objects.filter(policy=policy).order_by("offset_days").first()
    run = DunningRun.objects.create(as_of=today, trigger="ui", started_by=viewer)
    actions = []
    for cust in [*customers(), factories.customer("X001")]:
        actions.append(DunningAction.objects.create(
            run=run, customer=cust, policy=policy, stage=stage, stage_offset=stage.offset_days, level=stage.level,
            as_of=today, currency="CNY", open_minor=40_000 + cust.pk, interest_minor=100, penalty_minor=0,
            deadline=today + timedelta(days=7), status=extra_status if cust.code == "X001" else "pending"))
    return run, actions


def case_dunning_actions(viewer, today):
    _dunning_actions(viewer, today)
    return Case(reverse("dunning:overview"), {"status": "pending"}, total_column="Open amount")


def case_dunning_run(viewer, today):
    from arms.dunning.models import DunningAction

    run, actions = _dunning_actions(viewer, today)
    other = actions[-1]
    other_run = type(run).objects.create(as_of=today - timedelta(days=1), trigger="ui")
    DunningAction.objects.filter(pk=other.pk).update(run=other_run)
    return Case(reverse("dunning:run", args=[run.pk]), {}, total_column="Open amount")


def case_dunning_emails(viewer, today):
    from arms.dunning.models import DunningEmail

    _run, actions = _dunning_actions(viewer, today)
    for action in actions:
        DunningEmail.objects.create(action=action, customer=action.customer, to_address="ap@buyer.example.cn",
                                    language="zh-hans", subject=action.customer.name, body="…",
                                    message_id=f"<{action.pk}@arms.test>",
                                    status="sent" if action.customer.code == "X001" else "failed",
                                    sent_at=timezone.now() if action.customer.code == "X001" else None,
                                    last_error=action.customer.name)
    return Case(reverse("dunning:emails"), {"status": "failed"})


def case_dunning_runs(viewer, today):
    from arms.dunning.models import DunningRun

    for i in range(ROWS):
        DunningRun.objects.create(as_of=today - timedelta(days=i), trigger="ui", started_by=viewer, error=name(i))
    return Case(reverse("dunning:runs"), {})


def case_dunning_exclusions(viewer, today):
    from arms.dunning.models import DunningExclusion

    for cust in [*customers(), factories.customer("X001")]:
        DunningExclusion.objects.create(customer=cust, reason=cust.name, created_by=viewer,
                                        lifted_at=timezone.now() if cust.code == "X001" else None)
    return Case(reverse("dunning:exclusions"), {})


def case_budgets(viewer, today):
    from arms.analytics.models import Budget

    for month in range(1, ROWS + 1):
        Budget.objects.create(period=date(2025, month, 1), scope="company", collections_target_minor=1_000_000,
                              note=name(month - 1), created_by=viewer)
    Budget.objects.create(period=date(2024, 12, 1), scope="company", collections_target_minor=1, created_by=viewer)
    # each budget's actuals are the month's KPIs of its team (kpi_values: a dozen aggregates per budget row, more
    # on PostgreSQL), so the page's queries grow with the page shown (never with the year's budgets): no bound here
    return Case(reverse("analytics:budgets"), {"year": "2025"}, max_queries=None)


def case_report_runs(viewer, today):
    from arms.reports.models import ReportRun

    for i in range(ROWS):
        ReportRun.objects.create(kind="monthly", period=date(2025, 1, 1) + timedelta(days=31 * i), format="pdf",
                                 filename=f"report-{i}.pdf", content=b"%PDF-", size_bytes=5, sha256="0" * 64,
                                 generated_at=timezone.now(), trigger="cli", emailed_to=[name(i)])
    return Case(reverse("reports:monthly"), {})


def case_notifications(viewer, today):
    from arms.common.models import Notification

    for i in range(ROWS):
        Notification.objects.create(user=viewer, kind="report", subject=name(i), body=name(i))
    Notification.objects.create(user=factories.user("someone-else"), kind="report", subject="not yours", body="")
    return Case(reverse("web:notification_list"), {})


def case_aging(viewer, today):
    for cust in customers(region="east"):
        factories.invoice(cust, issued=today - timedelta(days=70), net=100_000 + cust.pk, tax=0)
    factories.invoice(factories.customer("X001", region="north"), issued=today - timedelta(days=70))
    # a group's label is "code name", so no cell begins with the names here: aging items export the names
    return Case(reverse("analytics:aging"), {"as_of": today.isoformat(), "group_by": "customer", "region": "east"},
                footer=2, total_column="Total (CNY)", evil=[])


def case_aging_items(viewer, today):
    for cust in customers(region="east"):
        factories.invoice(cust, issued=today - timedelta(days=70), net=100_000 + cust.pk, tax=0)
    factories.invoice(factories.customer("X001", region="north"), issued=today - timedelta(days=70))
    return Case(reverse("analytics:aging_items"), {"as_of": today.isoformat(), "region": "east"})


def case_worklist(viewer, today):
    for cust in customers(region="east"):
        factories.invoice(cust, issued=today - timedelta(days=70), net=100_000 + cust.pk, tax=0)
    factories.invoice(factories.customer("X001", region="north"), issued=today - timedelta(days=70))
    return Case(reverse("cases:worklist"), {"region": "east", "collector": ""}, total_column="Overdue (CNY)")


def case_team(viewer, today):
    for i in range(ROWS):
        sales = factories.user(f"team-sales-{i}", role="sales")
        sales.first_name = name(i)
        sales.save(update_fields=["first_name"])
        factories.customer(f"T{i:03d}", salesperson=sales)
    # this month: the team counts a customer in a period only if it existed at the period's end
    # the ranking needs every person's KPIs (kpi_values per person), whichever page is shown: no bound here
    return Case(reverse("analytics:team"), {"start": today.replace(day=1).isoformat(), "end": today.isoformat()},
                max_queries=None)


def _bank_account(account_number: str = "1202001209900123456", **fields):
    from arms.bank.services.accounts import bank_account_create

    return bank_account_create(actor=None, **{"name": "工行基本户", "bank": "中国工商银行",
                                              "account_number": account_number, **fields})


def case_bank_accounts(viewer, today):
    for i in range(ROWS):
        _bank_account(f"62220212345{i:05d}", name=name(i))
    return Case(reverse("bank:accounts"), {})


def case_bank_statements(viewer, today):
    from arms.bank.services.importing import statement_import
    from tests.bank.builders import rows_for, to_csv

    account = _bank_account(name=EVIL[0])
    other = _bank_account("31050161373600001234", name="建行一般户")
    for n in range(ROWS):
        day = today - timedelta(days=2 * n + 1)
        statement_import(actor=None, data=to_csv(rows_for([day])), filename=f"工行{n}.csv", account=account,
                         match=False)
    statement_import(actor=None, data=to_csv(rows_for([today], account=other.account_number)),
                     filename="建行.csv", account=other, match=False)
    return Case(reverse("bank:statements"), {"account": str(account.pk)}, evil=[EVIL[0]])


def case_bank_statement_lines(viewer, today):
    from arms.bank.services.importing import statement_import
    from tests.bank.builders import rows_for, to_csv

    _bank_account()
    rows = rows_for([today - timedelta(days=1)], per_day=ROWS)
    for i, row in enumerate(r for r in rows if len(r) > 2 and r[0][:1].isdigit()):
        row[2] = name(i)
    result = statement_import(actor=None, data=to_csv(rows, "utf-8"), filename="工行.csv", match=False)
    return Case(reverse("bank:statement", args=[result.statements[0].statement_id]), {})


def case_cash_lines(viewer, today):
    from tests.web import cash_book

    stmt = cash_book.statement(cash_book.bank_account(), first=today - timedelta(days=20), last=today)
    for i, cust in enumerate(customers()):
        cash_book.line(stmt, amount=60_000 + i, on=today - timedelta(days=i), payer=cust.name, status="suggested",
                       customer=cust, confidence=70)
    cash_book.line(stmt, amount=1_000, on=today, text="结息", status="ignored", ignored_kind="interest")
    return Case(reverse("cash:lines"), {"status": "suggested"}, total_column="Amount")


def case_learned_payers(viewer, today):
    from arms.bank.models import PayerAlias

    for cust in customers():
        PayerAlias.objects.create(company=cust.company, customer=cust, kind="account", value=f"62220{cust.pk:010d}",
                                  key=f"62220{cust.pk:010d}", created_by=viewer)
    other = factories.customer("X001")
    PayerAlias.objects.create(company=other.company, customer=other, kind="name", value="别名", key="别名")
    return Case(reverse("cash:aliases"), {"kind": "account"})


def case_unapplied_cash(viewer, today):
    for cust in customers():
        factories.payment(cust, received=today - timedelta(days=10), amount=70_000 + cust.pk, payer_name=cust.name)
    factories.payment(factories.customer("X001"), received=today - timedelta(days=400))
    return Case(reverse("cash:unapplied"), {"bucket": "0-30"}, total_column="Unapplied")


def case_invoices_undelivered(viewer, today):
    for cust in customers():
        factories.invoice(cust, issued=today - timedelta(days=40), net=100_000 + cust.pk, tax=13_000)
    from arms.ledger.services.deliveries import invoice_delivery_record

    delivered = factories.invoice(factories.customer("X001"), issued=today - timedelta(days=40))
    invoice_delivery_record(invoice=delivered, actor=None, channel="hand")
    return Case(reverse("web:delivery_outstanding"), {"state": "undelivered"})


def case_invoices_unconfirmed(viewer, today):
    from arms.ledger.services.deliveries import invoice_delivery_record

    for cust in customers():
        invoice = factories.invoice(cust, issued=today - timedelta(days=40), net=100_000 + cust.pk, tax=13_000)
        invoice_delivery_record(invoice=invoice, actor=None, channel="post", carrier="EMS",
                                tracking_no=f"EA{cust.pk}CN")
    factories.invoice(factories.customer("X001"), issued=today - timedelta(days=40))  # not delivered
    return Case(reverse("web:delivery_outstanding"), {"state": "unconfirmed", "channel": "post"})


def case_bank_reconciliation(viewer, today):
    from tests.web import cash_book

    account = cash_book.bank_account()
    stmt = cash_book.statement(account, first=today - timedelta(days=20), last=today + timedelta(days=1))
    for i, cust in enumerate(customers()):
        cash_book.line(stmt, amount=60_000 + i, on=today - timedelta(days=i), payer=cust.name, status="unmatched")
    cash_book.line(stmt, amount=1_000, on=today + timedelta(days=1), payer="明天的流水", status="unmatched")
    # the figures come before the items: nine rows of them; the items are two paginated lists on the page
    return Case(reverse("cash:reconciliation"), {"account": account.pk, "on": today.isoformat()}, preamble=9,
                max_queries=25)


def _sales_month(today):
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def case_sales_reconciliations(viewer, today):
    from arms.salesrecon.services import sales_recon_open

    start, end = _sales_month(today)
    for i, cust in enumerate(customers()):
        person = factories.user(f"seller{i:02d}")
        person.first_name = name(i)
        person.save(update_fields=["first_name"])
        cust.salesperson = person
        cust.save(update_fields=["salesperson"])
        factories.invoice(cust, issued=start - timedelta(days=1), net=100_000 + cust.pk, tax=0)
    sales_recon_open(period=end, actor=viewer)
    sales_recon_open(period=start - timedelta(days=1), actor=viewer, salesperson=person)  # another month
    return Case(reverse("salesrecon:list"), {"month": f"{start:%Y-%m}"})


def case_sales_reconciliation_balances(viewer, today):
    from arms.salesrecon.services import sales_recon_open

    start, end = _sales_month(today)
    person = factories.user("seller")
    for cust in customers(salesperson=person):
        factories.invoice(cust, issued=start, net=100_000 + cust.pk, tax=0)
    factories.invoice(factories.customer("X001", salesperson=factories.user("other-seller")), issued=start)
    (rec,) = sales_recon_open(period=end, actor=viewer, salesperson=person)
    return Case(reverse("salesrecon:detail", args=[rec.pk]), {})


def case_confirmation_coverage(viewer, today):
    _start, end = _sales_month(today)
    for cust in customers(region="east"):
        factories.invoice(cust, issued=end, net=100_000 + cust.pk, tax=0)
    factories.invoice(factories.customer("X001", region="north"), issued=end)
    return Case(reverse("confirmation_coverage:coverage"), {"period_end": end.isoformat(), "region": "east"})


def _confirmation_run(viewer, today):
    from arms.confirmations.services.runs import confirmation_run_start

    period_end = today.replace(day=1) - timedelta(days=1)
    for cust in [*customers(), factories.customer("X001")]:
        factories.invoice(cust, issued=period_end.replace(day=3), net=100_000 + cust.pk, tax=0)
    run, _created = confirmation_run_start(company=factories.company_ensure(), period_end=period_end, actor=viewer)
    return run


def case_confirmation_runs(viewer, today):
    from arms.confirmations.models import ConfirmationRun
    from arms.domain.terms import month_end

    company = factories.company_ensure()
    for i in range(ROWS):
        starter = factories.user(f"starter{i}")
        starter.first_name = name(i)
        starter.save(update_fields=["first_name"])
        year, month = divmod(today.year * 12 + today.month - 2 - i, 12)
        first = date(year, month + 1, 1)
        ConfirmationRun.objects.create(company=company, period_start=first, period_end=month_end(first),
                                       status="ready", created_by=starter)
    return Case(reverse("confirmations:runs"), {})


def case_confirmation_letters(viewer, today):
    from arms.confirmations.models import Confirmation
    from arms.confirmations.services import confirmation_reply

    run = _confirmation_run(viewer, today)
    confirmation_reply(confirmation=Confirmation.objects.get(customer__code="X001"), actor=viewer,
                       answer="confirmed", channel="email")
    return Case(reverse("confirmations:run", args=[run.pk]), {"status": "prepared"}, total_column="Closing balance")


def case_confirmation_differences(viewer, today):
    from arms.confirmations.models import Confirmation, ConfirmationDifference
    from arms.confirmations.services import confirmation_reply, difference_resolve

    _confirmation_run(viewer, today)
    for letter in Confirmation.objects.select_related("customer"):
        confirmation_reply(confirmation=letter, actor=viewer, answer="disputed", channel="email", differences=[
            {"invoice_id": None, "kind": "not_in_our_books", "amount_minor": 5_000 + letter.pk,
             "description": letter.customer.name}])
    difference_resolve(difference=ConfirmationDifference.objects.get(customer__code="X001"), actor=viewer,
                       resolution="rejected", explanation="ok")
    return Case(reverse("confirmations:differences"), {"status": "open"}, total_column="Amount")


def _residues(today, custs, *, stray: bool = True):
    """A residue of 18.00 (+ the customer's pk in fen) on each customer's invoice, and one small unpaid invoice."""
    from arms.ledger.services import payment_allocate
    from arms.ledger.services.allocations import AllocationRequest

    invoices = []
    for cust in custs:
        invoice = factories.invoice(cust, issued=today - timedelta(days=60), net=1_000_00, tax=0)
        payment = factories.payment(cust, received=today - timedelta(days=10), amount=982_00 - cust.pk % 100)
        payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, payment.amount_minor)],
                         on=today - timedelta(days=10))
        invoices.append(invoice)
    if stray:
        factories.invoice(factories.customer("X001"), issued=today - timedelta(days=60), net=20_00, tax=0)
    return invoices


def case_small_balances(viewer, today):
    _residues(today, customers())
    return Case(reverse("writeoffs:small_balances"), {})


def case_small_balance_batches(viewer, today):
    from arms.writeoffs.small_services import small_balance_batch_reject, small_balance_batch_request

    clerk = factories.user("sb-clerk", role="finance_clerk")
    for i, invoice in enumerate(_residues(today, customers())):
        small_balance_batch_request(actor=clerk, invoice_ids=[invoice.pk], note=name(i))
    [other] = _residues(today, [factories.customer("X002")], stray=False)
    rejected = small_balance_batch_request(actor=clerk, invoice_ids=[other.pk])
    small_balance_batch_reject(actor=factories.user("sb-manager", role="finance_manager"), batch=rejected, note="否")
    return Case(reverse("writeoffs:small_balance_batches"), {"status": "pending"})


def case_small_balance_batch_items(viewer, today):
    from arms.writeoffs.small_services import small_balance_batch_request

    clerk = factories.user("sb-clerk", role="finance_clerk")
    invoices = _residues(today, customers())
    batch = small_balance_batch_request(actor=clerk, invoice_ids=[invoice.pk for invoice in invoices])
    return Case(reverse("writeoffs:small_balance_batch", args=[batch.pk]), {})


def case_write_offs(viewer, today):
    from arms.writeoffs.services import ItemIn, write_off_request_create, write_off_request_withdraw

    for cust in customers():
        invoice = factories.invoice(cust, issued=today - timedelta(days=1200), net=100_000 + cust.pk, tax=0)
        write_off_request_create(actor=viewer, customer=cust, reason="limitation_expired", note=cust.name,
                                 items=[ItemIn(invoice.pk, invoice.amount_open_minor)])
    other = factories.customer("X001")
    invoice = factories.invoice(other, issued=today - timedelta(days=1200))
    gone = write_off_request_create(actor=viewer, customer=other, reason="limitation_expired",
                                    items=[ItemIn(invoice.pk, 1_000)])
    write_off_request_withdraw(actor=viewer, request=gone)
    return Case(reverse("writeoffs:list"), {"status": "pending"})


def case_limitation_claims(viewer, today):
    from arms.customers.services import company_ensure
    from arms.limitation.services import limitation_refresh

    for cust in customers():
        factories.invoice(cust, issued=today - timedelta(days=400), net=100_000 + cust.pk, tax=0)
    paid = factories.customer("X001")
    factories.invoice(paid, issued=today - timedelta(days=400))
    factories.payment(paid, received=today - timedelta(days=2), auto_allocate=True)
    limitation_refresh(company=company_ensure())
    return Case(reverse("limitation:list"), {"status": "open"})


def case_legal_letters(viewer, today):
    from arms.dunning.models import DunningAction, DunningRun, DunningStage
    from arms.dunning.services import policy_ensure_default

    policy = policy_ensure_default()
    stage = DunningStage.objects.get(policy=policy, letter_kind="lawyer_letter")
    run = DunningRun.objects.create(as_of=today, trigger="ui", started_by=viewer)
    for cust in [*customers(), factories.customer("X001")]:
        DunningAction.objects.create(
            run=run, customer=cust, policy=policy, stage=stage, stage_offset=stage.offset_days, level=stage.level,
            as_of=today, currency="CNY", open_minor=40_000 + cust.pk, deadline=today + timedelta(days=7),
            status="done" if cust.code == "X001" else "awaiting_review",
            review_status="approved" if cust.code == "X001" else "awaiting")
    return Case(reverse("legal:letters"), {"status": "awaiting"})


def _legal_claims(today):
    return [(cust, factories.invoice(cust, issued=today - timedelta(days=30), net=100_000 + cust.pk, tax=0))
            for cust in [*customers(), factories.customer("X001")]]


def case_legal_cases(viewer, today):
    from arms.legal.models import LegalCase
    from arms.legal.services import case_open

    for cust, invoice in _legal_claims(today):
        case_open(actor=viewer, customer=cust, kind="litigation", forum=cust.name, invoice_ids=[invoice.pk])
    LegalCase.objects.filter(customer__code="X001").update(status="withdrawn")
    return Case(reverse("legal:case_list"), {"status": "preparing"})


def case_legal_agencies(viewer, today):
    from arms.legal.services import mandate_create

    for cust, invoice in _legal_claims(today)[:ROWS]:
        mandate_create(actor=viewer, customer=cust, agency_name=cust.name, handed_over_on=today, fee_share_bp=1500,
                       invoice_ids=[invoice.pk])
    return Case(reverse("legal:agencies"), {})


def case_legal_settlements(viewer, today):
    from arms.legal.models import Settlement
    from arms.legal.services import settlement_request

    for _cust, invoice in _legal_claims(today):
        settlement_request(actor=viewer, invoice=invoice, terms=invoice.customer.name, waived_interest_minor=100)
    Settlement.objects.filter(customer__code="X001").update(status="rejected")
    return Case(reverse("legal:settlements"), {"status": "requested"})


def case_legal_assets(viewer, today):
    from arms.legal.services import asset_record

    for cust in customers():
        asset_record(actor=viewer, customer=cust, kind="vehicle", description=cust.name, source=cust.name,
                     fact_date=today, estimated_value_minor=1_000 + cust.pk)
    return Case(reverse("legal:assets"), {})


def case_provision_runs(viewer, today):
    from arms.domain.terms import month_end
    from arms.provisioning.models import ProvisionRun
    from arms.provisioning.services import matrix_active

    company = factories.company_ensure()
    matrix = matrix_active(company=company)
    for i in range(ROWS):
        poster = factories.user(f"poster{i}")
        poster.first_name = name(i)
        poster.save(update_fields=["first_name"])
        year, month = divmod(today.year * 12 + today.month - 2 - i, 12)
        ProvisionRun.objects.create(company=company, as_of=month_end(date(year, month + 1, 1)), matrix=matrix,
                                    total_required_minor=1_000 + i, true_up_minor=1_000 + i, posted_by=poster)
    return Case(reverse("provisioning:home"), {})


def case_provision_run_lines(viewer, today):
    from arms.provisioning.services import provision_run_post

    as_of = today.replace(day=1) - timedelta(days=1)
    for cust in customers():
        factories.invoice(cust, issued=as_of - timedelta(days=100), net=100_000 + cust.pk, tax=0)
    run = provision_run_post(actor=viewer, company=factories.company_ensure(), as_of=as_of)
    return Case(reverse("provisioning:run", args=[run.pk]), {}, preamble=2, footer=1)


def case_provision_assessments(viewer, today):
    from arms.provisioning.services import assessment_record

    for cust in customers():
        assessment_record(actor=viewer, customer=cust, rate_bp=5_000, reason=cust.name,
                          valid_from=today - timedelta(days=10))
    return Case(reverse("provisioning:assessments"), {})


def case_early_warnings(viewer, today):
    from arms.earlywarning.services import IndicatorFields, indicator_create, warnings_evaluate

    for cust in customers(region="south"):
        factories.invoice(cust, issued=today - timedelta(days=60), net=100_000 + cust.pk, tax=0)
    other = factories.customer("X001")
    factories.invoice(other, issued=today - timedelta(days=60))
    made = [indicator_create(actor=viewer, fields=IndicatorFields(
        name=name_, metric="oldest_overdue_days", threshold=1, severity=severity, **scope))
        for name_, severity, scope in (("华南逾期", "critical", {"scope": "region", "scope_value": "south"}),
                                       ("单一客户逾期", "info", {"scope": "customer", "scope_customer_id": other.pk}))]
    warnings_evaluate(as_of=today, indicator_ids=[i.pk for i in made])
    return Case(reverse("earlywarning:home"), {"severity": "critical"})


def case_risk_indicators(viewer, today):
    from arms.earlywarning.models import Indicator
    from arms.earlywarning.services import IndicatorFields, indicator_create, indicators_ensure_default

    indicators_ensure_default()
    Indicator.objects.update(active=False)
    for i in range(ROWS):
        indicator_create(actor=viewer, fields=IndicatorFields(name=name(i), metric="overdue_ratio", threshold=100 + i))
    return Case(reverse("earlywarning:indicators"), {"active": "1"})


def case_risk_signals(viewer, today):
    from django.utils import timezone as dj_timezone

    from arms.earlywarning.services import risk_signal_acknowledge, risk_signal_raise

    moment = dj_timezone.now() - timedelta(hours=1)
    for cust in customers():
        risk_signal_raise(actor=viewer, customer=cust, category="orders_down", description=cust.name,
                          observed_at=moment)
    done = risk_signal_raise(actor=viewer, customer=factories.customer("X001"), category="other",
                             description="已核实", observed_at=moment)
    risk_signal_acknowledge(signal=done, actor=factories.user("ew-credit", role="credit_manager"), note="已阅")
    return Case(reverse("earlywarning:signals"), {"status": "raised"})


def case_stress_scenarios(viewer, today):
    from arms.stress.services import scenario_create

    company = factories.company_ensure()
    for i in range(ROWS):
        scenario_create(actor=viewer, company=company, name=name(i), parameters={"default_top_n": i % 5 + 1})
    return Case(reverse("stress:home"), {})


def case_stress_runs(viewer, today):
    from arms.stress.models import ScenarioRun

    company = factories.company_ensure()
    for i in range(ROWS):
        ScenarioRun.objects.create(company=company, scenario_name=name(i), as_of=today - timedelta(days=i),
                                   stressed_minimum_minor=-1_000 - i, created_by=viewer)
    return Case(reverse("stress:runs"), {})


def case_stress_cost_of_overdue(viewer, today):
    for cust in customers():
        factories.invoice(cust, issued=today - timedelta(days=100), net=100_000 + cust.pk, tax=0)
    factories.customer("X001", name="未逾期客户")
    return Case(reverse("stress:cost"), {"by": "customer"}, preamble=1)


def case_forecasts(viewer, today):
    from arms.forecast.models import Forecast

    company = factories.company_ensure()
    for i in range(ROWS):
        maker = factories.user(f"forecaster{i}")
        maker.first_name = name(i)
        maker.save(update_fields=["first_name"])
        Forecast.objects.create(company=company, as_of=today - timedelta(days=i), granularity="week", periods=13,
                                open_minor=1_000 + i, expected_minor=900 + i, beyond_minor=100, created_by=maker)
    return Case(reverse("forecast:list"), {})


def case_forecast_accuracy(viewer, today):
    from arms.forecast.models import Forecast, ForecastLine

    company = factories.company_ensure()
    for i in range(ROWS):
        as_of = today - timedelta(days=30 + i)
        forecast = Forecast.objects.create(company=company, as_of=as_of, granularity="week", periods=13,
                                           open_minor=1_000, expected_minor=900, beyond_minor=100)
        start = as_of - timedelta(days=as_of.weekday())
        ForecastLine.objects.create(forecast=forecast, seq=0, start=start, end=start + timedelta(days=6),
                                    is_total=True, expected_minor=500 + i, low_minor=0, high_minor=1_000)
    return Case(reverse("forecast:accuracy"), {"granularity": "week"}, footer=3, evil=[])


def case_prediction_models(viewer, today):
    from arms.common.attachments import attachment_store
    from arms.prediction.models import ModelVersion

    for i in range(ROWS):
        trainer = factories.user(f"trainer{i}")
        trainer.first_name = name(i)
        trainer.save(update_fields=["first_name"])
        artifact = attachment_store(content=f"model {i}".encode(), name="m.pkl")
        ModelVersion.objects.create(
            version=i + 1, status="active" if i == ROWS - 1 else "retired", window_start=today - timedelta(days=400),
            window_end=today - timedelta(days=10), rows=100 + i, features=["mean_days_late"],
            metrics={"scores": [{"method": "model", "mae_days": 3.5, "within_7": 0.8}]}, artifact=artifact,
            artifact_sha256=artifact.sha256, trained_by=trainer)
    return Case(reverse("prediction:home"), {})


def case_prediction_items(viewer, today):
    for cust in customers():
        factories.invoice(cust, issued=today - timedelta(days=20), net=100_000 + cust.pk, tax=0)
    return Case(reverse("prediction:items"), {})



def _contract(cust, number, *, signed, end=None, status="active"):
    from arms.contracts.services import contract_create

    return contract_create(actor=None, customer=cust, number=number, signed_date=signed, amount_minor=10_000_000,
                           end_date=end, status=status)


def case_contracts(viewer, today):
    for i, cust in enumerate(customers()):
        contract = _contract(cust, f"HT-L-{i:03d}", signed=today - timedelta(days=30))
        factories.invoice(cust, issued=today - timedelta(days=40), net=100_000 + cust.pk, tax=0, contract=contract)
    other = factories.customer("X001")
    _contract(other, "HT-X", signed=today - timedelta(days=30), status="draft")
    return Case(reverse("contractreview:home"), {"status": "active"})


def case_contracts_ending(viewer, today):
    for i, cust in enumerate(customers()):
        _contract(cust, f"HT-E-{i:03d}", signed=today - timedelta(days=300), end=today + timedelta(days=10))
    other = factories.customer("X001")
    _contract(other, "HT-X", signed=today - timedelta(days=30), end=today + timedelta(days=400))
    return Case(reverse("contractreview:attention"), {})
def case_guarantees(viewer, today):
    from arms.credit.models import Guarantee

    for cust in [*customers(), factories.customer("X001")]:
        released = cust.code == "X001"
        Guarantee.objects.create(
            customer=cust, guarantor=cust.name, kind="personal", amount_minor=100_000 + cust.pk, currency="CNY",
            valid_from=today - timedelta(days=30), expiry_date=today + timedelta(days=cust.pk % 50 + 1),
            status="released" if released else "active", released_at=timezone.now() if released else None)
    return Case(reverse("credit:guarantees"), {"status": "active"})

def case_collection_plans(viewer, today):
    from arms.collectionplans.services import LineIn, collection_plan_cancel, collection_plan_create

    for i, cust in enumerate(customers()):
        collection_plan_create(actor=viewer, customer=cust, owner=viewer, note=cust.name,
                               lines=[LineIn(today, 100_000 + i, cust.name[:300])])
    other = collection_plan_create(actor=viewer, customer=factories.customer("X001"), owner=viewer,
                                   lines=[LineIn(today, 1_000, "x")])
    collection_plan_cancel(actor=viewer, plan=other)
    return Case(reverse("collectionplans:home"), {"status": "draft"})


def case_collection_plan_variance(viewer, today):
    from arms.collectionplans.services import (
        LineIn,
        collection_plan_approve,
        collection_plan_create,
        collection_plan_submit,
    )

    for i in range(ROWS):
        owner = factories.user(f"plan-owner-{i}", role="sales")
        owner.first_name = name(i)[:150]
        owner.save(update_fields=["first_name"])
        plan = collection_plan_create(actor=owner, customer=factories.customer(f"V{i:03d}", salesperson=owner),
                                      lines=[LineIn(today, 100_000 + i, "x")])
        collection_plan_submit(actor=owner, plan=plan)
        collection_plan_approve(actor=viewer, plan=plan)
    return Case(reverse("collectionplans:variance"), {"month": f"{today:%Y-%m}"})

def case_handovers(viewer, today):
    from arms.handover.models import Handover

    successor = factories.user("ho-successor")
    for i in range(ROWS + 1):
        leaver = factories.user(f"ho-leaver{i}")
        leaver.first_name = name(i)
        leaver.save(update_fields=["first_name"])
        Handover.objects.create(role="collector", from_user=leaver, to_user=successor, effective_on=today,
                                snapshot="{}", sha256="0" * 64, opened_by=viewer,
                                status="cancelled" if i == ROWS else "awaiting")
    return Case(reverse("handover:home"), {"status": "awaiting"})


def case_key_accounts(viewer, today):
    customers(key_account=True)
    factories.customer("X001", name="普通客户")
    return Case(reverse("handover:key_accounts"), {})


def _incentive_scheme(viewer, today, members):
    from arms.customers.services import company_ensure
    from arms.domain.terms import month_start
    from arms.incentives.services import scheme_create

    return scheme_create(actor=viewer, company=company_ensure(), period=month_start(today), members=members)


def case_incentive_schemes(viewer, today):
    from arms.customers.services import company_ensure
    from arms.domain.terms import month_start
    from arms.incentives.services import scheme_create

    month = month_start(today)
    for i in range(ROWS):
        scheme_create(actor=viewer, company=company_ensure(), period=month, terms={"note": name(i)}, members=[])
        month = month_start(month - timedelta(days=1))
    return Case(reverse("incentives:home"), {})


def case_incentive_payout_sheet(viewer, today):
    from arms.incentives.services import scheme_compute

    people = []
    for i in range(ROWS):
        person = factories.user(f"incentive-sales{i}", role="sales")
        person.first_name = name(i)
        person.save(update_fields=["first_name"])
        people.append((person, "salesperson"))
    scheme = scheme_compute(actor=viewer, scheme=_incentive_scheme(viewer, today, people))
    return Case(reverse("incentives:scheme", args=[scheme.pk]), {}, preamble=3)


def case_incentive_ratings(viewer, today):
    from arms.incentives.models import IncentiveRating

    rater = factories.user("incentive-clerk", role="finance_clerk")
    people = [(factories.user(f"incentive-rated{i}", role="sales"), "salesperson") for i in range(ROWS)]
    scheme = _incentive_scheme(viewer, today, people)
    IncentiveRating.objects.bulk_create([IncentiveRating(scheme=scheme, rater=rater, ratee=person, score=60 + i,
                                                         note=name(i)) for i, (person, _role) in enumerate(people)])
    return Case(reverse("incentives:ratings", args=[scheme.pk]), {})


def case_incentive_drill_down(viewer, today):
    from arms.ledger.services.allocations import AllocationRequest, payment_allocate

    seller = factories.user("incentive-seller", role="sales")
    for i, cust in enumerate(customers(salesperson=seller)):
        inv = factories.invoice(cust, issued=today - timedelta(days=40), net=100_000 + i, tax=0)
        paid = factories.payment(cust, amount=50_000 + i, received=today, auto_allocate=False)
        payment_allocate(actor=None, payment=paid, lines=[AllocationRequest(inv.pk, 50_000 + i)], on=today)
    scheme = _incentive_scheme(viewer, today, [(seller, "salesperson")])
    return Case(reverse("incentives:person", args=[scheme.pk, seller.pk]), {"part": "collections"})

CASES = {name_: builder for name_, builder in globals().items() if name_.startswith("case_")}


# ---------------------------------------------------------------- reading what came back


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows())


def data_rows(rows: list, case: Case) -> list:
    body = rows[case.preamble + 1:]
    return body[:len(body) - case.footer] if case.footer else body


def as_decimal(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


@pytest.mark.parametrize("builder", CASES.values(), ids=[n[5:] for n in CASES])


def test_a_list_pages_exports_every_filtered_row_and_never_a_formula(client, viewer, today, builder,
                                                                     django_assert_max_num_queries):
    case = builder(viewer, today)
    client.force_login(viewer)

    # the page: a bounded page size, and links to the next page that keep the filters
    if case.max_queries is None:
        first = client.get(case.url, {**case.filters, "per_page": PER_PAGE})
    else:
        with django_assert_max_num_queries(case.max_queries):
            first = client.get(case.url, {**case.filters, "per_page": PER_PAGE})
    assert first.status_code == 200, first.content.decode()[:500]
    html = first.content.decode()
    next_links = [unescape(href) for href in re.findall(r'href="([^"]+)" rel="next"', html)]
    assert next_links, "no link to page 2"
    for key, value in case.filters.items():
        assert all(f"{key}={value}" in href for href in next_links), (key, next_links)
    second = client.get(next_links[0])
    assert second.status_code == 200 and 'rel="prev"' in second.content.decode()

    # CSV: every filtered row, whichever page asked; nothing a spreadsheet would evaluate
    exported = client.get(case.url, {**case.filters, "per_page": PER_PAGE, "page": 2, "export": "csv"})
    assert exported.status_code == 200
    assert exported["Content-Disposition"].startswith("attachment; filename=")
    rows = csv_rows(exported)
    body = data_rows(rows, case)
    assert len(body) == case.rows, rows
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.lstrip(" ").startswith(FORMULA_STARTS) and not NUMBER.match(c)]
    for text in case.evil:
        assert "'" + text in cells, text

    # XLSX: the same rows; no formula cell, the names exactly as typed
    book = xlsx_rows(client.get(case.url, {**case.filters, "export": "xlsx"}))
    assert len(data_rows(book, case)) == case.rows
    assert [c.coordinate for row in book for c in row if c.data_type == "f"] == []
    values = {c.value for row in book for c in row}
    for text in case.evil:
        assert text in values, text

    # totals: what the page shows under the list is the sum over every page (the export's column)
    if case.total_column:
        header = [c.value for c in book[case.preamble]]
        column = header.index(case.total_column)
        total = sum(as_decimal(row[column].value) for row in data_rows(book, case))
        assert total > 0
        assert f"{total:,.2f}" in re.sub(r"<[^>]+>", " ", html.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0])


def test_a_page_past_the_end_shows_the_last_and_a_page_size_out_of_range_the_default(client, viewer, today):
    case = case_notifications(viewer, today)
    client.force_login(viewer)
    html = client.get(case.url, {"page": 99, "per_page": 10}).content.decode()
    assert "Page 2 of 2" in html
    html = client.get(case.url, {"per_page": 100_000}).content.decode()
    assert "Page 1 of" not in html and "12 rows" in html  # one page of the default 25


def test_the_statement_export_escapes_the_customer_name(client, viewer, today):
    cust = factories.customer("E001", name=EVIL[0])
    factories.invoice(cust, issued=today - timedelta(days=3))
    client.force_login(viewer)
    url = reverse("web:customer_statement", args=[cust.pk])
    period = {"date_from": (today - timedelta(days=30)).isoformat(), "date_to": today.isoformat()}
    rows = csv_rows(client.get(url, {**period, "export": "csv"}))
    assert rows[0] == ["E001", "'" + EVIL[0]]
    book = xlsx_rows(client.get(url, {**period, "export": "xlsx"}))
    assert (book[0][1].value, book[0][1].data_type) == (EVIL[0], "s")


def test_the_monthly_workbook_writes_text_never_formulas():
    from arms.reports.tables import MONEY, Column, Table, workbook_bytes

    table = Table("t", "=1+1", [Column("name", "=SUM(A1)"), Column("amount", "Amount", MONEY)],
                  rows=[[EVIL[0], -12_345], ["@SUM(1+1)", 100]], note="-note")
    sheet = load_workbook(io.BytesIO(workbook_bytes([("=sheet", [table])]))).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert {EVIL[0], "@SUM(1+1)", "=1+1", "=SUM(A1)", "-note"} <= {c.value for c in cells}
    assert Decimal(str(next(c.value for c in cells if c.data_type == "n" and c.value < 0))) == Decimal("-123.45")
