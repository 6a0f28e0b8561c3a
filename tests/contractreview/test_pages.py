"""The contract pages as people use them, the performance figures, the reminders and the CLI."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from arms.common.models import Notification
from arms.contractreview.models import ContractReview
from arms.contractreview.services import contract_reminders
from arms.contracts.models import Contract
from arms.contracts.services import MilestoneIn, contract_create, contract_milestone_event
from tests import factories

pytestmark = pytest.mark.django_db

FORM = {"number": "HT-P-1", "title": "阀门采购", "currency": "CNY", "amount": "300,000.00",
        "payment_terms_days": "30", "late_interest_rate_daily": "0.0005", "penalty_rate": "0",
        "guarantee_type": "none", "dispute_resolution": "litigation", "dispute_venue": "上海市浦东新区人民法院",
        "governing_law": "中华人民共和国法律", "discount_pct": "0", "discount_days": "0",
        "tiers": "1 0.0003\n30 0.0006", "milestones": "预付款 30 0\n验收款 70 30"}


def test_a_draft_is_made_submitted_decided_and_signed_in_the_ui(client, company):
    sales = factories.user("p-sales", role="sales")
    customer = factories.customer("P001", salesperson=sales)
    client.force_login(sales)
    today = timezone.localdate()
    bad = client.post(reverse("contractreview:create"), {**FORM, "customer_code": "P001",
                                                         "signed_date": today.isoformat(),
                                                         "tiers": "30 0.0003\n1 0.0006"})
    assert bad.status_code == 400 and "error-tiers" in bad.content.decode()
    assert not Contract.objects.exists()
    made = client.post(reverse("contractreview:create"), {**FORM, "customer_code": "P001",
                                                          "signed_date": today.isoformat()})
    assert made.status_code == 302, made.content.decode()[:2000]
    contract = Contract.objects.get(number="HT-P-1")
    assert (contract.status, contract.customer, contract.amount_minor) == ("draft", customer, 30_000_000)
    assert contract.late_interest_tiers[1] == {"from_day": 30, "daily_rate": "0.0006"}
    assert [m.share_bp for m in contract.milestones.all()] == [3000, 7000]
    assert client.get(reverse("contractreview:detail", args=[contract.pk])).status_code == 200
    assert client.post(reverse("contractreview:submit", args=[contract.pk])).status_code == 302
    contract.refresh_from_db()
    assert contract.status == "in_review"

    executive = factories.user("p-exec", role="executive")
    client.force_login(executive)
    page = client.get(reverse("contractreview:review", args=[contract.pk])).content.decode()
    assert 'id="review-decide-form"' in page and 'data-clause="acceptance"' in page
    refused = client.post(reverse("contractreview:decide", args=[contract.pk]),
                          {"decision": "approved", "confirmed": ["payment_terms", "late_interest"]})
    assert refused.status_code == 400
    returned = client.post(reverse("contractreview:decide", args=[contract.pk]),
                           {"decision": "returned", "comment": "缺少验收条款"})
    assert returned.status_code == 302
    contract.refresh_from_db()
    assert contract.status == "draft"
    assert ContractReview.objects.get().steps.get(kind="sales").comment == "缺少验收条款"


def test_performance_shows_delivery_invoicing_lag_and_overdue(company):
    clerk = factories.user("p-clerk", role="finance_clerk")
    customer = factories.customer("P002")
    today = timezone.localdate()
    contract = contract_create(actor=clerk, customer=customer, number="HT-P-2", signed_date=today - timedelta(
        days=120), amount_minor=10_000_000, milestones=[MilestoneIn("到货款", 5000), MilestoneIn("验收款", 5000, 30)])
    contract_milestone_event(actor=clerk, contract=contract, sequence=1, event_date=today - timedelta(days=100))
    factories.invoice(customer, issued=today - timedelta(days=90), net=4_424_779, tax=575_221, contract=contract)
    from arms.contractreview.selectors import contract_performance

    perf = contract_performance(contract, today=today)
    assert (perf.invoiced_minor, perf.open_minor, perf.paid_minor) == (5_000_000, 5_000_000, 0)
    assert perf.overdue_minor == 5_000_000  # 90 days ago on 30 days
    assert perf.uninvoiced_minor == 5_000_000 and perf.delivered_minor == 5_000_000
    first, second = perf.milestones
    assert (first.event_date, first.invoiced_on, first.lag_days) == (today - timedelta(days=100),
                                                                     today - timedelta(days=90), 10)
    assert (second.event_date, second.lag_days) == (None, None)


def test_reminders_go_once_to_the_salesperson_and_the_cli_lists_them(company):
    sales = factories.user("p-sales2", role="sales")
    customer = factories.customer("P003", salesperson=sales)
    today = timezone.localdate()
    contract_create(actor=None, customer=customer, number="HT-P-3", signed_date=today - timedelta(days=300),
                    amount_minor=1_000_000, end_date=today + timedelta(days=30))
    contract_create(actor=None, customer=customer, number="HT-P-4", signed_date=today - timedelta(days=300),
                    amount_minor=1_000_000, review_date=today)
    contract_create(actor=None, customer=customer, number="HT-P-5", signed_date=today - timedelta(days=300),
                    amount_minor=1_000_000, end_date=today + timedelta(days=200))
    assert contract_reminders(company=company, today=today) == {"expiring": 1, "review_due": 1}
    assert contract_reminders(company=company, today=today) == {"expiring": 0, "review_due": 0}
    assert Notification.objects.filter(user=sales, kind__startswith="contractreview.").count() == 2
    out = StringIO()
    call_command("contracts", "expiring", "--json", stdout=out)
    assert sorted(r["number"] for r in json.loads(out.getvalue())) == ["HT-P-3", "HT-P-4"]
