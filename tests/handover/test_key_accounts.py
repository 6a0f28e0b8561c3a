"""Routing key accounts: each key account whose collector is not senior goes to the least-loaded senior collector,
with its assignment history, its open tasks and an audit event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.audit.models import AuditEvent
from arms.cases.models import Task
from arms.cases.services.tasks import task_create
from arms.common.errors import ArmsError
from arms.customers.models import Customer, CustomerAssignment
from arms.handover.services import handover_open, key_accounts_route
from tests import factories


def test_route_to_the_least_loaded_senior(book, today):
    senior2 = factories.user("senior2", role="senior_collector")
    factories.customer("HS1", collector=book.senior)  # senior already carries one
    Customer.objects.filter(pk__in=[book.c1.pk, book.c2.pk, book.other.pk]).update(key_account=True)
    task_create(customer=book.c1, kind="call", title="重点客户电话", assignee=book.old, level="finance",
                due_on=today + timedelta(days=1), actor=book.clerk)

    result = key_accounts_route(actor=book.finmgr)

    assert result["routed"] == 3
    collectors = dict(Customer.objects.filter(key_account=True).values_list("code", "collector__username"))
    # HC1 to senior2 (0 < 1), HC2 then ties 1:1 and goes to "senior" (by username), HC9 to senior2
    assert collectors == {"HC1": "senior2", "HC2": "senior", "HC9": "senior2"}
    assert Task.objects.get(title="重点客户电话").assignee == senior2
    assert CustomerAssignment.objects.get(customer=book.c1, role="collector", valid_to__isnull=True).source == \
        "route-key-accounts"
    assert AuditEvent.objects.filter(action="key_account_routed").count() == 3
    assert key_accounts_route(actor=book.finmgr)["routed"] == 0


def test_routing_leaves_a_customer_in_an_awaiting_hand_over_alone(book):
    handover_open(actor=book.clerk, role="collector", from_user=book.old, to_user=book.senior,
                  customer_ids=[book.c1.pk])
    Customer.objects.filter(pk=book.c1.pk).update(key_account=True)
    assert key_accounts_route(actor=book.finmgr) == {"routed": 0, "skipped": 1, "assignments": []}


def test_routing_needs_a_finance_manager_and_a_senior(book):
    Customer.objects.filter(pk=book.c1.pk).update(key_account=True)
    with pytest.raises(ArmsError) as info:
        key_accounts_route(actor=book.clerk)
    assert info.value.status == 403
    book.senior.is_active = False
    book.senior.save()
    with pytest.raises(ArmsError) as info:
        key_accounts_route(actor=book.finmgr)
    assert info.value.code == "key_account_needs_senior"
