"""Holds and overrides: idempotent holds, audited releases, and separation of duties on overrides (the requester
never decides, only a credit manager decides, a refused decision changes nothing)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from arms.audit.models import AuditEvent
from arms.common.errors import Conflict, Forbidden, ValidationFailed
from arms.common.models import Notification
from arms.exposure import services
from arms.exposure.models import CreditHold, CreditOverride, OverrideStatus
from arms.exposure.selectors import holds_active
from tests import factories

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every row a refused hold or override call could have touched."""
    return {
        "holds": sorted(CreditHold.objects.values_list("pk", "active", "released_at", "release_note")),
        "overrides": sorted(CreditOverride.objects.values_list("pk", "status", "decided_by", "decided_at",
                                                               "expires_at", "decision_note")),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


# ---------------------------------------------------------------- holds


def test_placing_the_same_hold_twice_returns_the_active_one(customer, credit_manager):
    first = services.hold_place(customer=customer, reason_code="dunning_stop_supply", note="第4级",
                                source_ref="dunning:41", actor=None)
    again = services.hold_place(customer=customer, reason_code="dunning_stop_supply", note="第4级",
                                source_ref="dunning:41", actor=None)
    other = services.hold_place(customer=customer, reason_code="dunning_stop_supply", note="",
                                source_ref="dunning:42", actor=None)
    assert again.pk == first.pk != other.pk
    assert list(holds_active(customer)) == [first, other]
    assert AuditEvent.objects.filter(action="credit_hold_placed").count() == 2


def test_a_released_hold_can_be_placed_again_as_a_new_hold(customer, credit_manager):
    first = services.hold_place(customer=customer, reason_code="manual", note="付款异常", actor=credit_manager)
    released = services.hold_release(hold=first, actor=credit_manager, note="已核实")
    second = services.hold_place(customer=customer, reason_code="manual", note="付款异常", actor=credit_manager)
    assert (released.active, released.released_by, released.release_note) == (False, credit_manager, "已核实")
    assert second.pk != first.pk and second.active
    event = AuditEvent.objects.get(action="credit_hold_released")
    assert (event.before["active"], event.after["active"], event.actor) == (True, False, credit_manager)


def test_placing_a_hold_tells_the_salesperson_and_collector(company, credit_manager):
    sales, collector = factories.user(role="sales"), factories.user(role="collector")
    customer = factories.customer(salesperson=sales, collector=collector)
    services.hold_place(customer=customer, reason_code="limit", note="超额", actor=credit_manager)
    assert sorted(Notification.objects.values_list("user__username", "kind")) == sorted(
        [(sales.username, "credit.hold_placed"), (collector.username, "credit.hold_placed")])


def test_refused_hold_calls_change_nothing(customer, credit_manager):
    hold = services.hold_place(customer=customer, reason_code="manual", note="x", actor=credit_manager)
    services.hold_release(hold=hold, actor=credit_manager, note="done")
    before = snapshot()
    with pytest.raises(Conflict) as twice:
        services.hold_release(hold=hold, actor=credit_manager, note="again")
    with pytest.raises(ValidationFailed) as no_note:
        services.hold_place(customer=customer, reason_code="manual", note="  ", actor=credit_manager)
    with pytest.raises(ValidationFailed) as bad_reason:
        services.hold_place(customer=customer, reason_code="whim", note="x", actor=credit_manager)
    with pytest.raises(ValidationFailed) as no_release_note:
        services.hold_release(hold=services.hold_place(customer=customer, reason_code="limit", note="", actor=None),
                              actor=credit_manager, note="")
    assert (twice.value.code, no_note.value.field, bad_reason.value.field, no_release_note.value.field) == (
        "hold_not_active", "note", "reason_code", "note")
    assert snapshot()["holds"][:1] == before["holds"]


def test_the_database_refuses_two_active_holds_from_one_source(customer):
    CreditHold.objects.create(customer=customer, reason_code="manual", source_ref="")
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditHold.objects.create(customer=customer, reason_code="manual", source_ref="")


def test_the_database_refuses_a_released_hold_without_a_time(customer):
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditHold.objects.create(customer=customer, reason_code="manual", active=False)


# ---------------------------------------------------------------- overrides: separation of duties


@pytest.fixture
def requested(customer, clerk):
    return services.override_request(customer=customer, amount_minor=50_000_00, currency="CNY",
                                     reason="客户承诺月底回款", actor=clerk, document_kind="invoice")


def test_a_request_is_audited_and_tells_the_credit_managers(customer, clerk, credit_manager, requested):
    assert requested.status == OverrideStatus.REQUESTED and requested.expires_at is None
    assert AuditEvent.objects.filter(action="credit_override_requested", subject_id=str(requested.pk)).count() == 1
    assert list(Notification.objects.values_list("user__username", "kind")) == [
        (credit_manager.username, "credit.override_requested")]


def test_a_credit_manager_cannot_approve_their_own_request_and_nothing_changes(customer, credit_manager):
    own = services.override_request(customer=customer, amount_minor=1_000_00, currency="CNY", reason="急单",
                                    actor=credit_manager)
    before = snapshot()

    with pytest.raises(Forbidden) as refused:
        services.override_approve(override=own, actor=credit_manager, note="我自己批")
    with pytest.raises(Forbidden):
        services.override_reject(override=own, actor=credit_manager, note="撤回")

    assert refused.value.code == "four_eyes"
    assert snapshot() == before
    own.refresh_from_db()
    assert (own.status, own.decided_by, own.expires_at) == (OverrideStatus.REQUESTED, None, None)


def test_a_superuser_is_refused_self_approval_too(customer):
    admin = factories.user("root", superuser=True)
    own = services.override_request(customer=customer, amount_minor=1_00, currency="CNY", reason="r", actor=admin)
    with pytest.raises(Forbidden):
        services.override_approve(override=own, actor=admin)


def test_only_a_credit_manager_decides(clerk, requested):
    for role in ("finance_manager", "finance_clerk", "sales", "auditor"):
        with pytest.raises(Forbidden):
            services.override_approve(override=requested, actor=factories.user(role=role))
    with pytest.raises(Forbidden):
        services.override_approve(override=requested, actor=None)
    requested.refresh_from_db()
    assert requested.status == OverrideStatus.REQUESTED


def test_another_credit_manager_approves_and_the_override_expires_after_its_days(credit_manager, clerk, requested):
    start = timezone.now()
    approved = services.override_approve(override=requested, actor=credit_manager, note="同意一次", valid_days=3)
    assert (approved.status, approved.decided_by, approved.valid_days) == (OverrideStatus.APPROVED, credit_manager, 3)
    assert start + timedelta(days=3) <= approved.expires_at <= timezone.now() + timedelta(days=3)
    assert approved.is_usable() and not approved.is_usable(approved.expires_at)
    event = AuditEvent.objects.get(action="credit_override_approved")
    assert (event.before["status"], event.after["status"], event.actor) == ("requested", "approved", credit_manager)
    assert Notification.objects.filter(user=clerk, kind="credit.override_decided").count() == 1


def test_a_decided_override_cannot_be_decided_again(credit_manager, second_credit_manager, requested):
    services.override_reject(override=requested, actor=credit_manager, note="额度已满")
    before = snapshot()
    with pytest.raises(Conflict) as again:
        services.override_approve(override=requested, actor=second_credit_manager)
    assert again.value.code == "override_already_decided"
    assert snapshot() == before


def test_a_rejection_needs_a_reason(credit_manager, requested):
    with pytest.raises(ValidationFailed) as refused:
        services.override_reject(override=requested, actor=credit_manager, note=" ")
    assert refused.value.field == "note"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"amount_minor": 0}, "amount_minor"),
    ({"amount_minor": -5}, "amount_minor"),
    ({"reason": ""}, "reason"),
    ({"currency": "RMB1"}, "currency"),
    ({"document_kind": "quote"}, "document_kind"),
    ({"valid_days": 0}, "valid_days"),
    ({"valid_days": 91}, "valid_days"),
])
def test_a_malformed_request_names_its_field_and_writes_nothing(customer, clerk, kwargs, field):
    arguments = {"customer": customer, "amount_minor": 1_00, "currency": "CNY", "reason": "r", "actor": clerk,
                 **kwargs}
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.override_request(**arguments)
    assert refused.value.field == field
    assert snapshot() == before


def test_the_database_refuses_a_decider_who_is_the_requester(customer, clerk):
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditOverride.objects.create(customer=customer, amount_minor=1, currency="CNY", reason="r",
                                      requested_by=clerk, decided_by=clerk)


def test_the_database_refuses_an_approved_override_without_expiry(customer, clerk):
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditOverride.objects.create(customer=customer, amount_minor=1, currency="CNY", reason="r",
                                      requested_by=clerk, status="approved")
