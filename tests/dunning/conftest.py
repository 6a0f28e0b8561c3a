"""Shared set-up of the dunning tests: the default ladder, a customer with a finance contact, and the people
who hold the three escalation levels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests import factories

# The dunning stories run in the first half of 2026 (invoices of January, runs up to +95 days in May): the
# modules that tell them run on this day (`pytestmark = AFTER_THE_STORIES`), since a run for a day still in the
# future is refused.
AFTER_THE_STORIES = pytest.mark.clock(date(2026, 6, 1))


@pytest.fixture
def policy(db):
    from arms.dunning.services import policy_ensure_default

    return policy_ensure_default()


@pytest.fixture
def people(db):
    """salesperson, collector, legal: who the three levels go to."""
    return {
        "sales": factories.user("sales-d", role="sales"),
        "collector": factories.user("collector-d", role="collector"),
        "legal": factories.user("legal-d", role="legal"),
        "manager": factories.user("fm-d", role="finance_manager"),
    }


def make_customer(people, *, email: str | None = "ap@buyer.example.cn", **fields):
    from arms.customers.models import Contact

    cust = factories.customer(salesperson=people["sales"], collector=people["collector"],
                              address="上海市浦东新区世纪大道100号", **fields)
    if email:
        Contact.objects.create(customer=cust, name="王会计", role="财务经理", email=email, is_primary=False)
        Contact.objects.create(customer=cust, name="李采购", role="采购", email="buyer@buyer.example.cn",
                               is_primary=True)
    return cust


def make_contract(cust, *, daily=Decimal("0.0005"), penalty=Decimal("0.05"), number: str | None = None):
    from arms.contracts.models import Contract

    return Contract.objects.create(
        company=cust.company, customer=cust, number=number or f"HT-{cust.code}", title="工业阀门采购合同",
        signed_date=date(2025, 12, 1), amount_minor=100_000_000, payment_terms_days=30,
        late_interest_rate_daily=daily, penalty_rate=penalty,
        penalty_clause="买方逾期付款的，每逾期一日按逾期金额的万分之五支付逾期利息，并按逾期金额的5%支付违约金。",
        dispute_venue="上海仲裁委员会",
    )


@pytest.fixture
def buyer(db, people):
    return make_customer(people)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Letters and statements are stored under MEDIA_ROOT: a fresh one per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def flushable(transactional_db):
    """Let a transactional test empty the SQLite database afterwards (as tests/web's ``flushable_ledger``):
    Django flushes with DELETE, which the immutability triggers on the journal refuse; lift them for the flush
    and put them back exactly as they were. PostgreSQL flushes with TRUNCATE, which row triggers do not see."""
    from django.core.management import call_command
    from django.db import connection

    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                       "AND (tbl_name LIKE 'ledger_journal%' OR tbl_name LIKE 'cases_%')")
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)


@pytest.fixture
def real_pdf():
    """Ask for this in a test that reads the PDFs back: the others get a stub (WeasyPrint lays out a CJK page in
    about a second, which a suite of runs cannot afford; the scenario and the language tests render for real)."""


@pytest.fixture(autouse=True)
def _pdf_stub(request, monkeypatch):
    if "real_pdf" in request.fixturenames:
        return
    from arms.dunning import documents

    monkeypatch.setattr(documents, "render_pdf", lambda template, context: b"%PDF-1.4\n% stub " + template.encode())
