"""A contract's tiered late-interest clause is what runs, the interest API and the letters use."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from arms.dunning.models import DunningAction, DunningItem
from arms.dunning.services import dunning_run
from tests import factories
from tests.dunning.conftest import AFTER_THE_STORIES, make_contract, make_customer

pytestmark = AFTER_THE_STORIES

DUE = date(2026, 2, 9)  # invoices issued 10 Jan on 30 days, as in test_services
TIERS = [{"from_day": 1, "daily_rate": "0.0003"}, {"from_day": 30, "daily_rate": "0.0006"}]


@pytest.mark.django_db
def test_the_run_and_the_letter_use_the_contracts_tiers(policy, people):
    from django.template.loader import render_to_string
    from django.utils import translation

    from arms.dunning.documents import letter_for

    customer = make_customer(people)
    contract = make_contract(customer, daily=Decimal("0.0005"), penalty=Decimal(0))
    contract.late_interest_tiers = TIERS
    contract.save()
    invoice = factories.invoice(customer, contract=contract)
    dunning_run(as_of=DUE + timedelta(days=40), process=False)
    item = DunningItem.objects.get(invoice=invoice, outcome="actioned")
    # 113,000 open: 29 days at 0.0003, 11 at 0.0006 (the single 0.0005 is not used)
    assert item.interest_minor == round(113_000 * (29 * Decimal("0.0003") + 11 * Decimal("0.0006")))
    letter = letter_for(DunningAction.objects.filter(customer=customer).first())
    with translation.override(letter.language):
        clauses = render_to_string("dunning/pdf/_clauses.html", letter.as_context())
    assert "第 1 天至第 29 天" in clauses and "第 30 天起" in clauses and "万分之6" in clauses
    statement_line = letter.statement[0]
    assert statement_line.interest_minor == item.interest_minor


@pytest.mark.django_db
def test_the_interest_api_reads_the_tiers(policy, people, client):
    from arms.accounts.roles import Role
    from tests.factories import user

    customer = make_customer(people)
    contract = make_contract(customer, daily=Decimal("0.0005"), penalty=Decimal(0))
    contract.late_interest_tiers = TIERS
    contract.save()
    invoice = factories.invoice(customer, contract=contract)
    client.force_login(user("tiers-clerk", role=Role.FINANCE_MANAGER))
    body = client.get("/api/v1/dunning/interest", {"invoice_id": invoice.pk,
                                                    "as_of": str(DUE + timedelta(days=40))}).json()
    assert body["interest_minor"] == round(113_000 * (29 * Decimal("0.0003") + 11 * Decimal("0.0006")))
    assert body["tiers"] == TIERS
