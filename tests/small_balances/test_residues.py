"""Residues (小额尾差) never drive dunning stages, stop-supply holds or the credit check's overdue block.

The issue's cases: a USD 31.00 balance left by bank charges reached 移交诉讼 (hand-off to litigation), and an
18.00 balance put a customer on a stop-supply hold. Each test also sets the threshold to zero (no residues) and
shows the same item is then acted on, so the exclusion, not the set-up, is what keeps it out.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from arms.customers.services import company_ensure
from arms.dunning.models import DunningAction
from arms.dunning.services import dunning_run
from arms.exposure import services as exposure
from arms.exposure.models import CreditHold
from arms.ledger.models import Invoice, SmallBalanceThreshold
from arms.ledger.services import exchange_rate_set
from arms.ledger.small_balances import residue_q, residues, small_balance_thresholds
from tests import factories
from tests.dunning.conftest import make_customer
from tests.exposure.conftest import rate
from tests.small_balances.helpers import ISSUED, pay

pytestmark = [pytest.mark.django_db, pytest.mark.clock(date(2026, 9, 1))]  # after the +180 run of Feb's due date


def threshold(currency: str, minor: int) -> None:
    SmallBalanceThreshold.objects.update_or_create(company=company_ensure(), currency=currency,
                                                   defaults={"threshold_minor": minor})


def looked_up():
    """The residues by the rule's other form: the thresholds looked up in the SQL (the credit check's)."""
    return Invoice.objects.filter(residue_q(looked_up=True))


def stages_of(invoice) -> list[str]:
    return list(DunningAction.objects.filter(items__invoice=invoice, items__outcome="actioned")
                .order_by("stage_offset").values_list("stage__code", flat=True))


def test_a_residue_is_partly_settled_and_below_its_currencys_threshold(people):
    customer = make_customer(people)
    factories.invoice(customer, net=30_00, tax=0, issued=ISSUED)
    residue = factories.invoice(customer, net=1_000_00, tax=0, issued=ISSUED)
    pay(customer, residue, 951_00)  # 49.00 left: below 50.00
    at_limit = factories.invoice(customer, net=1_000_00, tax=0, issued=ISSUED)
    pay(customer, at_limit, 950_00)  # 50.00 left: not below 50.00

    assert set(residues()) == {residue}  # the small invoice nobody paid a cent of is still a debt
    assert set(looked_up()) == {residue}
    threshold("CNY", 60_00)
    assert set(residues()) == {residue, at_limit}
    assert set(looked_up()) == {residue, at_limit}
    assert small_balance_thresholds(company_ensure()) == {"CNY": 60_00}
    assert small_balance_thresholds(company_ensure())["USD"] == 50_00  # the default for any other currency
    threshold("USD", 70_00)  # another currency's row: CNY keeps its own threshold
    threshold("CNY", 50_00)
    assert set(residues()) == set(looked_up()) == {residue}


def test_a_usd_31_residue_no_longer_reaches_hand_off_to_litigation(policy, people,
                                                                    django_capture_on_commit_callbacks):
    customer = make_customer(people)
    exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1"))
    inv = factories.invoice(customer, net=1_000_00, tax=0, issued=ISSUED, currency="USD")
    pay(customer, inv, 969_00)  # the bank kept USD 31.00 of charges
    assert Invoice.objects.get(pk=inv.pk).amount_open_minor == 31_00

    with django_capture_on_commit_callbacks(execute=True):
        for offset in (1, 15, 30, 60, 90, 180):
            dunning_run(as_of=date(2026, 2, 9) + timedelta(days=offset))

    assert stages_of(inv) == []
    assert not CreditHold.objects.filter(customer=customer).exists()


def test_the_same_balance_is_dunned_to_hand_off_when_it_is_not_a_residue(policy, people,
                                                                          django_capture_on_commit_callbacks):
    threshold("USD", 0)  # no USD residues at all
    customer = make_customer(people)
    exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1"))
    inv = factories.invoice(customer, net=1_000_00, tax=0, issued=ISSUED, currency="USD")
    pay(customer, inv, 969_00)

    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(as_of=date(2026, 2, 9) + timedelta(days=180))

    assert stages_of(inv) == ["handoff"]


def test_an_18_residue_puts_no_stop_supply_hold(policy, people, django_capture_on_commit_callbacks):
    customer = make_customer(people)
    inv = factories.invoice(customer, net=1_000_00, tax=0, issued=ISSUED)
    pay(customer, inv, 982_00)  # 18.00 left
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(as_of=date(2026, 2, 9) + timedelta(days=60))
    assert stages_of(inv) == []
    assert not CreditHold.objects.filter(customer=customer, active=True).exists()

    threshold("CNY", 10_00)  # 18.00 is no longer small: the stage and its hold follow
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(as_of=date(2026, 2, 9) + timedelta(days=61))
    assert stages_of(inv) == ["stop_supply"]
    assert CreditHold.objects.get(customer=customer, active=True).reason_code == "dunning_stop_supply"


def test_a_residue_does_not_trip_the_overdue_block_of_the_credit_check(people):
    customer = make_customer(people)
    rate(customer, overdue_block_days=90, overdue_block_min_minor=0)  # every overdue item counts, however small
    inv = factories.invoice(customer, net=1_000_00, tax=0, issued=ISSUED)
    pay(customer, inv, 982_00)

    def decision():
        return exposure.credit_check(customer=customer, amount_minor=100_00, currency="CNY", document_kind="order",
                                     lock=False, as_of=date(2026, 5, 30))

    assert decision().decision == "allow"
    threshold("CNY", 0)
    result = decision()
    assert result.decision == "block" and [r["code"] for r in result.reasons] == ["overdue"]
