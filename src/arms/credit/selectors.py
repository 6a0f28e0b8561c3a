"""Reads of credit management. Lists go through the viewer's customer visibility (sales see their own)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from arms.common.errors import NotFound
from arms.credit.enums import LimitRequestStatus, ProposalStatus
from arms.credit.models import (
    CreditProfile,
    FinancialStatement,
    Guarantee,
    GuaranteeStatus,
    LimitChangeRequest,
    Rating,
    RatingProposal,
)
from arms.credit.services.ratings import customers_due_for_review
from arms.customers.selectors import customers_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Viewer
    from arms.customers.models import Customer


def credit_profile_get(customer: Customer | None) -> CreditProfile | None:
    """The customer's credit profile, or None if the customer has none (not under credit control)."""
    if customer is None:
        return None
    return CreditProfile.objects.filter(customer_id=customer.pk).first()


def credit_profiles_for(customer_ids: Iterable[int]) -> QuerySet[CreditProfile]:
    return CreditProfile.objects.filter(customer_id__in=customer_ids)


def profile_list(*, user: Viewer, grade: str = "", unrated: bool = False, due_on: date | None = None,
                 search: str = "") -> QuerySet[CreditProfile]:
    qs = CreditProfile.objects.filter(customer__in=customers_visible_to(user)).select_related("customer")
    if grade:
        qs = qs.filter(grade=grade)
    if unrated:
        qs = qs.filter(grade="")
    if due_on:
        qs = qs.filter(Q(next_review_on__isnull=True) | Q(next_review_on__lte=due_on))
    if search:
        qs = qs.filter(Q(customer__code__icontains=search) | Q(customer__name__icontains=search))
    return qs.order_by("customer__code")


def rating_list(*, user: Viewer, customer_id: int | None = None) -> QuerySet[Rating]:
    qs = (Rating.objects.filter(customer__in=customers_visible_to(user))
          .select_related("customer", "scorecard", "rated_by", "proposal"))
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-rated_at", "-id")


def rating_get(*, user: Viewer, rating_id: int) -> Rating:
    rating = rating_list(user=user).filter(pk=rating_id).first()
    if rating is None:
        raise NotFound(_("Rating %(id)s not found.") % {"id": rating_id}, field="rating_id")
    return rating


def proposal_list(*, user: Viewer, status: str | None = ProposalStatus.PENDING,
                  customer_id: int | None = None) -> QuerySet[RatingProposal]:
    qs = (RatingProposal.objects.filter(customer__in=customers_visible_to(user))
          .select_related("customer", "rating", "decided_by"))
    if status:
        qs = qs.filter(status=status)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-id")


def proposal_get(*, user: Viewer, proposal_id: int) -> RatingProposal:
    proposal = proposal_list(user=user, status=None).filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(_("Proposal %(id)s not found.") % {"id": proposal_id}, field="proposal_id")
    return proposal


def limit_request_list(*, user: Viewer, status: str | None = None,
                       customer_id: int | None = None) -> QuerySet[LimitChangeRequest]:
    qs = (LimitChangeRequest.objects.filter(customer__in=customers_visible_to(user))
          .select_related("customer", "requested_by", "credit_approved_by", "finance_approved_by", "decided_by"))
    if status:
        qs = qs.filter(status=status)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-requested_at", "-id")


def limit_request_get(*, user: Viewer, request_id: int) -> LimitChangeRequest:
    request = limit_request_list(user=user).filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("Limit request %(id)s not found.") % {"id": request_id}, field="request_id")
    return request


def limit_requests_awaiting(user: User) -> QuerySet[LimitChangeRequest]:
    """Pending requests this user could approve now (not their own, an approval their role gives is missing)."""
    qs = limit_request_list(user=user, status=LimitRequestStatus.PENDING).exclude(requested_by=user)
    wanted = Q(pk__in=[])
    if user.has_perm("credit.approve_limitchange"):
        wanted |= Q(needs_credit_manager=True, credit_approved_by__isnull=True)
    if user.has_perm("credit.approve_limitchange_large"):
        wanted |= Q(needs_finance_manager=True, finance_approved_by__isnull=True)
    return qs.filter(wanted).exclude(credit_approved_by=user).exclude(finance_approved_by=user)


def financial_statements(customer: Customer) -> QuerySet[FinancialStatement]:
    return FinancialStatement.objects.filter(customer=customer).order_by("-fiscal_year")


def review_queue(*, user: User, as_of: date) -> dict[str, QuerySet[Any]]:
    """What the credit review queue shows: customers due for review, proposals and limit requests waiting."""
    visible = customers_visible_to(user)
    due = customers_due_for_review(as_of=as_of).filter(pk__in=visible.values("pk")).select_related(
        "credit_profile")
    return {
        "due": due,
        "proposals": proposal_list(user=user),
        "limit_requests": limit_request_list(user=user, status=LimitRequestStatus.PENDING),
        "awaiting_me": limit_requests_awaiting(user),
    }


# ---------------------------------------------------------------- guarantees (担保登记)


def guarantees_in_force(customer_id: int, *, as_of: date) -> QuerySet[Guarantee]:
    """The customer's guarantees that hold on ``as_of``: active, started and not past their expiry date (an
    active one past its expiry is no longer in force even before the daily task marks it expired)."""
    return Guarantee.objects.filter(customer_id=customer_id, status=GuaranteeStatus.ACTIVE, valid_from__lte=as_of,
                                    expiry_date__gte=as_of)


def guarantee_list(*, user: Viewer, customer_id: int | None = None, status: str = "", search: str = "",
                   expiring_by: date | None = None) -> QuerySet[Guarantee]:
    """Guarantees on the customers ``user`` may see, the first to expire first."""
    qs = (Guarantee.objects.filter(customer__in=customers_visible_to(user))
          .select_related("customer", "contract", "created_by"))
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if status:
        qs = qs.filter(status=status)
    if expiring_by is not None:
        qs = qs.filter(status=GuaranteeStatus.ACTIVE, expiry_date__lte=expiring_by)
    if search:
        qs = qs.filter(Q(guarantor__icontains=search) | Q(reference__icontains=search)
                       | Q(customer__code__icontains=search) | Q(customer__name__icontains=search))
    return qs.order_by("expiry_date", "pk")


def guarantee_get(*, user: Viewer, guarantee_id: int) -> Guarantee:
    found = guarantee_list(user=user).filter(pk=guarantee_id).first()
    if found is None:
        raise NotFound(_("No such guarantee."))
    return found
