"""Service inputs are typed keyword-only parameters, checked in one place (issue 11: no more ``**fields`` and
hand-written ``_clean(fields)`` dict validators in the customer and contract services)."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.common.inputs import UNSET
from arms.contracts.models import Contract
from arms.contracts.services import ContractTerms, contract_amend, contract_create
from arms.customers.models import Customer
from arms.customers.services import CustomerFields, customer_create, customer_update

SERVICES = [customer_create, customer_update, contract_create, contract_amend]


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.__name__)
def test_every_parameter_is_keyword_only_and_typed(service):
    parameters = inspect.signature(service).parameters.values()
    assert [p.name for p in parameters if p.kind is not p.KEYWORD_ONLY] == []
    assert [p.name for p in parameters if p.name != "actor" and p.annotation is inspect.Parameter.empty] == []


@pytest.mark.parametrize(("service", "names"), [
    (customer_update, CustomerFields.names()), (contract_amend, ContractTerms.names()),
], ids=["customer_update", "contract_amend"])
def test_an_update_takes_every_field_of_its_input_and_leaves_them_unset(service, names):
    parameters = inspect.signature(service).parameters
    assert {name: parameters[name].default for name in names} == dict.fromkeys(names, UNSET)


@pytest.mark.django_db
def test_an_unknown_field_is_refused_before_anything_is_written(customer):
    with pytest.raises(TypeError):
        customer_create(actor=None, code="C9", name="某公司", colour="red")
    with pytest.raises(TypeError):
        customer_update(actor=None, customer=customer, colour="red")
    with pytest.raises(TypeError):
        contract_create(actor=None, customer=customer, number="HT-9", signed_date=date(2026, 1, 1),
                        amount_minor=100, colour="red")
    assert Customer.objects.count() == 1
    assert not Contract.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["customer_created", "customer_updated",
                                                     "contract_created"]).exists()


def test_the_input_gives_only_what_the_caller_gave():
    terms = ContractTerms(title="年度框架", start_date=None)
    assert terms.given() == {"title": "年度框架", "start_date": None}
    assert CustomerFields(notes="").clean() == {"notes": ""}
