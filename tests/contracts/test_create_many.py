"""Many contracts of a customer in one call (``contracts_create_many``, the demo seed uses it): the rows, milestones
and audit events are those ``contract_create`` writes one after the other, each contract's credit check sees the
ones before it, and a refused contract is named by its place with nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.audit.services import audit_verify
from arms.common.errors import ArmsError, ErrorCode
from arms.contracts.models import Contract, ContractMilestone
from arms.contracts.services import (
    ContractIn,
    ContractTerms,
    MilestoneIn,
    contract_create,
    contract_terms,
    contracts_create_many,
)
from tests import factories
from tests.exposure.conftest import rate

pytestmark = pytest.mark.django_db

SIGNED = date(2026, 1, 5)
#: three contracts as a salesperson enters them: active with milestones, other terms, a draft
CONTRACTS = [
    ({"amount_minor": 1_000_000_00, "payment_terms_days": 45, "late_interest_rate_daily": "0.0005",
      "penalty_rate": "0.05", "guarantee_type": "mortgage", "dispute_resolution": "arbitration",
      "dispute_venue": "上海国际仲裁中心", "start_date": date(2026, 1, 10), "end_date": date(2026, 12, 31)},
     [MilestoneIn("预付款", 3000), MilestoneIn("到货款", 6000, 30), MilestoneIn("质保金", 1000, 365)]),
    ({"amount_minor": 20_000_00, "title": "维保服务", "payment_terms_basis": "month_end"}, []),
    ({"amount_minor": 300_000_00, "status": "draft", "discount_pct": "2", "discount_days": 10},
     [MilestoneIn("全款", 10_000, 0)]),
]


def _written(contract: Contract) -> tuple:
    fields = {f.attname: getattr(contract, f.attname) for f in Contract._meta.concrete_fields
              if f.attname not in ("id", "customer_id", "number", "created_at", "updated_at")}
    event = AuditEvent.objects.get(action="contract_created", subject_id=str(contract.pk))
    return fields, contract_terms(contract), {**event.after, "number": ""}, event.actor_name


def test_the_contracts_are_those_contract_create_writes(clerk):
    one_by_one, in_one_call = factories.customer(), factories.customer()
    singles = [contract_create(actor=clerk, customer=one_by_one, number=f"HT-A{n}", signed_date=SIGNED,
                               milestones=milestones, **terms)
               for n, (terms, milestones) in enumerate(CONTRACTS)]

    many = contracts_create_many(actor=clerk, customer=in_one_call, contracts=[
        ContractIn(number=f" HT-B{n} ", terms=ContractTerms(signed_date=SIGNED, **terms), milestones=tuple(milestones))
        for n, (terms, milestones) in enumerate(CONTRACTS)])

    assert [contract.number for contract in many] == ["HT-B0", "HT-B1", "HT-B2"]
    for single, bulk in zip(singles, many, strict=True):
        bulk.refresh_from_db()
        assert _written(bulk) == _written(single)
    assert ContractMilestone.objects.filter(contract__customer=in_one_call).count() == 4
    # in contract_create's order: each contract's event after the one before it
    events = AuditEvent.objects.filter(action="contract_created", subject_id__in=[str(c.pk) for c in many])
    assert [event.subject_id for event in events.order_by("seq")] == [str(c.pk) for c in many]
    assert audit_verify().ok


def test_each_contracts_credit_check_counts_the_ones_before_it(clerk):
    customer = factories.customer()
    rate(customer, grade="B", limit=5_000_000_00)
    before = (Contract.objects.count(), AuditEvent.objects.count())
    contracts = [ContractIn(number=f"HT-{n}", terms=ContractTerms(signed_date=SIGNED, amount_minor=3_000_000_00))
                 for n in range(2)]

    with pytest.raises(ArmsError) as refused:
        contracts_create_many(actor=clerk, customer=customer, contracts=contracts)

    assert refused.value.code == ErrorCode.CREDIT_BLOCKED
    assert refused.value.details["index"] == 1
    assert (Contract.objects.count(), AuditEvent.objects.count()) == before
    # as one at a time: the first fits the limit, the second does not
    contract_create(actor=clerk, customer=customer, number="HT-0", signed_date=SIGNED, amount_minor=3_000_000_00)
    with pytest.raises(ArmsError) as single:
        contract_create(actor=clerk, customer=customer, number="HT-1", signed_date=SIGNED, amount_minor=3_000_000_00)
    assert single.value.code == ErrorCode.CREDIT_BLOCKED


@pytest.mark.parametrize(("second", "code", "field"), [
    (ContractIn(number="HT-1", terms=ContractTerms(signed_date=SIGNED, amount_minor=100_00)),
     ErrorCode.DUPLICATE_NUMBER, "contracts[1].number"),
    (ContractIn(number="HT-2", terms=ContractTerms(signed_date=SIGNED, amount_minor=100_00,
                                                   start_date=date(2026, 2, 1), end_date=date(2026, 1, 1))),
     "invalid", "contracts[1].end_date"),
    (ContractIn(number="HT-2", terms=ContractTerms(signed_date=SIGNED, amount_minor=100_00),
                milestones=(MilestoneIn("预付款", 3000), MilestoneIn("尾款", 6000))),
     "invalid", "contracts[1].milestones"),
    (ContractIn(number="HT-2", terms=ContractTerms(signed_date=SIGNED)), "invalid", "contracts[1].amount_minor"),
    (ContractIn(number=" ", terms=ContractTerms(signed_date=SIGNED, amount_minor=100_00)),
     "invalid", "contracts[1].number"),
])
def test_a_bad_contract_is_refused_by_its_place_and_nothing_is_written(clerk, second, code, field):
    customer = factories.customer()
    before = (Contract.objects.count(), ContractMilestone.objects.count(), AuditEvent.objects.count())
    first = ContractIn(number="HT-1", terms=ContractTerms(signed_date=SIGNED, amount_minor=100_00))

    with pytest.raises(ArmsError) as refused:
        contracts_create_many(actor=clerk, customer=customer, contracts=[first, second])

    assert (refused.value.code, refused.value.field) == (code, field)
    assert (Contract.objects.count(), ContractMilestone.objects.count(), AuditEvent.objects.count()) == before
