"""What a hand-over refuses, naming the field, with nothing written: the same person, a successor without the role,
a customer not theirs, someone else's side, twice, after completion; a key account to a non-senior collector."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditEvent
from arms.cases.models import Task
from arms.common.errors import ArmsError
from arms.customers.models import Customer, CustomerAssignment
from arms.customers.services import customer_update
from arms.handover.models import Handover
from arms.handover.services import handover_acknowledge, handover_cancel, handover_open
from tests import factories


def _state():
    return {"handovers": Handover.objects.count(), "events": AuditEvent.objects.count(),
            "assignments": CustomerAssignment.objects.count(),
            "collectors": list(Customer.objects.order_by("pk").values_list("collector_id", flat=True)),
            "tasks": list(Task.objects.order_by("pk").values_list("assignee_id", flat=True))}


def _refused(call, *, field, code=None):
    before = _state()
    with pytest.raises(ArmsError) as info:
        call()
    assert info.value.field == field, info.value.message
    if code:
        assert info.value.code == code
    assert _state() == before
    return info.value


def test_open_refusals_name_the_field(book):
    def open_(**kw):
        args = {"actor": book.clerk, "role": "collector", "from_user": book.old, "to_user": book.new, **kw}
        return lambda: handover_open(**args)

    _refused(open_(to_user=book.old), field="to_user")
    _refused(open_(to_user=book.sales), field="to_user")  # a salesperson is no collector
    error = _refused(open_(customer_ids=[book.c1.pk, book.other.pk]), field="customer_ids")
    assert "HC9" in error.message
    _refused(open_(role="boss"), field="role")
    _refused(open_(reason="x" * 5001), field="reason")
    _refused(open_(from_user=book.senior), field="from_user")  # has no customers
    with pytest.raises(ArmsError) as info:
        handover_open(actor=book.old, role="collector", from_user=book.old, to_user=book.new)
    assert info.value.status == 403


def test_a_customer_is_in_one_awaiting_hand_over_at_a_time(book):
    handover_open(actor=book.clerk, role="collector", from_user=book.old, to_user=book.new, customer_ids=[book.c1.pk])
    _refused(lambda: handover_open(actor=book.clerk, role="collector", from_user=book.old, to_user=book.senior),
             field="customer_ids", code="customer_in_open_handover")


def test_only_the_two_people_acknowledge_each_their_own_side_once(busy_book):
    book = busy_book
    handover = handover_open(actor=book.clerk, role="collector", from_user=book.old, to_user=book.new)
    for stranger in (book.clerk, book.finmgr, book.sales):  # the outgoing person is still active
        with pytest.raises(ArmsError) as info:
            handover_acknowledge(actor=stranger, handover=handover)
        assert info.value.status == 403
    handover_acknowledge(actor=book.old, handover=handover)
    with pytest.raises(ArmsError) as info:
        handover_acknowledge(actor=book.old, handover=handover)
    assert info.value.code == "already_acknowledged"
    handover_acknowledge(actor=book.new, handover=handover)
    handover.refresh_from_db()
    before = _state()
    for actor in (book.new, book.old):
        with pytest.raises(ArmsError) as info:
            handover_acknowledge(actor=actor, handover=handover)
        assert info.value.code == "handover_not_open"
    with pytest.raises(ArmsError) as info:
        handover_cancel(actor=book.clerk, handover=handover)
    assert info.value.code == "handover_not_open"
    assert _state() == before


def test_the_opener_does_not_acknowledge_for_someone_who_left(book):
    handover = handover_open(actor=book.finmgr, role="collector", from_user=book.old, to_user=book.new)
    book.old.is_active = False
    book.old.save()
    with pytest.raises(ArmsError) as info:
        handover_acknowledge(actor=book.finmgr, handover=handover)
    assert info.value.code == "four_eyes"


def test_cancel_before_completion_moves_nothing(book):
    handover = handover_open(actor=book.clerk, role="collector", from_user=book.old, to_user=book.new)
    handover_acknowledge(actor=book.old, handover=handover)
    handover_cancel(actor=book.clerk, handover=handover, note="改派")
    handover.refresh_from_db()
    assert handover.status == "cancelled"
    with pytest.raises(ArmsError):
        handover_acknowledge(actor=book.new, handover=handover)
    book.c1.refresh_from_db()
    assert book.c1.collector == book.old


def test_a_key_account_goes_only_to_a_senior_collector(book):
    Customer.objects.filter(pk=book.c1.pk).update(key_account=True)
    error = _refused(lambda: handover_open(actor=book.clerk, role="collector", from_user=book.old,
                                           to_user=book.new), field="to_user", code="key_account_needs_senior")
    assert "HC1" in error.message
    book.c1.refresh_from_db()
    _refused(lambda: customer_update(actor=book.clerk, customer=book.c1, collector=book.new), field="collector",
             code="key_account_needs_senior")
    handover = handover_open(actor=book.clerk, role="collector", from_user=book.old, to_user=book.senior)
    handover_acknowledge(actor=book.old, handover=handover)
    handover_acknowledge(actor=book.senior, handover=handover)
    book.c1.refresh_from_db()
    assert book.c1.collector == book.senior


def test_only_credit_and_finance_managers_flag_a_key_account(book):
    credit = factories.user("credit", role="credit_manager")
    _refused(lambda: customer_update(actor=book.clerk, customer=book.c2, key_account=True), field="key_account")
    customer_update(actor=credit, customer=book.c2, key_account=True)
    book.c2.refresh_from_db()
    assert book.c2.key_account is True
