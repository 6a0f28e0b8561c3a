"""``arms.common.bulk.Among``: the bulk path's look-up by many keys finds what ``__in`` finds, on either database."""

from __future__ import annotations

import pytest
from django.db.models import F

from arms.common.bulk import Among
from arms.customers.models import Customer
from tests import factories


@pytest.fixture
def customers(company):
    return [factories.customer(f"AM{n}") for n in range(5)]


def test_among_finds_what_in_finds(customers):
    codes = ["AM1", "AM3", "AM3", "nobody", "AM4"]  # a repeated key and one that does not exist
    found = set(Customer.objects.filter(Among(F("code"), codes)).values_list("code", flat=True))
    assert found == set(Customer.objects.filter(code__in=codes).values_list("code", flat=True)) == {"AM1", "AM3",
                                                                                                     "AM4"}
    ids = [customers[0].pk, customers[2].pk]
    assert sorted(Customer.objects.filter(Among(F("pk"), ids)).values_list("pk", flat=True)) == sorted(ids)


def test_among_with_no_key_finds_nothing(customers):
    assert not Customer.objects.filter(Among(F("code"), [])).exists()
    assert not Customer.objects.filter(Among(F("code"), [None])).exists()


def test_chunked_covers_every_key_once(customers, monkeypatch):
    monkeypatch.setattr(Among, "CHUNK", 2)
    codes = ["AM0", "AM1", "AM1", "AM2", "AM3", "nobody"]
    lookups = list(Among.chunked("code", codes))
    assert [lookup.rhs for lookup in lookups] == [["AM0", "AM1"], ["AM2", "AM3"], ["nobody"]]
    found = [code for lookup in lookups for code in Customer.objects.filter(lookup).values_list("code", flat=True)]
    assert sorted(found) == ["AM0", "AM1", "AM2", "AM3"]
    assert list(Among.chunked("code", [])) == []
