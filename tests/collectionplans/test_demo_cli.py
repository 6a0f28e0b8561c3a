"""The demo hook (one approved with a receipt, one waiting, one behind) and the CLI."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from arms.collectionplans.demo import seed_demo
from arms.collectionplans.models import CollectionPlan
from arms.collectionplans.selectors import plan_received
from arms.common.models import Notification
from arms.contracts.services import MilestoneIn, contract_create
from tests import factories


def test_seed_demo_and_the_cli(db, company, today):
    users = {name: factories.user(name, role=role) for name, role in [
        ("sales1", "sales"), ("sales2", "sales"), ("sales3", "sales"), ("finmgr", "finance_manager"),
        ("clerk", "finance_clerk")]}
    one = factories.customer("P1", salesperson=users["sales1"])
    factories.invoice(one, issued=today - timedelta(days=10), net=1_000_000, tax=0)
    two = factories.customer("P2", salesperson=users["sales2"])
    contract_create(actor=None, customer=two, number="HT-DEMO", signed_date=today - timedelta(days=5),
                    amount_minor=2_000_000, milestones=[MilestoneIn("预付款", 5000, 5), MilestoneIn("尾款", 5000, 90)])
    three = factories.customer("P3", salesperson=users["sales3"])
    factories.invoice(three, issued=today - timedelta(days=80), net=400_000, tax=0)

    counts = seed_demo(today=today, seed=1)

    assert counts == {"collection plans approved": 2, "collection plans waiting": 1, "collection plans behind": 1}
    approved = CollectionPlan.objects.get(customer=one)
    assert plan_received(approved) == 500_000
    assert Notification.objects.filter(kind="collectionplans.behind", user=users["sales3"]).count() == 1
    # a second run finds every customer planned and adds nothing
    assert seed_demo(today=today, seed=1) == counts

    out = StringIO()
    call_command("collection_plans", "list", "--status", "approved", stdout=out)
    assert sorted(json.loads(line)["customer"] for line in out.getvalue().splitlines()) == ["P1", "P3"]
    out = StringIO()
    call_command("collection_plans", "variance", "--month", f"{today:%Y-%m}", "--owner", "sales1", stdout=out)
    row = json.loads(out.getvalue().splitlines()[0])
    assert (row["received"], row["plans"]) == ("5,000.00", 1)
