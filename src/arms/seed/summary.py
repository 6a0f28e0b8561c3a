"""What `arms seed` prints when it is done: each count under a translated label, the behaviours, the digest.

The counts come from ``seed_counts`` (the ledger) and from each capability app's ``demo.seed_demo``, keyed by
short codes; the labels for all of them are here, so the summary reads in the user's language (Simplified
Chinese by default). A code without a label is shown as it is: a test keeps that from happening.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from arms.exposure.models import CreditHold, HoldReason
from arms.seed.plan import Behaviour

LABELS = {
    # the ledger (seed_counts)
    "customers": _("Customers"),
    "usd_customers": _("Customers in USD"),
    "contracts": _("Contracts"),
    "invoices": _("Invoices"),
    "open_items": _("Open invoices"),
    "credit_notes": _("Credit notes"),
    "payments": _("Payments"),
    "acceptance_bills": _("Paid by acceptance bill"),
    "unapplied_payments": _("Payments with unapplied cash"),
    "allocations": _("Allocations"),
    "exchange_rates": _("Exchange rates"),
    # bank (its demo module)
    "statement lines": _("Bank statement lines"),
    "statement lines applied automatically": _("Statement lines applied automatically"),
    "statement lines waiting for a clerk": _("Statement lines waiting for a clerk"),
    # sales–finance reconciliation (its demo module)
    "sales reconciliations": _("Sales–finance reconciliations of last month"),
    "sales reconciliations waiting": _("Sales–finance reconciliations not signed off"),
    # invoice delivery proof (the ledger's demo module)
    "invoice deliveries": _("Invoice deliveries"),
    "invoice deliveries by post": _("Invoice deliveries by post (EMS)"),
    "invoice receipts confirmed": _("Invoices with receipt confirmed"),
    "invoices not delivered": _("Invoices not delivered"),
    # the allowance for doubtful accounts (its demo module)
    "provision runs": _("Bad-debt provision runs posted"),
    "individual bad-debt assessments": _("Individual bad-debt assessments"),
    # payment-date prediction (its demo module)
    "prediction models": _("Payment prediction models trained"),
    "payment predictions": _("Open items with a predicted payment date"),
    # credit, exposure, cases, dunning, analytics, reports (their demo modules)
    # limitation periods (its demo module)
    "limitation claims": _("Claims with a running limitation period"),
    "limitation claims expiring": _("Claims whose limitation period ends within 180 days"),
    "limitation claims expired": _("Claims whose limitation period has ended"),
    "limitation interruptions": _("Limitation interruptions with their evidence"),
    "limitation alerts sent": _("Limitation expiry alerts sent"),
    "credit ratings": _("Credit ratings"),
    "credit proposals waiting": _("Rating proposals waiting for review"),
    "credit limit requests waiting": _("Credit limit requests waiting"),
    "credit overrides": _("Credit override requests"),
    "case activities": _("Collection activities"),
    "collection tasks": _("Open collection tasks"),
    "promises to pay": _("Promises to pay"),
    "installment plans": _("Installment plans"),
    "disputes": _("Disputes"),
    "dunning actions": _("Dunning actions"),
    "dunning e-mails pending": _("Dunning e-mails waiting to be sent"),
    "budgets": _("Budgets"),
    "report_runs": _("Monthly reports stored"),
    "portal links": _("Customer portal links"),
    # balance confirmations (its demo module)
    "confirmation letters": _("Balance confirmation letters"),
    "confirmations sent": _("Balance confirmations sent"),
    "confirmations confirmed": _("Balance confirmations confirmed"),
    "confirmation differences open": _("Confirmation differences open"),
    # write-offs (its demo module)
    "write-offs posted": _("Write-offs posted (three sign-offs)"),
    "write-offs waiting": _("Write-off requests waiting for sign-offs"),
    # legal (its demo module)
    "lawyer letters awaiting review": _("Lawyer's letters awaiting legal review"),
    "legal cases": _("Legal cases"),
    "agency mandates": _("Collection agency mandates"),
    "debtor assets": _("Debtor asset facts"),
    # foresight (their demo modules)
    "early warnings raised": _("Early warnings raised"),
    "early warnings standing": _("Early warnings standing"),
    "risk signals": _("Risk signals from the field"),
    "cash-in forecasts": _("Cash-in forecasts stored"),
    "stress scenarios": _("Stress scenarios"),
    "stress runs": _("Stress scenario runs"),
    # contract review (its demo module)
    "contracts in review": _("Contracts in review"),
    "contracts approved to sign": _("Contracts approved, waiting to be signed"),
    "contracts with tiered interest": _("Contracts with tiered late interest"),
    # credit terms in force (issue 16, h1: the exposure demo)
    "guarantees": _("Guarantees registered"),
    "terms exceptions": _("Terms exceptions requested"),
    # collection plans (its demo module)
    "collection plans approved": _("Collection plans approved"),
    "collection plans waiting": _("Collection plans waiting for approval"),
    "collection plans behind": _("Collection plans behind"),
    # hand-over (逾期账款交接表)
    "hand-overs completed": _("Hand-overs completed"),
    "hand-overs awaiting": _("Hand-overs awaiting acknowledgement"),
    # counted once everything is loaded (seed_state_counts)
    "active_holds": _("Active credit holds"),
    # early-payment discounts (the bank's demo module)
    "invoices on 2/10, net 30": _("Invoices on early-payment discount terms (2/10, n/30)"),
    "early-payment discounts granted": _("Early-payment discounts granted"),
    # incentives (issue 16)
    "incentive schemes": _("Incentive schemes"),
    "mutual ratings": _("Finance–sales mutual ratings"),
}

BEHAVIOUR_LABELS = {
    Behaviour.PROMPT: _("Customers paying on time"),
    Behaviour.LATE: _("Customers paying late by habit"),
    Behaviour.DETERIORATING: _("Customers paying later and later"),
    Behaviour.DISPUTING: _("Customers disputing invoices"),
    Behaviour.DEFAULTED: _("Customers who stopped paying"),
}


def seed_state_counts() -> dict[str, int]:
    """Counts that several apps add to, taken once all of them are done (the holds page shows the same number:
    holds placed by hand in the demo and the stop-supply holds of the dunning runs)."""
    return {"active_holds": CreditHold.objects.filter(active=True).count()}


def active_holds_by_reason() -> list[tuple[str, int]]:
    """(reason label, count) of the active holds, most first."""
    rows = (CreditHold.objects.filter(active=True).values("reason_code").annotate(n=Count("id"))
            .order_by("-n", "reason_code"))
    return [(str(HoldReason(row["reason_code"]).label), row["n"]) for row in rows]


def summary_lines(counts: dict[str, int], behaviours: dict[str, list[str]], digest: str) -> list[tuple[str, str]]:
    """(label, value) rows of the summary, in the order printed."""
    lines = [(str(LABELS.get(key, key)), str(value)) for key, value in counts.items()]
    if counts.get("active_holds"):
        lines += [(f"  {label}", str(n)) for label, n in active_holds_by_reason()]
    for behaviour in Behaviour:
        codes = behaviours.get(behaviour.value, [])
        if codes:
            lines.append((str(BEHAVIOUR_LABELS[behaviour]),
                          f"{len(codes)}  ({', '.join(codes[:5])}{', ...' if len(codes) > 5 else ''})"))
    lines.append((str(_("Digest")), digest))
    return lines
