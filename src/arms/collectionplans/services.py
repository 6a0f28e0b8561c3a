"""Collection plans: draft (from a contract's schedule or a customer's open invoices), edit lines, submit, approve
or return (a finance manager who did not submit), cancel, close; hand a customer's open plans to a successor.

Every service is one transaction that locks the customer first, then the plan; a refusal writes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.collectionplans.enums import OPEN_STATUSES
from arms.collectionplans.models import CollectionPlan
from arms.common.locks import customer_qs_for_update, qs_for_update

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor


@transaction.atomic
def collection_plans_reassign(*, actor: Actor, customer_ids: list[int], from_user: User, to_user: User,
                              source: str) -> int:
    """Make ``to_user`` the owner of the open plans (draft, submitted, approved) of ``customer_ids`` that
    ``from_user`` owns; each move is audited with ``source`` (e.g. the hand-over's number). Returns how many moved.
    Customers are locked first, in primary-key order, then their plans."""
    list(customer_qs_for_update().filter(pk__in=customer_ids).order_by("pk"))
    plans = list(qs_for_update(CollectionPlan.objects.filter(
        customer_id__in=customer_ids, owner=from_user, status__in=OPEN_STATUSES)).order_by("pk"))
    for plan in plans:
        plan.owner = to_user
        plan.save(update_fields=["owner"])
        audit_record(actor=actor, action=AuditAction.COLLECTION_PLAN_REASSIGNED, subject=plan,
                     before={"owner": from_user.get_username()},
                     after={"owner": to_user.get_username(), "source": source[:200]})
    return len(plans)
