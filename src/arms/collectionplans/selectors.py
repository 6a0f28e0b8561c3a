"""Reads of collection plans: the open plans of customers (for the hand-over), lists, receipts and tracking."""

from __future__ import annotations

from django.db.models import QuerySet

from arms.collectionplans.enums import OPEN_STATUSES
from arms.collectionplans.models import CollectionPlan


def collection_plans_open(customer_ids: list[int]) -> QuerySet[CollectionPlan]:
    """The plans of ``customer_ids`` still being worked on: draft, submitted or approved (not closed, not
    cancelled), oldest first; the hand-over lists and moves these."""
    return (CollectionPlan.objects.filter(customer_id__in=customer_ids, status__in=OPEN_STATUSES)
            .select_related("customer", "contract", "owner").order_by("customer_id", "id"))
