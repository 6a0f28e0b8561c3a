"""Builders the exposure tests share: a credit profile (the credit app's model, made directly) and users."""

from __future__ import annotations

import pytest

from tests import factories


def rate(customer, *, grade: str = "B", limit: int | None = 500_000_00, currency: str = "CNY", **fields):
    """Put ``customer`` under credit control: a CreditProfile with ``grade`` and ``limit`` (minor units)."""
    from arms.credit.models import CreditProfile

    profile, _created = CreditProfile.objects.update_or_create(
        customer=customer, defaults={"grade": grade, "limit_minor": limit, "currency": currency,
                                     "prepayment_only": grade == "D", **fields})
    return profile


@pytest.fixture
def credit_manager(db):
    return factories.user("credit_mgr", role="credit_manager")


@pytest.fixture
def second_credit_manager(db):
    return factories.user("credit_mgr2", role="credit_manager")


@pytest.fixture
def sales(db):
    return factories.user("sales1", role="sales")
