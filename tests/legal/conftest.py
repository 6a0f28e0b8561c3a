"""Shared set-up of the legal tests: dunning's default ladder and people (its conftest), legal users, a law firm."""

from __future__ import annotations

import pytest

from tests import factories
from tests.dunning.conftest import _media, _pdf_stub, buyer, people, policy, real_pdf  # noqa: F401  (shared)


@pytest.fixture
def lawyer(db):
    return factories.user("legal-a", role="legal")


@pytest.fixture
def lawyer2(db):
    return factories.user("legal-b", role="legal")


@pytest.fixture
def manager(db):
    return factories.user("fm-l", role="finance_manager")


@pytest.fixture
def law_firm(db, company, lawyer):
    from arms.legal.services import legal_settings_update

    return legal_settings_update(actor=lawyer, company=company, issuer_mode="law_firm",
                                 firm_name="上海明理律师事务所", lawyer_name="张明", licence_number="13101200910123456",
                                 firm_address="上海市黄浦区中山东一路1号", firm_phone="021-63210000")
