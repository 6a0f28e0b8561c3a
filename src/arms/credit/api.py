"""/api/v1/credit: credit files, financials, trade history, ratings, proposals, limit change requests,
grade policies and scorecard versions. (/check, /holds, /overrides and /exposure belong to arms.exposure.)

Each endpoint checks the permission, finds the customer through the viewer's visibility (another
salesperson's customer is 404), calls one service and renders the result.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from arms.common.access import require_perm
from arms.common.api_types import idempotency_header
from arms.common.errors import NotFound
from arms.common.pagination import PageParams, paginate
from arms.contracts.models import Contract
from arms.credit import selectors, services
from arms.credit.history import trade_history_for
from arms.credit.models import CreditProfile, GradePolicy, Rating, ScorecardVersion
from arms.credit.schemas import (
    AcceptOut,
    CreditFileIn,
    CreditPolicyIn,
    CreditPolicyOut,
    FinancialsIn,
    FinancialsOut,
    GuaranteeFilters,
    GuaranteeIn,
    GuaranteeOut,
    GuaranteePage,
    GuaranteeReleaseIn,
    HistoryQuery,
    LimitDecisionNoteIn,
    LimitRequestFilters,
    LimitRequestIn,
    LimitRequestOut,
    LimitRequestPage,
    ProfileFilters,
    ProfileOut,
    ProfilePage,
    ProposalAcceptIn,
    ProposalFilters,
    ProposalOut,
    ProposalPage,
    RateIn,
    RatingDetailOut,
    RatingFilters,
    RatingPage,
    ReasonIn,
    ReviewQueueOut,
    ScorecardIn,
    ScorecardOut,
    TradeHistoryOut,
)
from arms.customers.models import Customer
from arms.customers.selectors import customer_get, customers_visible_to

router = Router(tags=["Credit management"])


class AuthedRequest(HttpRequest):
    """A request the API's authentication let through (every route of the API requires it): a signed-in user."""

    user: User

VIEW = "credit.view_creditprofile"



def _profile(customer: Customer) -> CreditProfile:
    """The customer's profile, or an unsaved empty one (ungraded, no limit) so a read never writes."""
    return selectors.credit_profile_get(customer) or CreditProfile(
        customer=customer, currency=customer.currency, payment_terms_days=customer.payment_terms_days)


# ---------------------------------------------------------------- credit files


@router.get("/profiles", response=ProfilePage, summary="Credit files of the customers you see")
def profile_list(request: AuthedRequest, filters: Query[ProfileFilters], page: Query[PageParams]) -> Any:
    require_perm(request, VIEW)
    qs = selectors.profile_list(user=request.user, grade=filters.grade or "", unrated=filters.unrated,
                                due_on=filters.due_on, search=filters.search)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.get("/profiles/{customer_id}", response=ProfileOut, summary="A customer's credit file")
def profile_get(request: AuthedRequest, customer_id: int) -> Any:
    require_perm(request, VIEW)
    customer = customer_get(user=request.user, customer_id=customer_id)
    return _profile(customer)


@router.patch("/profiles/{customer_id}", response=ProfileOut,
              summary="Change registration and external facts, or the overdue-block settings")
def profile_update(request: AuthedRequest, customer_id: int, payload: CreditFileIn) -> Any:
    require_perm(request, "credit.change_creditprofile")
    customer = customer_get(user=request.user, customer_id=customer_id)
    fields = payload.model_dump(exclude_unset=True)
    return services.credit_file_update(customer=customer, actor=request.user, **fields)


@router.get("/profiles/{customer_id}/financials", response=list[FinancialsOut],
            summary="The customer's yearly financial figures, newest first")
def financials_list(request: AuthedRequest, customer_id: int) -> Any:
    require_perm(request, "credit.view_financialstatement")
    customer = customer_get(user=request.user, customer_id=customer_id)
    return list(selectors.financial_statements(customer))


@router.put("/profiles/{customer_id}/financials", response=FinancialsOut,
            summary="Enter or correct one fiscal year's figures")
def financials_save(request: AuthedRequest, customer_id: int, payload: FinancialsIn) -> Any:
    require_perm(request, "credit.add_financialstatement", "credit.change_financialstatement")
    customer = customer_get(user=request.user, customer_id=customer_id)
    data = payload.model_dump()
    return services.financial_statement_save(customer=customer, actor=request.user, **data)


@router.get("/profiles/{customer_id}/trade-history", response=TradeHistoryOut,
            summary="What the ledger says about how the customer buys and pays (as of a day)")
def trade_history(request: AuthedRequest, customer_id: int, query: Query[HistoryQuery]) -> Any:
    require_perm(request, VIEW, "ledger.view_invoice")
    customer = customer_get(user=request.user, customer_id=customer_id)
    as_of = query.as_of or timezone.localdate()
    return {**trade_history_for(customer=customer, as_of=as_of).as_dict(), "as_of": as_of}


@router.post("/profiles/{customer_id}/rate", response={201: RatingDetailOut},
             summary="Rate the customer now (or as of a day); makes a proposal for a credit manager")
def rate(request: AuthedRequest, customer_id: int, payload: RateIn) -> Any:
    require_perm(request, "credit.rate_customer")
    customer = customer_get(user=request.user, customer_id=customer_id)
    rating = services.rating_run(customer=customer, as_of=payload.as_of, actor=request.user,
                                 reason=payload.reason)
    return Status(201, _rating_detail(selectors.rating_get(user=request.user, rating_id=rating.pk)))


@router.get("/review-queue", response=ReviewQueueOut,
            summary="Due for review, proposals waiting, limit requests waiting (first 100 of each)")
def review_queue(request: AuthedRequest, query: Query[HistoryQuery]) -> Any:
    require_perm(request, VIEW)
    as_of = query.as_of or timezone.localdate()
    queue = selectors.review_queue(user=request.user, as_of=as_of)
    due = [{"customer_id": c.pk, "customer_code": c.code, "customer_name": c.name,
            "grade": getattr(getattr(c, "credit_profile", None), "grade", ""),
            "next_review_on": getattr(getattr(c, "credit_profile", None), "next_review_on", None)}
           for c in queue["due"][:100]]
    return {"as_of": as_of, "due_count": queue["due"].count(), "due": due,
            "proposals": list(queue["proposals"][:100]), "limit_requests": list(queue["limit_requests"][:100]),
            "awaiting_me": list(queue["awaiting_me"].values_list("pk", flat=True))}


# ---------------------------------------------------------------- ratings and proposals


def _rating_detail(rating: Rating) -> Rating:
    rating.recomputed_score = services.rating_recompute(rating).score  # type: ignore[attr-defined]  # for RatingDetailOut, not a field
    return rating


@router.get("/ratings", response=RatingPage, summary="Rating history, newest first")
def rating_list(request: AuthedRequest, filters: Query[RatingFilters], page: Query[PageParams]) -> Any:
    require_perm(request, "credit.view_rating")
    qs = selectors.rating_list(user=request.user, customer_id=filters.customer_id)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.get("/ratings/{rating_id}", response=RatingDetailOut,
            summary="One rating with its inputs, facts and each factor's contribution")
def rating_get(request: AuthedRequest, rating_id: int) -> Any:
    require_perm(request, "credit.view_rating")
    return _rating_detail(selectors.rating_get(user=request.user, rating_id=rating_id))


@router.get("/proposals", response=ProposalPage, summary="Rating proposals (pending by default)")
def proposal_list(request: AuthedRequest, filters: Query[ProposalFilters], page: Query[PageParams]) -> Any:
    require_perm(request, "credit.view_ratingproposal")
    qs = selectors.proposal_list(user=request.user, status=filters.status, customer_id=filters.customer_id)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.get("/proposals/{proposal_id}", response=ProposalOut, summary="One rating proposal")
def proposal_get(request: AuthedRequest, proposal_id: int) -> Any:
    require_perm(request, "credit.view_ratingproposal")
    return selectors.proposal_get(user=request.user, proposal_id=proposal_id)


@router.post("/proposals/{proposal_id}/accept", response=AcceptOut,
             summary="Accept a proposal, as it is or changed (with a reason)")
def proposal_accept(request: AuthedRequest, proposal_id: int, payload: ProposalAcceptIn) -> Any:
    require_perm(request, "credit.decide_ratingproposal")
    proposal = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    decision = services.proposal_accept(proposal=proposal, actor=request.user, **payload.model_dump())
    return {"profile": decision.profile, "proposal": decision.proposal, "limit_request": decision.limit_request}


@router.post("/proposals/{proposal_id}/reject", response=ProposalOut, summary="Reject a proposal, saying why")
def proposal_reject(request: AuthedRequest, proposal_id: int, payload: ReasonIn) -> Any:
    require_perm(request, "credit.decide_ratingproposal")
    proposal = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    return services.proposal_reject(proposal=proposal, actor=request.user, reason=payload.reason)


# ---------------------------------------------------------------- limit change requests


@router.get("/limit-requests", response=LimitRequestPage, summary="Credit limit change requests")
def limit_request_list(request: AuthedRequest, filters: Query[LimitRequestFilters], page: Query[PageParams]) -> Any:
    require_perm(request, "credit.view_limitchangerequest")
    qs = selectors.limit_request_list(user=request.user, status=filters.status, customer_id=filters.customer_id)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/limit-requests", response={201: LimitRequestOut},
             summary="Ask for a new credit limit, with a justification")
def limit_request_create(request: AuthedRequest, payload: LimitRequestIn,
                         idempotency_key: str | None = idempotency_header()) -> Any:
    require_perm(request, "credit.add_limitchangerequest")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    created = services.limit_request_create(
        customer=customer, actor=request.user, requested_limit_minor=payload.requested_limit_minor,
        justification=payload.justification, currency=payload.currency, idempotency_key=idempotency_key,
    )
    return Status(201, selectors.limit_request_get(user=request.user, request_id=created.pk))


@router.get("/limit-requests/{request_id}", response=LimitRequestOut, summary="One limit change request")
def limit_request_get(request: AuthedRequest, request_id: int) -> Any:
    require_perm(request, "credit.view_limitchangerequest")
    return selectors.limit_request_get(user=request.user, request_id=request_id)


@router.post("/limit-requests/{request_id}/approve", response=LimitRequestOut,
             summary="Approve (never your own request); the limit changes when every approval is in")
def limit_request_approve(request: AuthedRequest, request_id: int, payload: LimitDecisionNoteIn) -> Any:
    found = selectors.limit_request_get(user=request.user, request_id=request_id)
    services.limit_request_approve(request=found, actor=request.user, note=payload.note)
    return selectors.limit_request_get(user=request.user, request_id=request_id)


@router.post("/limit-requests/{request_id}/reject", response=LimitRequestOut, summary="Reject, saying why")
def limit_request_reject(request: AuthedRequest, request_id: int, payload: LimitDecisionNoteIn) -> Any:
    found = selectors.limit_request_get(user=request.user, request_id=request_id)
    services.limit_request_reject(request=found, actor=request.user, note=payload.note)
    return selectors.limit_request_get(user=request.user, request_id=request_id)


@router.post("/limit-requests/{request_id}/cancel", response=LimitRequestOut, summary="Withdraw your request")
def limit_request_cancel(request: AuthedRequest, request_id: int, payload: LimitDecisionNoteIn) -> Any:
    found = selectors.limit_request_get(user=request.user, request_id=request_id)
    services.limit_request_cancel(request=found, actor=request.user, note=payload.note)
    return selectors.limit_request_get(user=request.user, request_id=request_id)


# ---------------------------------------------------------------- policies and scorecards


@router.get("/policies", response=list[CreditPolicyOut],
            summary="What each grade earns: limit, terms, deposit, discount")
def policy_list(request: AuthedRequest) -> Any:
    require_perm(request, "credit.view_gradepolicy")
    services.grade_policies()
    return list(GradePolicy.objects.order_by("grade"))


@router.patch("/policies/{grade}", response=CreditPolicyOut,
              summary="Change a grade's policy (for proposals from now on)")
def policy_update(request: AuthedRequest, grade: str, payload: CreditPolicyIn) -> Any:
    require_perm(request, "credit.change_gradepolicy")
    fields = payload.model_dump(exclude_unset=True)
    if fields.pop("clear_cap", False):
        fields["limit_cap_minor"] = None
    return services.grade_policy_update(actor=request.user, grade=grade, **fields)


@router.get("/scorecards", response=list[ScorecardOut], summary="Scorecard versions, newest first")
def scorecard_list(request: AuthedRequest) -> Any:
    require_perm(request, "credit.view_scorecardversion")
    services.scorecard_active()
    return list(ScorecardVersion.objects.order_by("-version"))


@router.get("/scorecards/active", response=ScorecardOut, summary="The scorecard new ratings use")
def scorecard_get_active(request: AuthedRequest) -> Any:
    require_perm(request, "credit.view_scorecardversion")
    return services.scorecard_active()


@router.post("/scorecards", response={201: ScorecardOut},
             summary="Make a new scorecard version (validated) and activate it; old ratings keep theirs")
def scorecard_create(request: AuthedRequest, payload: ScorecardIn) -> Any:
    require_perm(request, "credit.add_scorecardversion")
    return Status(201, services.scorecard_version_create(actor=request.user, name=payload.name,
                                                         definition=payload.definition, note=payload.note))


# ---------------------------------------------------------------- guarantees (担保登记)


@router.get("/guarantees", response=GuaranteePage, summary="The guarantees register, the first to expire first")
def guarantee_list(request: AuthedRequest, filters: Query[GuaranteeFilters], page: Query[PageParams]) -> Any:
    require_perm(request, "credit.view_guarantee")
    qs = selectors.guarantee_list(user=request.user, customer_id=filters.customer_id, status=filters.status or "",
                                  search=filters.search, expiring_by=filters.expiring_by)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.get("/guarantees/{guarantee_id}", response=GuaranteeOut, summary="One guarantee")
def guarantee_get(request: AuthedRequest, guarantee_id: int) -> Any:
    require_perm(request, "credit.view_guarantee")
    return selectors.guarantee_get(user=request.user, guarantee_id=guarantee_id)


@router.post("/guarantees", response={201: GuaranteeOut},
             summary="Register a guarantee (guarantor, type, amount, validity) held for a customer")
def guarantee_create(request: AuthedRequest, payload: GuaranteeIn) -> Any:
    require_perm(request, "credit.add_guarantee")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    contract = None
    if payload.contract_id is not None:
        contract = Contract.objects.filter(customer__in=customers_visible_to(request.user),
                                           pk=payload.contract_id).first()
        if contract is None:
            raise NotFound(_("Contract %(id)s not found.") % {"id": payload.contract_id}, field="contract_id")
    made = services.guarantee_record(actor=request.user, customer=customer, contract=contract,
                                     **payload.model_dump(exclude={"customer_id", "contract_id"}))
    return Status(201, selectors.guarantee_get(user=request.user, guarantee_id=made.pk))


@router.post("/guarantees/{guarantee_id}/release", response=GuaranteeOut, summary="Release a guarantee, saying why")
def guarantee_release(request: AuthedRequest, guarantee_id: int, payload: GuaranteeReleaseIn) -> Any:
    require_perm(request, "credit.change_guarantee")
    found = selectors.guarantee_get(user=request.user, guarantee_id=guarantee_id)
    services.guarantee_release(guarantee=found, actor=request.user, note=payload.note)
    return selectors.guarantee_get(user=request.user, guarantee_id=guarantee_id)
