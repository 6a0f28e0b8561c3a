"""Replay a demo ``Plan`` through the real services, and fingerprint what it produced.

Every document is written by the services a user's click or an import would call (so numbers come from the
gap-free sequences, the journal balances and each change is on the audit chain): customers, contacts and
contracts one at a time; a day's invoices, and a day's payments with their allocations, through the bulk path
(``arms.ledger.services.bulk``, the same checks and postings written per batch, their audit events in one
sub-chain anchored on the global chain); credit notes one at a time. The order is the order of the plan's
dates, so INV-000001 is the oldest invoice and the audit trail reads like the two years it covers.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from importlib.util import find_spec
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import transaction
from django.db.models import F

from arms.accounts.roles import roles_sync
from arms.audit.models import AuditBatch
from arms.audit.services import audit_batch_anchor, audit_batch_open
from arms.contracts.models import Contract
from arms.contracts.services import ContractIn, ContractTerms, MilestoneIn, contract_amend, contracts_create_many
from arms.customers.models import Customer
from arms.customers.services import company_ensure, contact_create, customer_create, customer_update
from arms.exposure.models import DEFAULT_GUARANTEE_WARN_DAYS, DEFAULT_UNRATED_LIMIT_MINOR
from arms.exposure.services import control_settings_update
from arms.ledger.models import Allocation, CreditNote, ExchangeRate, Invoice, Payment
from arms.ledger.services import credit_note_post, exchange_rate_set
from arms.ledger.services.bulk import (
    BulkAllocation,
    InvoiceInput,
    PaymentInput,
    invoices_post_bulk,
    payments_record_bulk,
)
from arms.seed.plan import InvoicePlan, PaymentPlan, Plan
from arms.seed.users import demo_users_ensure

if TYPE_CHECKING:
    from arms.common.typing import Actor

RATE_SOURCE = "中国人民银行人民币汇率中间价"


@dataclass(frozen=True)
class SeedResult:
    """What a seed run wrote: counts by kind, and the customer codes of each payment behaviour."""

    counts: dict[str, int]
    behaviours: dict[str, list[str]]


def plan_steps(plan: Plan) -> int:
    """How many steps ``seed_load`` reports through ``advance`` (for a progress bar)."""
    return len(plan.rates) + 2 * len(plan.customers) + len(plan.invoices) + len(plan.credit_notes) + len(plan.payments)


@transaction.atomic
def seed_load(plan: Plan, *, advance: Callable[[int], None] = lambda _n: None) -> SeedResult:
    """Write ``plan``: users, exchange rates, customers with contacts and contracts, then the ledger by date.

    One transaction: a seed that fails leaves nothing behind (``--if-empty`` can simply run again), and the
    database commits once instead of once per document. Each day's invoices, then its credit notes, then its
    payments with their allocations, so numbers follow the dates (INV-000001 is the oldest invoice); invoices and
    payments go through the bulk path a day at a time (``arms.ledger.services.bulk``: the single services'
    checks, numbers, journal and audit, written per batch).
    """
    roles_sync()
    users = demo_users_ensure()
    company = company_ensure()
    clerk = users["clerk"]
    # the two years of history predate the ratings (the credit demo rates afterwards): the credit manager lets
    # unrated customers through with a warning while it is loaded; the exposure demo puts the default back
    control_settings_update(company_id=company.pk, actor=users["credit"], unrated_policy="warn",
                            unrated_limit_minor=DEFAULT_UNRATED_LIMIT_MINOR,
                            guarantee_warn_days=DEFAULT_GUARANTEE_WARN_DAYS)
    for rate in plan.rates:
        exchange_rate_set(actor=users["finmgr"], currency=rate.currency, on=rate.on, rate=rate.rate,
                          source=RATE_SOURCE)
        advance(1)

    customers: dict[int, Customer] = {}
    contracts: dict[str, Contract] = {}
    for planned in plan.customers:
        sales = users[planned.salesperson]
        customer = customer_create(
            actor=sales, company=company, code=planned.code, name=planned.name, uscc=planned.uscc,
            industry=planned.industry, region=planned.region, province=planned.province, address=planned.address,
            salesperson=sales, collector=users[planned.collector], payment_terms_days=planned.terms_days,
            payment_terms_basis=planned.terms_basis, currency=planned.currency,
            notes="" if planned.on_hold else planned.notes,
        )
        customers[planned.index] = customer
        for contact in planned.contacts:
            contact_create(actor=sales, customer=customer, name=contact.name, role=contact.role,
                             phone=contact.phone, email=contact.email, is_primary=contact.is_primary)
        # the customer's contracts in one call: contract_create's checks, rows and audit, the customer locked once
        created = contracts_create_many(actor=sales, customer=customer, contracts=[
            ContractIn(number=terms.number, milestones=tuple(MilestoneIn(name, share, days)
                                                             for name, share, days in terms.milestones),
                       terms=ContractTerms(
                           signed_date=terms.signed, amount_minor=terms.amount_minor, title=terms.title,
                           start_date=terms.start, end_date=terms.end,
                           late_interest_rate_daily=terms.late_interest_daily, penalty_rate=terms.penalty_rate,
                           penalty_clause=terms.penalty_clause, guarantee_type=terms.guarantee_type,
                           guarantee_details=terms.guarantee_details, dispute_resolution=terms.dispute_resolution,
                           dispute_venue=terms.venue))
            for terms in planned.contracts])
        contracts.update((contract.number, contract) for contract in created)
        advance(1)

    ledger_days(plan, clerk=clerk, customers=customers, contracts=contracts, advance=advance)

    for planned in plan.customers:
        for terms in planned.contracts:
            if terms.completed_by(plan.today):
                contract_amend(actor=users[planned.salesperson], contract=contracts[terms.number],
                               reason="合同期满，履行完毕", status="completed")
        if planned.on_hold:
            customer_update(actor=users["credit"], customer=customers[planned.index], status="on_hold",
                            notes=planned.notes)
        advance(1)

    behaviours: dict[str, list[str]] = {}
    for planned in plan.customers:
        behaviours.setdefault(planned.behaviour.value, []).append(planned.code)
    return SeedResult(counts=seed_counts(), behaviours=behaviours)


def ledger_days(plan: Plan, *, clerk: Actor, customers: dict[int, Customer], contracts: dict[str, Contract],
                advance: Callable[[int], None]) -> None:
    """The plan's invoices, credit notes and payments, a day at a time: the day's invoices in one bulk call, its
    credit notes one by one, its payments and their allocations in one bulk call."""
    invoice_ids: dict[int, int] = {}
    # the ledger's events go to one audit sub-chain, anchored once on the global chain when the two years are in
    batch = audit_batch_open(actor=clerk, source="arms seed")
    for _on, events in groupby(plan.ledger_events(), key=itemgetter(0)):
        day = [(kind, item) for _on, kind, item in events]
        _post_invoices(clerk, batch, [item for kind, item in day if kind == "invoice"], customers, contracts,
                       invoice_ids)
        for kind, item in day:
            if kind == "credit_note":
                credit_note_post(actor=clerk, invoice=Invoice.objects.get(pk=invoice_ids[item.invoice]), on=item.on,
                                 net_minor=item.net, tax_minor=item.tax, reason=item.reason)
        _record_payments(clerk, batch, [item for kind, item in day if kind == "payment"], customers, invoice_ids)
        advance(len(day))
    audit_batch_anchor(batch)


def _post_invoices(clerk: Actor, batch: AuditBatch, items: list[InvoicePlan], customers: dict[int, Customer],
                   contracts: dict[str, Contract], invoice_ids: dict[int, int]) -> None:
    """One day's invoices in one bulk call (the same checks, numbers, journal and audit as ``invoice_post``)."""
    if not items:
        return
    result = invoices_post_bulk(actor=clerk, invoices=[
        InvoiceInput(customer=customers[item.customer], issue_date=item.issue, net_minor=item.net, tax_minor=item.tax,
                     due_date=item.due if item.explicit_due else None, contract=contracts[item.contract],
                     vat_invoice_number=item.vat_number, description=item.description)
        for item in items
    ], audit_batch=batch)
    invoice_ids.update(zip((item.key for item in items), result.created_ids, strict=True))


def _record_payments(clerk: Actor, batch: AuditBatch, items: list[PaymentPlan], customers: dict[int, Customer],
                     invoice_ids: dict[int, int]) -> None:
    """One day's payments and their allocations in one bulk call (``payment_record`` + ``payment_allocate``)."""
    if not items:
        return
    payments_record_bulk(actor=clerk, payments=[
        PaymentInput(
            customer=customers[item.customer], received_date=item.received, amount_minor=item.amount,
            currency=item.currency, method=item.method, bill_number=item.bill_number,
            bill_maturity_date=item.bill_maturity, payer_name=item.payer, bank_reference=item.bank_reference,
            allocations=tuple(BulkAllocation(invoice_ids[key], amount) for key, amount in item.lines)
            if item.allocate else (),
        )
        for item in items
    ], audit_batch=batch)


def seed_counts() -> dict[str, int]:
    """Row counts a person checks after seeding (what the summary prints)."""
    currencies = Counter(Customer.objects.values_list("currency", flat=True))
    return {
        "customers": Customer.objects.count(),
        "usd_customers": currencies.get("USD", 0),
        "contracts": Contract.objects.count(),
        "invoices": Invoice.objects.count(),
        "open_items": Invoice.objects.filter(amount_open_minor__gt=0).count(),
        "credit_notes": CreditNote.objects.count(),
        "payments": Payment.objects.count(),
        "acceptance_bills": Payment.objects.filter(method__in=["bank_acceptance", "commercial_acceptance"]).count(),
        "unapplied_payments": Payment.objects.filter(amount_unallocated_minor__gt=0).count(),
        "allocations": Allocation.objects.count(),
        "exchange_rates": ExchangeRate.objects.count(),
    }


def seed_digest() -> str:
    """SHA-256 over the business content of the ledger (codes, numbers, dates, amounts; never ids or clocks).

    Two databases seeded with the same arguments have the same digest; that is what "deterministic" means.
    """
    digest = hashlib.sha256()

    def feed(label: str, rows) -> None:
        for row in rows:
            digest.update(json.dumps([label, *row], default=str, ensure_ascii=False).encode())

    feed("customer", Customer.objects.order_by("code").values_list(
        "code", "name", "uscc", "industry", "region", "province", "address", "salesperson__username",
        "collector__username", "payment_terms_days", "payment_terms_basis", "currency", "status", "notes"))
    feed("contract", Contract.objects.order_by("number").values_list(
        "number", "customer__code", "title", "signed_date", "end_date", "currency", "amount_minor",
        "late_interest_rate_daily", "penalty_rate", "status", "version"))
    feed("rate", ExchangeRate.objects.order_by("currency", "date").values_list("currency", "date", "rate"))
    feed("invoice", Invoice.objects.order_by("number").values_list(
        "number", "customer__code", "contract__number", "vat_invoice_number", "issue_date", "due_date", "currency",
        "net_minor", "tax_minor", "amount_open_minor", "fx_rate", "gross_base_minor", "description"))
    feed("credit_note", CreditNote.objects.order_by("number").values_list(
        "number", "invoice__number", "date", "net_minor", "tax_minor", "gross_base_minor", "reason"))
    feed("payment", Payment.objects.order_by("number").values_list(
        "number", "customer__code", "received_date", "currency", "amount_minor", "amount_unallocated_minor",
        "method", "bill_number", "bill_maturity_date", "bank_reference", "amount_base_minor"))
    feed("allocation", Allocation.objects.order_by(  # NULLs placed explicitly: the databases differ by default
        "invoice__number", F("payment__number").asc(nulls_first=True),
        F("credit_note__number").asc(nulls_first=True), "date", "amount_minor",
    ).values_list("invoice__number", "payment__number", "credit_note__number", "date", "amount_minor",
                  "receivable_base_minor", "cash_base_minor"))
    return digest.hexdigest()


def seed_extras(*, today: date, seed: int) -> dict[str, int]:
    """After the ledger is loaded, let each capability app add its demo data (ratings, cases, dunning, budgets).

    An app takes part by having a ``demo`` module with ``seed_demo(today, seed) -> dict[str, int]`` (counts to
    print). They run in INSTALLED_APPS order, so an app can rely on those listed before it.
    """
    counts: dict[str, int] = {}
    for config in apps.get_app_configs():
        if config.name.startswith("arms.") and find_spec(f"{config.name}.demo") is not None:
            counts.update(import_module(f"{config.name}.demo").seed_demo(today=today, seed=seed))
    return counts
