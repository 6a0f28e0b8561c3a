"""Document numbers: ``sequence_take`` advances a series in one ``UPDATE … RETURNING``, and where the database has
no ``RETURNING`` (SQLite before 3.35) by a locked read and an update; both give the same gap-free numbers."""

from __future__ import annotations

import pytest

from arms.common import services
from arms.common.models import DocumentSequence
from arms.common.services import sequence_next, sequence_take
from arms.customers.services import company_ensure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("returning", [True, False], ids=["returning", "locked read"])
def test_a_series_hands_out_consecutive_numbers_from_its_first(monkeypatch, returning):
    if returning and not services._update_returns():
        pytest.skip("this SQLite has no RETURNING")
    monkeypatch.setattr(services, "_update_returns", lambda: returning)
    company = company_ensure()
    assert not DocumentSequence.objects.filter(company=company, series="TST").exists()

    assert sequence_take(company=company, series="TST", count=3) == ["TST-000001", "TST-000002", "TST-000003"]
    assert sequence_next(company=company, series="TST", prefix="T", width=4) == "T-0004"
    assert sequence_take(company=company, series="TST", count=0) == []
    assert sequence_take(company=company, series="TST", count=2) == ["TST-000005", "TST-000006"]
    assert DocumentSequence.objects.get(company=company, series="TST").next_value == 7
    assert sequence_take(company=company, series="OTHER", count=1) == ["OTHER-000001"]
