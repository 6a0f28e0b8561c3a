"""The two calls the hand-over (h5) relies on: the open plans of customers, and moving their owner."""

from __future__ import annotations

from arms.audit.models import AuditEvent
from arms.collectionplans.models import CollectionPlan
from arms.collectionplans.selectors import collection_plans_open
from arms.collectionplans.services import collection_plans_reassign
from tests import factories


def _plan(customer, owner, status, today):
    decided = "2000-01-01T00:00Z" if status == "approved" else None
    return CollectionPlan.objects.create(customer=customer, owner=owner, currency="CNY", status=status,
                                         counts_from=today, decided_at=decided)


def test_open_plans_are_draft_submitted_and_approved_of_the_customers_given(db, today):
    leaver = factories.user("leaver", role="sales")
    a, b, other = factories.customer("A"), factories.customer("B"), factories.customer("O")
    draft = _plan(a, leaver, "draft", today)
    _plan(a, leaver, "cancelled", today)
    approved = _plan(b, leaver, "approved", today)
    _plan(b, leaver, "closed", today)
    _plan(other, leaver, "submitted", today)

    assert list(collection_plans_open([a.pk, b.pk])) == [draft, approved]


def test_reassign_moves_only_the_leavers_open_plans_and_audits_each(db, today):
    leaver, successor, colleague = (factories.user(n, role="sales") for n in ("leaver", "succ", "colleague"))
    a, b = factories.customer("A"), factories.customer("B")
    moved = _plan(a, leaver, "submitted", today)
    theirs = _plan(b, colleague, "draft", today)
    closed = _plan(b, leaver, "closed", today)
    events = AuditEvent.objects.count()

    count = collection_plans_reassign(actor=None, customer_ids=[a.pk, b.pk], from_user=leaver, to_user=successor,
                                      source="HO-000001")

    assert count == 1
    moved.refresh_from_db(), theirs.refresh_from_db(), closed.refresh_from_db()
    assert (moved.owner, theirs.owner, closed.owner) == (successor, colleague, leaver)
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == events + 1
    assert (event.action, event.subject_id, event.after["owner"], event.after["source"]) == (
        "collection_plan_reassigned", str(moved.pk), "succ", "HO-000001")
