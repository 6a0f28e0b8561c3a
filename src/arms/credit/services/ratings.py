"""Rating a customer: inputs from the credit file and the ledger → the scorecard → a proposal → a decision.

``rating_run`` stores everything needed to explain and recompute the rating (inputs, facts, per-factor
contributions, overrides, the scorecard version) and proposes the grade's policy: limit, terms, deposit,
discount. Nothing in force changes until a credit manager accepts the proposal (``proposal_accept``), possibly
with changes and a reason. A limit raised above ``ARMS_CREDIT_LIMIT_FM_THRESHOLD`` goes on as a limit change
request that a finance manager approves (the acceptor is its maker). A downgrade notifies the salesperson and
the credit managers.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record, canonical_json
from arms.common.actors import user_or_none
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import lock_customer, qs_for_update
from arms.common.notify import notify
from arms.credit.enums import LimitRequestSource, ProposalStatus, RatingTrigger
from arms.credit.history import TradeHistory, trade_history
from arms.credit.models import CreditProfile, FinancialStatement, LimitChangeRequest, Rating, RatingProposal
from arms.credit.services.approvers import notify_approvers
from arms.credit.services.profiles import credit_profile_ensure, profile_snapshot
from arms.credit.services.scorecards import grade_policies, scorecard_active, scorecard_parse
from arms.customers.enums import CustomerStatus
from arms.customers.models import Customer
from arms.domain.money import BASE_CURRENCY, from_base_minor, to_base_minor
from arms.domain.scorecard import Result, evaluate, propose_limit, worse_grade
from arms.ledger.errors import MissingExchangeRate
from arms.ledger.services.fx import exchange_rate_on

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Customer


def review_months() -> int:
    return int(getattr(settings, "ARMS_CREDIT_REVIEW_MONTHS", 3))


def limit_fm_threshold_minor() -> int:
    """Limits above this (CNY fen) also need a finance manager; default 1,000,000.00."""
    return int(getattr(settings, "ARMS_CREDIT_LIMIT_FM_THRESHOLD", 1_000_000_00))


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _ratio(numerator: int | None, denominator: int | None, places: str = "0.0001") -> str | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return str((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), ROUND_HALF_UP))


def statement_for(customer: Customer, as_of: date) -> FinancialStatement | None:
    return (FinancialStatement.objects.filter(customer=customer, fiscal_year__lte=as_of.year)
            .order_by("-fiscal_year").first())


def rating_inputs(*, customer: Customer, profile: CreditProfile, history: TradeHistory,
                  statement: FinancialStatement | None) -> tuple[JsonDict, JsonDict]:
    """(inputs the scorecard evaluates, facts they came from). Numbers are strings, so JSON keeps them exact."""
    s = statement
    revenue = s.revenue_minor if s else None
    inputs = {
        "debt_ratio": _ratio(s.total_liabilities_minor, s.total_assets_minor) if s else None,
        "current_ratio": _ratio(s.current_assets_minor, s.current_liabilities_minor) if s else None,
        "revenue_cny": str(revenue // 100) if revenue is not None else None,
        "net_margin": _ratio(s.net_profit_minor, revenue) if s else None,
        "operating_cash_flow_positive": (s.operating_cash_flow_minor > 0)
        if s and s.operating_cash_flow_minor is not None else None,
        "avg_days_late": None if history.avg_days_late is None else str(history.avg_days_late),
        "on_time_share": None if history.on_time_share_bp is None
        else str((Decimal(history.on_time_share_bp) / 10000).quantize(Decimal("0.0001"))),
        "max_days_late": None if history.max_days_late is None else str(history.max_days_late),
        "broken_promises": str(history.broken_promises),
        "dispute_count": str(history.dispute_count),
        "tenure_years": None if history.tenure_days is None
        else str((Decimal(history.tenure_days) / 365).quantize(Decimal("0.01"), ROUND_DOWN)),
        "volume_12m_cny": None if history.first_invoice_on is None else str(history.volume_12m_minor // 100),
        "industry": customer.industry or None,
        "bureau_rating": profile.bureau_rating or None,
        "lawsuits_count": None if profile.lawsuits_count is None else str(profile.lawsuits_count),
        "business_abnormal": profile.business_abnormal,
        "dishonest_debtor": profile.dishonest_debtor,
    }
    facts = {
        "trade_history": history.as_dict(),
        "financial_statement": None if s is None else {
            "fiscal_year": s.fiscal_year, "audited": s.audited, "source": s.source,
            **{name: getattr(s, name) for name in (
                "total_assets_minor", "total_liabilities_minor", "current_assets_minor",
                "current_liabilities_minor", "revenue_minor", "net_profit_minor", "operating_cash_flow_minor")},
        },
        "external": {
            "bureau_rating": profile.bureau_rating, "bureau_name": profile.bureau_name,
            "lawsuits_count": profile.lawsuits_count, "dishonest_debtor": profile.dishonest_debtor,
            "business_abnormal": profile.business_abnormal,
            "checked_on": profile.external_checked_on.isoformat() if profile.external_checked_on else None,
        },
    }
    return inputs, facts


def to_cny_minor(minor: int, currency: str, on: date) -> int | None:
    """``minor`` of ``currency`` in CNY fen at the rate of ``on``; None when there is no rate."""
    if currency == BASE_CURRENCY:
        return minor

    try:
        rate = exchange_rate_on(currency, on)
    except MissingExchangeRate:
        return None
    return to_base_minor(minor, currency, rate)


def from_cny_minor(cny_minor: int, currency: str, on: date) -> int | None:
    """CNY fen in minor units of ``currency`` (the domain's rounding, half up), or None when there is no rate."""
    if currency == BASE_CURRENCY:
        return cny_minor

    try:
        rate = exchange_rate_on(currency, on)
    except MissingExchangeRate:
        return None
    return from_base_minor(cny_minor, currency, rate)


def _proposal_values(*, result: Result, history: TradeHistory, statement: FinancialStatement | None,
                     profile: CreditProfile, as_of: date) -> JsonDict:
    policy = grade_policies()[result.grade]
    proposal = propose_limit(policy, annual_revenue_minor=statement.revenue_minor if statement else None,
                             avg_monthly_sales_minor=history.avg_monthly_sales_minor)
    currency, limit = profile.currency, proposal.limit_minor
    converted = from_cny_minor(limit, currency, as_of)
    if converted is None:  # no rate for the limit currency: propose in CNY
        currency, converted = BASE_CURRENCY, limit
    return {
        "grade": result.grade, "limit_minor": converted, "currency": currency,
        "payment_terms_days": policy.payment_terms_days, "deposit_pct": policy.deposit_pct,
        "guarantee_required": policy.guarantee_required, "discount_pct": policy.discount_pct,
        "discount_days": policy.discount_days, "prepayment_only": policy.prepayment_only,
        "basis": {**proposal.basis, "limit_cny_minor": limit, "currency": currency},
    }


def _credit_managers() -> QuerySet[User]:
    return get_user_model().objects.filter(groups__name="credit_manager", is_active=True)


def credit_file_link(customer: Customer) -> str:
    return f"/credit/customers/{customer.pk}/"


def _notify_downgrade(*, customer: Customer, rating: Rating) -> None:
    subject = _("Credit downgrade: %(customer)s %(old)s → %(new)s") % {
        "customer": customer.name, "old": rating.previous_grade, "new": rating.grade}
    body = _("%(customer)s was re-rated %(new)s (score %(score)s, before %(old)s). Proposed limit and terms are "
             "waiting for a credit manager.") % {"customer": customer, "new": rating.grade, "score": rating.score,
                                                  "old": rating.previous_grade}
    users = [customer.salesperson, *_credit_managers()]
    notify(users, subject=subject, body=body, link=credit_file_link(customer), kind="credit.downgrade")


def _rate_locked(*, customer: Customer, as_of: date, actor: Actor, reason: str, trigger: str,
                 history: TradeHistory) -> Rating:
    profile = credit_profile_ensure(customer)
    profile = qs_for_update(CreditProfile.objects.all()).get(pk=profile.pk)
    version = scorecard_active()
    card = scorecard_parse(version)
    statement = statement_for(customer, as_of)
    inputs, facts = rating_inputs(customer=customer, profile=profile, history=history, statement=statement)
    result = evaluate(card, inputs)
    user = user_or_none(actor)
    rating = Rating.objects.create(
        customer=customer, scorecard=version, as_of=as_of, trigger=trigger, reason=reason[:300],
        inputs=result.inputs, facts=facts, missing=list(result.missing),
        contributions=[c.as_dict() for c in result.contributions], overrides=list(result.overrides),
        score=result.score, computed_grade=result.computed_grade, grade=result.grade,
        previous_grade=profile.grade, rated_by=user,
    )
    RatingProposal.objects.filter(customer=customer, status=ProposalStatus.PENDING).update(
        status=ProposalStatus.SUPERSEDED, decided_at=timezone.now(),
        decision_reason=_("Superseded by rating %(id)s.") % {"id": rating.pk},
    )
    values = _proposal_values(result=result, history=history, statement=statement, profile=profile, as_of=as_of)
    RatingProposal.objects.create(rating=rating, customer=customer, previous=canonical_json(profile_snapshot(profile)),
                                  **values)
    profile.next_review_on = add_months(as_of, review_months())
    profile.save(update_fields=["next_review_on", "updated_at"])
    audit_record(
        actor=actor, action="credit_rated", subject=rating, before={"grade": profile.grade, "score": profile.score},
        after={"grade": rating.grade, "score": rating.score, "scorecard": version.version, "as_of": as_of,
               "overrides": rating.overrides, "missing": rating.missing, "trigger": trigger, "reason": reason,
               "proposed_limit_minor": values["limit_minor"], "currency": values["currency"]},
    )
    if rating.previous_grade and worse_grade(rating.previous_grade, rating.grade) != rating.previous_grade:
        _notify_downgrade(customer=customer, rating=rating)
    return rating


@transaction.atomic
def rating_run(*, customer: Customer, as_of: date | None = None, actor: Actor = None, reason: str = "",
               trigger: str = RatingTrigger.ON_DEMAND, history: TradeHistory | None = None) -> Rating:
    """Rate one customer as of a date (default today) and propose the grade's limit and terms."""
    as_of = as_of or timezone.localdate()
    if trigger not in RatingTrigger.values:
        raise ValidationFailed(_("Unknown trigger."), field="trigger")
    locked = lock_customer(customer.pk)
    if history is None:
        history = trade_history(customer_ids=[locked.pk], as_of=as_of)[locked.pk]
    return _rate_locked(customer=locked, as_of=as_of, actor=actor, reason=reason, trigger=trigger, history=history)


def ratings_run(*, customers: Iterable[Customer], as_of: date | None = None, actor: Actor = None, reason: str = "",
                trigger: str = RatingTrigger.ON_DEMAND, chunk: int = 500) -> list[int]:
    """Rate many customers: trade history in one set of queries per chunk, one transaction per customer.

    Returns the ids of the ratings made.
    """
    as_of = as_of or timezone.localdate()
    made: list[int] = []
    batch: list[Customer] = []

    def flush() -> None:
        histories = trade_history(customer_ids=[c.pk for c in batch], as_of=as_of)
        for cust in batch:
            made.append(rating_run(customer=cust, as_of=as_of, actor=actor, reason=reason, trigger=trigger,
                                   history=histories[cust.pk]).pk)
        batch.clear()

    for cust in customers:
        batch.append(cust)
        if len(batch) >= chunk:
            flush()
    if batch:
        flush()
    return made


def customers_due_for_review(*, as_of: date) -> QuerySet[Customer]:
    """Active customers never rated, or whose next review date has come."""
    return (Customer.objects.filter(status=CustomerStatus.ACTIVE)
            .filter(Q(credit_profile__isnull=True) | Q(credit_profile__next_review_on__isnull=True)
                    | Q(credit_profile__next_review_on__lte=as_of))
            .order_by("pk"))


def rating_run_due(*, as_of: date | None = None) -> int:
    """The scheduled review: rate every customer due (see ``customers_due_for_review``). Returns how many."""
    as_of = as_of or timezone.localdate()
    return len(ratings_run(customers=customers_due_for_review(as_of=as_of).iterator(chunk_size=500), as_of=as_of,
                           actor=None, reason="scheduled review", trigger=RatingTrigger.SCHEDULED))


def rating_recompute(rating: Rating) -> Result:
    """Evaluate the rating's stored inputs with its own scorecard version: the same result, every time."""
    return evaluate(scorecard_parse(rating.scorecard), rating.inputs)


# -- deciding a proposal -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    profile: CreditProfile
    proposal: RatingProposal
    limit_request: LimitChangeRequest | None


class AcceptedTerms(TypedDict):
    """What an accepted proposal puts in force: as proposed, or as the acceptor changed it."""

    limit_minor: int
    payment_terms_days: int
    deposit_pct: Decimal
    guarantee_required: bool
    discount_pct: Decimal
    discount_days: int
    prepayment_only: bool


def _decimal_pct(value: Decimal | str | int, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValidationFailed(_("A percentage is a number between 0 and 100."), field=field) from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValidationFailed(_("A percentage is a number between 0 and 100."), field=field)
    return number.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _locked_pending(proposal: RatingProposal) -> RatingProposal:
    lock_customer(proposal.customer_id)
    locked = qs_for_update(RatingProposal.objects.all()).select_related("rating", "customer").get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise Conflict(_("This proposal was already decided (%(status)s).") % {"status": locked.get_status_display()},
                       field="proposal", code=ErrorCode.PROPOSAL_NOT_PENDING)
    return locked


def _cancel_pending_limit_requests(*, customer_id: int, actor: User, proposal: RatingProposal) -> None:
    """The proposal's limit request replaces a pending one: each is cancelled and audited like any cancellation."""
    note = _("Replaced by the limit of rating proposal %(id)s.") % {"id": proposal.pk}
    pending = LimitChangeRequest.objects.filter(customer_id=customer_id, status="pending")  # the customer is locked
    for request in pending.order_by("pk"):
        request.status = "cancelled"
        request.decided_at = timezone.now()
        request.decided_by = actor
        request.decision_note = note
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(actor=actor, action="credit_limit_request_cancelled", subject=request,
                     before={"status": "pending"}, after={"status": "cancelled", "note": note,
                                                          "rating_proposal": proposal.pk})


@transaction.atomic
def proposal_accept(*, proposal: RatingProposal, actor: User, reason: str = "", limit_minor: int | None = None,
                    payment_terms_days: int | None = None, deposit_pct: Decimal | str | None = None,
                    guarantee_required: bool | None = None, discount_pct: Decimal | str | None = None,
                    discount_days: int | None = None, prepayment_only: bool | None = None) -> Decision:
    """Put a rating's proposal in force, as proposed or with changes (a change needs a reason).

    The grade, score and terms apply at once. A new limit above the finance-manager threshold does not, as
    proposed or changed, raised or lowered (the rule of every limit change request): it becomes a limit change
    request (source "rating", made by the acceptor) that a finance manager approves; a pending request it replaces
    is cancelled, with its own audit event.
    """
    if not actor.has_perm("credit.decide_ratingproposal"):
        raise Forbidden(_("Your role may not decide rating proposals."), field="proposal")
    locked = _locked_pending(proposal)
    chosen: AcceptedTerms = {
        "limit_minor": locked.limit_minor if limit_minor is None else limit_minor,
        "payment_terms_days": locked.payment_terms_days if payment_terms_days is None else payment_terms_days,
        "deposit_pct": locked.deposit_pct if deposit_pct is None else _decimal_pct(deposit_pct, "deposit_pct"),
        "guarantee_required": locked.guarantee_required if guarantee_required is None else guarantee_required,
        "discount_pct": locked.discount_pct if discount_pct is None else _decimal_pct(discount_pct, "discount_pct"),
        "discount_days": locked.discount_days if discount_days is None else discount_days,
        "prepayment_only": locked.prepayment_only if prepayment_only is None else prepayment_only,
    }
    for name, value in (("limit_minor", chosen["limit_minor"]), ("payment_terms_days", chosen["payment_terms_days"]),
                        ("discount_days", chosen["discount_days"])):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationFailed(_("Must be a whole number, not negative."), field=name)
    if chosen["payment_terms_days"] > 3650 or chosen["discount_days"] > 3650:
        raise ValidationFailed(_("At most 3650 days."), field="payment_terms_days")
    changed = [name for name, value in chosen.items() if value != getattr(locked, name)]
    if changed and not reason.strip():
        raise ValidationFailed(_("Say why you change the proposal."), field="reason")

    profile = qs_for_update(CreditProfile.objects.all()).get(customer_id=locked.customer_id)
    before = profile_snapshot(profile)
    today = timezone.localdate()
    limit_cny = to_cny_minor(chosen["limit_minor"], locked.currency, today)
    # The rule of a limit change request: a new limit above the threshold (or one that cannot be converted) needs
    # a finance manager, whether it raises or lowers the limit in force and whether the acceptor changed it.
    limit_changes = (chosen["limit_minor"], locked.currency) != (profile.limit_minor, profile.currency)
    needs_fm = limit_changes and (limit_cny is None or limit_cny > limit_fm_threshold_minor())
    profile.grade = locked.grade
    profile.score = locked.rating.score
    profile.payment_terms_days = chosen["payment_terms_days"]
    profile.deposit_pct = chosen["deposit_pct"]
    profile.guarantee_required = chosen["guarantee_required"]
    profile.discount_pct = chosen["discount_pct"]
    profile.discount_days = chosen["discount_days"]
    profile.prepayment_only = chosen["prepayment_only"]
    profile.rated_at = timezone.now()
    profile.current_rating = locked.rating
    request = None
    if needs_fm:
        _cancel_pending_limit_requests(customer_id=locked.customer_id, actor=actor, proposal=locked)
        request = LimitChangeRequest.objects.create(
            customer_id=locked.customer_id, currency=locked.currency, current_limit_minor=profile.limit_minor,
            requested_limit_minor=chosen["limit_minor"], requested_by=actor, source=LimitRequestSource.RATING,
            rating_proposal=locked, needs_credit_manager=False, needs_finance_manager=True,
            justification=_("Rating %(grade)s (score %(score)s) accepted. %(reason)s") % {
                "grade": locked.grade, "score": locked.rating.score, "reason": reason},
        )
    else:
        profile.limit_minor = chosen["limit_minor"]
        profile.currency = locked.currency
    profile.updated_by = actor
    profile.save()
    locked.status = ProposalStatus.ACCEPTED
    locked.accepted = {name: str(value) if isinstance(value, Decimal) else value for name, value in chosen.items()}
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = reason[:500]
    locked.save(update_fields=["status", "accepted", "decided_by", "decided_at", "decision_reason"])
    audit_record(actor=actor, action="credit_proposal_accepted", subject=profile, before=before,
                 after={**profile_snapshot(profile), "proposal": locked.pk, "changed": changed, "reason": reason,
                        "limit_request": request.pk if request else None})
    if request is not None:
        audit_record(actor=actor, action="credit_limit_requested", subject=request, before=None,
                     after={"requested_limit_minor": request.requested_limit_minor, "currency": request.currency,
                            "source": request.source, "needs_finance_manager": True})
        notify_approvers(request)
    return Decision(profile=profile, proposal=locked, limit_request=request)


@transaction.atomic
def proposal_reject(*, proposal: RatingProposal, actor: User, reason: str) -> RatingProposal:
    """Keep the terms in force; the proposal is closed with the reason. The next review comes as scheduled."""
    if not actor.has_perm("credit.decide_ratingproposal"):
        raise Forbidden(_("Your role may not decide rating proposals."), field="proposal")
    if not reason.strip():
        raise ValidationFailed(_("Say why you reject the proposal."), field="reason")
    locked = _locked_pending(proposal)
    locked.status = ProposalStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = reason[:500]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(actor=actor, action="credit_proposal_rejected", subject=locked, before={"status": "pending"},
                 after={"status": "rejected", "reason": reason})
    return locked
