"""The API tested through HTTP: a real bearer token made by ``token_create``, JSON in and out.

``Api`` is a Django test client that speaks as one user. ``counts()`` snapshots every table a refused
request must leave alone, so a refusal test can assert that nothing was written, audit trail included.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from arms.accounts.services import token_create
from arms.audit.models import AuditEvent
from arms.common.models import IdempotencyRecord
from arms.contracts.models import Contract, ContractAttachment, ContractMilestone, ContractVersion
from arms.contracts.services import MilestoneIn, contract_create
from arms.customers.models import Contact, Customer
from arms.ledger import services
from arms.ledger.models import Allocation, CreditNote, ExchangeRate, Invoice, JournalEntry, Payment
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

BASE = "/api/v1"


class Api:
    def __init__(self, user):
        self.user = user
        _token, self.secret = token_create(username=user.username, name="tests")
        # CSRF is enforced as in production: a bearer request must pass without a CSRF token.
        self.client = Client(enforce_csrf_checks=True)

    def _headers(self, headers: dict | None) -> dict:
        return {"Authorization": f"Bearer {self.secret}", **(headers or {})}

    def get(self, path: str, params: dict | None = None, headers: dict | None = None):
        return self.client.get(BASE + path, params or {}, headers=self._headers(headers))

    def post(self, path: str, body=None, headers: dict | None = None):
        data = "" if body is None else json.dumps(body)
        return self.client.post(BASE + path, data, content_type="application/json", headers=self._headers(headers))

    def patch(self, path: str, body, headers: dict | None = None):
        return self.client.patch(BASE + path, json.dumps(body), content_type="application/json",
                                 headers=self._headers(headers))

    def upload(self, path: str, data: dict, headers: dict | None = None):
        return self.client.post(BASE + path, data, headers=self._headers(headers))


def counts() -> dict[str, int]:
    models = [Customer, Contact, Contract, ContractMilestone, ContractVersion, ContractAttachment, Invoice,
              CreditNote, Payment, Allocation, JournalEntry, ExchangeRate, IdempotencyRecord, AuditEvent]
    return {m.__name__: m.objects.count() for m in models}


def assert_error(response, status: int, code: str, field: str | None) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert (error["code"], error.get("field")) == (code, field), error
    assert error["message"]
    return error


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_for(db):
    def make(role: str | None = None, *, superuser: bool = False, username: str | None = None) -> Api:
        return Api(factories.user(username, role=role, superuser=superuser))

    return make


@pytest.fixture
def clerk_api(clerk):
    return Api(clerk)


@pytest.fixture
def manager_api(api_for):
    return api_for("finance_manager", username="manager")


@pytest.fixture
def auditor_api(api_for):
    return api_for("auditor", username="auditor")


@pytest.fixture
def collector_api(api_for):
    return api_for("collector", username="collector")


@pytest.fixture
def sales_api(api_for):
    return api_for("sales", username="sales_li")


@pytest.fixture
def admin_api(api_for):
    return api_for(superuser=True, username="admin")


@pytest.fixture
def invoice(customer, clerk):
    """113,000 fen (1,130.00) issued 2026-01-10 to ``customer`` (30 days: due 2026-02-09)."""
    return factories.invoice(customer, net=100_000, tax=13_000, issued=date(2026, 1, 10), actor=clerk,
                             number="INV-T-1")


@pytest.fixture
def payment(customer, clerk):
    """50,000 fen received 2026-02-01, nothing allocated yet."""
    return factories.payment(customer, amount=50_000, received=date(2026, 2, 1), actor=clerk, number="RCV-T-1")


def make_contract(customer, number="HT-1", *, signed=date(2026, 1, 5), amount=500_000, **fields):
    return contract_create(actor=None, customer=customer, number=number, signed_date=signed, amount_minor=amount,
                           milestones=[MilestoneIn("全款", 10_000)], **fields)


@pytest.fixture
def books(customer, invoice, payment):
    """One of everything, so every endpoint has something to act on: ids by name."""
    [allocation] = services.payment_allocate(actor=None, payment=payment,
                                             lines=[AllocationRequest(invoice.pk, 10_000)], on=date(2026, 2, 1))
    contract = make_contract(customer, "HT-P")
    return {"customer": customer.pk, "invoice": invoice.pk, "payment": payment.pk, "allocation": allocation.pk,
            "contract": contract.pk}
