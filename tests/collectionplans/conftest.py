from __future__ import annotations

from datetime import timedelta

import pytest

from arms.contracts.services import MilestoneIn, contract_create
from tests import factories


@pytest.fixture
def people(db, company):
    return {
        "sales": factories.user("sp", role="sales"),
        "sales2": factories.user("sp2", role="sales"),
        "collector": factories.user("col", role="collector"),
        "fm": factories.user("fm", role="finance_manager"),
        "fm2": factories.user("fm2", role="finance_manager"),
        "clerk": factories.user("fc", role="finance_clerk"),
        "auditor": factories.user("au", role="auditor"),
    }


@pytest.fixture
def buyer(people):
    return factories.customer("B1", name="收款计划客户有限公司", salesperson=people["sales"],
                              collector=people["collector"])


@pytest.fixture
def contract(buyer, today):
    """CNY 100,000.00 signed 20 days ago: 30% on signing (due 10 days later), 60% on delivery (60 days), 10%
    retention (400 days)."""
    return contract_create(actor=None, customer=buyer, number="HT-CP-1", signed_date=today - timedelta(days=20),
                           amount_minor=10_000_000, milestones=[MilestoneIn("预付款", 3000, 10),
                                                                 MilestoneIn("到货款", 6000, 60),
                                                                 MilestoneIn("质保金", 1000, 400)])
