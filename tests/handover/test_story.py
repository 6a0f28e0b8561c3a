"""The story: a collector leaves. The hand-over lists their customers' open items, promise, plan, dispute and open
tasks, frozen with its hash; both acknowledge; the customers, tasks and dispute move with history and audit."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from arms.audit.models import AuditEvent
from arms.cases.models import Dispute, Task
from arms.cases.selectors import worklist
from arms.collectionplans.models import CollectionPlan
from arms.customers.models import CustomerAssignment
from arms.handover.enums import HandoverStatus
from arms.handover.services import handover_acknowledge, handover_open


def test_a_collector_leaves_and_everything_moves_to_the_successor(busy_book, today):
    book = busy_book
    # the old collector has a history row from before
    CustomerAssignment.objects.filter(customer__in=[book.c1, book.c2]).delete()
    for customer in (book.c1, book.c2):
        CustomerAssignment.objects.create(customer=customer, role="collector", user=book.old,
                                          valid_from=today - timedelta(days=400))

    handover = handover_open(actor=book.clerk, role="collector", from_user=book.old, to_user=book.new,
                             reason="王伟离职", effective_on=today)

    data = handover.snapshot_data
    assert handover.status == HandoverStatus.AWAITING
    assert hashlib.sha256(handover.snapshot.encode()).hexdigest() == handover.sha256
    assert [c["code"] for c in data["customers"]] == ["HC1", "HC2"]
    assert [(i["number"], i["open_minor"], i["days_overdue"]) for i in data["open_items"]] == [
        ("HINV-1", 113_000, 40), ("HINV-2", 56_500, 0), ("HINV-3", 22_600, 15)]
    assert data["totals"] == [{"currency": "CNY", "open_minor": 192_100, "overdue_minor": 135_600, "items": 3}]
    assert [(p["customer"], p["amount_minor"]) for p in data["promises"]] == [("HC1", 50_000)]
    assert [(p["customer"], p["status"], p["total_minor"]) for p in data["plans"]] == [("HC2", "pending", 22_600)]
    assert [(d["customer"], d["invoice"], d["amount_minor"], d["owner"]) for d in data["disputes"]] == [
        ("HC1", "HINV-2", 10_000, "王伟")]
    assert [(p["customer"], p["status"], p["owner"]) for p in data["collection_plans"]] == [("HC1", "draft", "王伟")]
    assert sorted(t["title"] for t in data["tasks"]) == ["上门拜访", "催收电话", "销售跟进"]
    assert (handover.customer_count, handover.item_count, handover.task_count) == (2, 3, 3)

    handover_acknowledge(actor=book.old, handover=handover, note="资料已移交")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.AWAITING and handover.outgoing_ack_by == book.old
    book.c1.refresh_from_db()
    assert book.c1.collector == book.old  # nothing moves on one acknowledgement

    handover_acknowledge(actor=book.new, handover=handover, note="已接收")
    handover.refresh_from_db()

    assert handover.status == HandoverStatus.COMPLETED
    assert handover.moved == {"customers": 2, "tasks": 2, "disputes": 1, "collection_plans": 1,
                              "history_from": today.isoformat()}
    for customer in (book.c1, book.c2):
        customer.refresh_from_db()
        assert customer.collector == book.new
        rows = list(CustomerAssignment.objects.filter(customer=customer, role="collector").order_by("valid_from")
                    .values_list("user__username", "valid_to", "source"))
        assert rows == [("old", today, ""), ("new", None, handover.reference)]
    assert sorted(Task.objects.filter(status="open", assignee=book.new).values_list("title", flat=True)) == [
        "上门拜访", "催收电话"]
    assert Task.objects.get(title="销售跟进").assignee == book.sales
    assert Dispute.objects.get(invoice=book.inv2).owner == book.new
    assert CollectionPlan.objects.get(customer=book.c1).owner == book.new
    rows = worklist(user=book.new, as_of=today, collector_id=book.new.pk)
    assert {row.customer.pk for row in rows} == {book.c1.pk, book.c2.pk}
    assert worklist(user=book.old, as_of=today, collector_id=book.old.pk) == []
    actions = list(AuditEvent.objects.filter(subject_type="handover.handover").order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["handover_opened", "handover_acknowledged", "handover_acknowledged", "handover_completed"]
    assert AuditEvent.objects.filter(action="customer_updated", actor_name="new").count() == 2
    # the list stays what was acknowledged, whatever happens later
    assert handover.snapshot_data == data


def test_a_chosen_subset_moves_and_the_rest_stays(book):
    handover = handover_open(actor=book.clerk, role="collector", from_user=book.old, to_user=book.new,
                             customer_ids=[book.c2.pk])
    handover_acknowledge(actor=book.old, handover=handover)
    handover_acknowledge(actor=book.new, handover=handover)
    book.c1.refresh_from_db()
    book.c2.refresh_from_db()
    assert (book.c1.collector, book.c2.collector) == (book.old, book.new)


def test_a_salesperson_hand_over(book):
    successor = pytest.importorskip("tests.factories").user("sales2", role="sales")
    handover = handover_open(actor=book.finmgr, role="salesperson", from_user=book.sales, to_user=successor)
    assert handover.customer_count == 3
    handover_acknowledge(actor=successor, handover=handover)
    handover_acknowledge(actor=book.sales, handover=handover)
    book.other.refresh_from_db()
    assert book.other.salesperson == successor and book.other.collector == book.new


def test_a_finance_manager_acknowledges_for_someone_who_has_left(book):
    handover = handover_open(actor=book.finmgr, role="collector", from_user=book.old, to_user=book.new)
    book.old.is_active = False
    book.old.save()
    handover_acknowledge(actor=book.new, handover=handover)
    handover_acknowledge(actor=book.finmgr2, handover=handover, note="本人已离职，代为确认")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.COMPLETED and handover.outgoing_ack_by == book.finmgr2
