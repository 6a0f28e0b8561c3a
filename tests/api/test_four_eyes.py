"""The four-eyes rule is one rule with one code (issue 11): whoever asked never decides, on every approval path,
whatever their role. Each refusal is 403 ``four_eyes`` and writes nothing (no decision, no audit event)."""

from __future__ import annotations

from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.cases.models import InstallmentPlan
from arms.cases.services import plan_request
from arms.common.approvals import FourEyes, require_second_person
from arms.common.errors import ErrorCode
from arms.credit.models import CreditProfile, LimitChangeRequest
from arms.credit.services import limit_request_create, rating_run
from arms.exposure.models import CreditOverride
from arms.exposure.services import override_request
from tests import factories
from tests.api.conftest import Api, assert_error


def test_the_rule_itself():
    alice, bob = factories.user("alice"), factories.user("bob")
    with pytest.raises(FourEyes) as refused:
        require_second_person(alice, alice)
    assert (refused.value.code, refused.value.status) == (ErrorCode.FOUR_EYES, 403)
    with pytest.raises(FourEyes):
        require_second_person(alice.pk, alice)
    require_second_person(alice, bob)
    require_second_person(None, bob)  # nobody asked (a system proposal): anyone entitled decides


def _state():
    return (AuditEvent.objects.count(),
            list(InstallmentPlan.objects.values_list("status", "decided_by_id")),
            list(LimitChangeRequest.objects.values_list("status", "credit_approved_by_id",
                                                        "finance_approved_by_id", "decided_by_id")),
            list(CreditOverride.objects.values_list("status", "decided_by_id")),
            list(CreditProfile.objects.values_list("limit_minor", flat=True)))


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_an_installment_plan_is_never_decided_by_its_requester(db, clerk, decision):
    manager = factories.user("fm_plan", role="finance_manager")
    customer = factories.customer("C-4E")
    invoice = factories.invoice(customer, number="INV-4E", net=100_000, tax=13_000, issued=date(2026, 1, 10),
                                actor=clerk)
    plan = plan_request(customer=customer, invoices=[invoice], installments=2, first_due_on=date(2026, 3, 31),
                        starts_on=date(2026, 3, 1), actor=manager)
    api = Api(manager)  # making its token is audited: before the snapshot
    before = _state()

    response = api.post(f"/collections/plans/{plan.pk}/{decision}", {"note": "自己批"})

    assert_error(response, 403, "four_eyes", None)
    assert _state() == before


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_limit_request_is_never_decided_by_its_requester(db, decision):
    manager = factories.user("cm_limit", role="credit_manager")
    customer = factories.customer("C-4E-L")
    rating_run(customer=customer, as_of=date(2026, 3, 31))
    request = limit_request_create(customer=customer, actor=manager, requested_limit_minor=100_00,
                                   justification="自己申请")
    api = Api(manager)  # making its token is audited: before the snapshot
    before = _state()

    response = api.post(f"/credit/limit-requests/{request.pk}/{decision}", {"note": "自己批"})

    assert_error(response, 403, "four_eyes", None)
    assert _state() == before


@pytest.mark.parametrize("decision", ["approve", "reject"])
@pytest.mark.parametrize("superuser", [False, True])
def test_a_credit_override_is_never_decided_by_its_requester(db, decision, superuser):
    manager = factories.user("cm_override", role=None if superuser else "credit_manager", superuser=superuser)
    customer = factories.customer("C-4E-O")
    override = override_request(customer=customer, amount_minor=1_000_00, currency="CNY", reason="急单",
                                actor=manager)
    api = Api(manager)  # making its token is audited: before the snapshot
    before = _state()

    response = api.post(f"/credit/overrides/{override.pk}/{decision}", {"note": "自己批"})

    assert_error(response, 403, "four_eyes", None)
    assert _state() == before
