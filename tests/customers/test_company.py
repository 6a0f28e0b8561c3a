"""The company's base currency is CNY, a constant of the code (ADR 0001): there is no setting for it, and the
database refuses a company kept in another currency."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from arms.customers.models import Company
from arms.domain.money import BASE_CURRENCY


@pytest.mark.django_db
def test_base_currency_is_cny_and_another_is_refused(company):
    assert company.base_currency == BASE_CURRENCY == "CNY"
    assert not hasattr(settings, "ARMS_BASE_CURRENCY")  # the setting nothing read is gone
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(code="EU", name="EU GmbH", base_currency="EUR")
    assert not Company.objects.filter(code="EU").exists()
