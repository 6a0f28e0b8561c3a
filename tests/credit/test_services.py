"""Ratings, proposals and limit changes through the services, on both databases."""

from __future__ import annotations

from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.common.errors import Conflict, Forbidden, ValidationFailed
from arms.common.models import Notification
from arms.credit.enums import ProposalStatus
from arms.credit.models import CreditProfile, LimitChangeRequest, Rating, RatingProposal
from arms.credit.selectors import credit_profile_get
from arms.credit.services import (
    credit_file_update,
    financial_statement_save,
    limit_request_approve,
    limit_request_cancel,
    limit_request_create,
    limit_request_reject,
    proposal_accept,
    proposal_reject,
    rating_recompute,
    rating_run,
    rating_run_due,
)
from tests import factories
from tests.credit.helpers import monthly_trade

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db):
    return factories.user("cm", role="credit_manager")


@pytest.fixture
def manager2(db):
    return factories.user("cm2", role="credit_manager")


@pytest.fixture
def finance_manager(db):
    return factories.user("fm", role="finance_manager")


def good_financials(customer, actor=None):
    financial_statement_save(
        customer=customer, actor=actor, fiscal_year=2025, total_assets_minor=100_000_000_00,
        total_liabilities_minor=50_000_000_00, current_assets_minor=40_000_000_00,
        current_liabilities_minor=25_000_000_00, revenue_minor=300_000_000_00, net_profit_minor=24_000_000_00,
        operating_cash_flow_minor=5_000_000_00, audited=True, source="审计报告",
    )
    credit_file_update(customer=customer, actor=actor, bureau_rating="AA", lawsuits_count=0,
                       business_abnormal=False, dishonest_debtor=False)


def test_an_unknown_new_customer_is_rated_and_nothing_changes_until_accepted(customer):
    assert credit_profile_get(customer) is None
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=None, reason="first look")

    # industry "other" (60), everything else neutral: 50*10+50*6+50*6+50*4+50*4 + 60*12+60*10+60*6+100*4+100*3
    # + 30*7+30*8 + 60*10 + 60*5+50*3+50*2 = 5480 -> 54.80 -> 55 -> C
    assert (rating.score, rating.grade, rating.previous_grade) == (55, "C", "")
    assert "avg_days_late" in rating.missing and "broken_promises" not in rating.missing
    assert rating.scorecard.version == 1
    profile = credit_profile_get(customer)
    assert (profile.grade, profile.limit_minor, profile.next_review_on) == ("", None, date(2026, 6, 30))
    proposal = rating.proposal
    assert (proposal.status, proposal.grade, proposal.limit_minor, proposal.payment_terms_days) == (
        "pending", "C", 50_000_00, 30)  # C: 1 x average monthly sales (none), the floor 50,000.00
    assert proposal.deposit_pct == 30 and proposal.guarantee_required is True
    assert AuditEvent.objects.filter(action="credit_rated", subject_id=str(rating.pk)).count() == 1
    assert rating_recompute(rating).score == rating.score


def test_a_stored_rating_recomputes_exactly_after_the_scorecard_changes(customer, manager):
    good_financials(customer)
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=manager)
    from arms.credit.services import scorecard_version_create
    from arms.domain.scorecard import DEFAULT_SCORECARD

    changed = {**DEFAULT_SCORECARD, "thresholds": {"A": 95, "B": 90, "C": 80}}
    scorecard_version_create(actor=manager, name="strict", definition=changed, note="tighter")
    again = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=manager)
    assert again.scorecard.version == 2 and again.score == rating.score and again.grade == "D"
    rating.refresh_from_db()
    result = rating_recompute(rating)
    assert (result.score, result.grade) == (rating.score, rating.grade)
    assert [c.as_dict() for c in result.contributions] == rating.contributions
    assert RatingProposal.objects.get(pk=rating.proposal.pk).status == ProposalStatus.SUPERSEDED


def test_accepting_a_proposal_puts_it_in_force(customer, manager):
    good_financials(customer)
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=manager)
    decision = proposal_accept(proposal=rating.proposal, actor=manager)
    profile = CreditProfile.objects.get(customer=customer)
    assert profile.grade == rating.grade and profile.score == rating.score
    assert profile.limit_minor == rating.proposal.limit_minor
    assert profile.current_rating_id == rating.pk and decision.limit_request is None
    assert AuditEvent.objects.filter(action="credit_proposal_accepted").count() == 1
    with pytest.raises(Conflict) as exc:
        proposal_accept(proposal=rating.proposal, actor=manager)
    assert exc.value.code == "proposal_not_pending"


def test_a_changed_proposal_needs_a_reason_and_a_refusal_changes_nothing(customer, manager):
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=manager)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        proposal_accept(proposal=rating.proposal, actor=manager, payment_terms_days=15)
    assert exc.value.field == "reason"
    assert RatingProposal.objects.get(pk=rating.proposal.pk).status == "pending"
    assert credit_profile_get(customer).grade == "" and AuditEvent.objects.count() == events
    proposal_accept(proposal=rating.proposal, actor=manager, payment_terms_days=15, limit_minor=20_000_00,
                    reason="new customer: start small")
    profile = credit_profile_get(customer)
    assert (profile.grade, profile.payment_terms_days, profile.limit_minor) == ("C", 15, 20_000_00)
    assert RatingProposal.objects.get(pk=rating.proposal.pk).accepted["payment_terms_days"] == 15


def test_only_a_credit_manager_decides_proposals(customer):
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31))
    sales = factories.user(role="sales")
    with pytest.raises(Forbidden):
        proposal_accept(proposal=rating.proposal, actor=sales)
    with pytest.raises(Forbidden):
        proposal_reject(proposal=rating.proposal, actor=sales, reason="no")
    assert RatingProposal.objects.get(pk=rating.proposal.pk).status == "pending"


def test_rejecting_keeps_the_terms_in_force(customer, manager):
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31))
    proposal_reject(proposal=rating.proposal, actor=manager, reason="wait for the audited accounts")
    assert RatingProposal.objects.get(pk=rating.proposal.pk).status == "rejected"
    assert credit_profile_get(customer).grade == ""


def test_the_dishonest_debtor_flag_forces_d_and_prepayment(customer, manager):
    good_financials(customer)
    credit_file_update(customer=customer, actor=manager, dishonest_debtor=True)
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=manager)
    assert rating.grade == "D" and rating.computed_grade != "D" and rating.overrides == ["dishonest_debtor"]
    assert (rating.proposal.limit_minor, rating.proposal.prepayment_only) == (0, True)


def test_a_downgrade_notifies_the_salesperson_and_the_credit_managers(customer, manager):
    seller = factories.user("seller", role="sales")
    customer.salesperson = seller
    customer.save()
    good_financials(customer)
    first = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=manager)
    proposal_accept(proposal=first.proposal, actor=manager)
    assert not Notification.objects.filter(kind="credit.downgrade").exists()
    credit_file_update(customer=customer, actor=manager, dishonest_debtor=True)
    second = rating_run(customer=customer, as_of=date(2026, 4, 30), actor=manager, reason="失信被执行人")
    assert second.previous_grade == first.grade and second.grade > first.grade
    told = set(Notification.objects.filter(kind="credit.downgrade").values_list("user__username", flat=True))
    assert told == {"seller", "cm"}


def test_the_scheduled_review_rates_customers_due(customer, manager):
    other = factories.customer()
    rating_run(customer=other, as_of=date(2026, 1, 15))  # next review 15 Apr
    assert rating_run_due(as_of=date(2026, 3, 1)) == 1  # only the never-rated customer
    assert rating_run_due(as_of=date(2026, 3, 1)) == 0
    assert rating_run_due(as_of=date(2026, 4, 15)) == 1  # the other one is due now
    assert Rating.objects.filter(customer=other).count() == 2


def test_paying_late_for_two_quarters_lowers_the_grade_and_the_limit(customer, manager):
    """The story: a year of paying on time, accepted as B; then six months 45 days late; re-rated lower."""
    good_financials(customer)
    monthly_trade(customer, first=date(2025, 1, 1), months=12, days_late=0)
    before = rating_run(customer=customer, as_of=date(2026, 1, 1), actor=manager)
    assert before.grade in ("A", "B")

    monthly_trade(customer, first=date(2026, 1, 1), months=6, days_late=45, until=date(2026, 7, 1))
    proposal_accept(proposal=before.proposal, actor=manager)  # (after the trade: the credit check runs today)
    after = rating_run(customer=customer, as_of=date(2026, 7, 1), actor=None, reason="quarterly")

    assert after.grade > before.grade  # "C" > "B": a worse grade
    assert after.proposal.limit_minor < before.proposal.limit_minor
    history = after.facts["trade_history"]
    assert history["max_days_late"] == 45 and history["on_time_share_bp"] < 6000
    assert CreditProfile.objects.get(customer=customer).grade == before.grade  # until a manager accepts


# -- limit change requests: maker and checker --------------------------------------------------------------

def request_for(customer, actor, limit=500_000_00):
    credit_profile_get(customer) or rating_run(customer=customer, as_of=date(2026, 3, 31))
    return limit_request_create(customer=customer, actor=actor, requested_limit_minor=limit,
                                justification="年度框架合同, 订单增加")


def snapshot(request):
    request = LimitChangeRequest.objects.get(pk=request.pk)
    profile = CreditProfile.objects.get(customer_id=request.customer_id)
    return (request.status, request.credit_approved_by_id, request.finance_approved_by_id, profile.limit_minor,
            AuditEvent.objects.count())


def test_the_requester_can_never_approve_their_own_request(customer, manager):
    request = request_for(customer, manager)
    before = snapshot(request)
    with pytest.raises(Forbidden) as exc:
        limit_request_approve(request=request, actor=manager)
    assert exc.value.code == "four_eyes"
    assert snapshot(request) == before
    admin = factories.user("root", superuser=True)
    own = request_for(factories.customer(), admin)
    with pytest.raises(Forbidden):
        limit_request_approve(request=own, actor=admin)  # not even an administrator
    with pytest.raises(Forbidden):
        limit_request_reject(request=own, actor=admin, note="no")


def test_a_small_request_needs_one_credit_manager(customer, manager, manager2, finance_manager):
    request = request_for(customer, manager)
    assert request.needs_finance_manager is False
    with pytest.raises(Forbidden) as exc:
        limit_request_approve(request=request, actor=finance_manager)
    assert exc.value.code == "cannot_approve"
    approved = limit_request_approve(request=request, actor=manager2, note="ok")
    assert approved.status == "approved"
    assert credit_profile_get(customer).limit_minor == 500_000_00
    assert AuditEvent.objects.filter(action="credit_limit_changed").count() == 1


def test_a_large_request_also_needs_a_finance_manager_and_two_people(customer, manager, manager2, finance_manager):
    sales = factories.user("seller", role="sales")
    request = request_for(customer, sales, limit=1_000_000_01)
    assert request.needs_finance_manager is True
    limit_request_approve(request=request, actor=manager)
    assert snapshot(request)[0] == "pending" and credit_profile_get(customer).limit_minor is None
    with pytest.raises(Conflict) as exc:
        limit_request_approve(request=request, actor=manager)
    assert exc.value.code == "already_approved"
    with pytest.raises(Forbidden):
        limit_request_approve(request=request, actor=manager2)  # the credit approval is given already
    limit_request_approve(request=request, actor=finance_manager)
    assert snapshot(request)[0] == "approved" and credit_profile_get(customer).limit_minor == 1_000_000_01


def test_exactly_the_threshold_needs_no_finance_manager(customer, manager):
    assert request_for(customer, manager, limit=1_000_000_00).needs_finance_manager is False


def test_one_pending_request_per_customer_reject_and_cancel(customer, manager, manager2):
    request = request_for(customer, manager)
    with pytest.raises(Conflict) as exc:
        request_for(customer, manager2)
    assert exc.value.code == "limit_request_pending"
    with pytest.raises(Forbidden):
        limit_request_cancel(request=request, actor=manager2)
    limit_request_cancel(request=request, actor=manager, note="wrong amount")
    second = request_for(customer, manager, limit=300_000_00)
    with pytest.raises(ValidationFailed):
        limit_request_reject(request=second, actor=manager2, note="")
    limit_request_reject(request=second, actor=manager2, note="订单未确认")
    assert LimitChangeRequest.objects.get(pk=second.pk).status == "rejected"
    assert credit_profile_get(customer).limit_minor is None


def test_a_large_limit_from_a_proposal_waits_for_the_finance_manager(customer, manager, finance_manager):
    good_financials(customer)
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=manager)
    decision = proposal_accept(proposal=rating.proposal, actor=manager, limit_minor=2_000_000_00,
                               reason="strategic customer")
    profile = credit_profile_get(customer)
    assert profile.grade == rating.grade and profile.limit_minor is None  # terms now, the limit after approval
    request = decision.limit_request
    assert (request.source, request.needs_credit_manager, request.needs_finance_manager) == ("rating", False, True)
    with pytest.raises(Forbidden):
        limit_request_approve(request=request, actor=manager)  # the acceptor made it
    limit_request_approve(request=request, actor=finance_manager)
    assert credit_profile_get(customer).limit_minor == 2_000_000_00


def test_bad_requests_name_the_field(customer, manager):
    rating_run(customer=customer, as_of=date(2026, 3, 31))
    for kwargs, field in [({"requested_limit_minor": -1}, "requested_limit_minor"),
                          ({"requested_limit_minor": 1.5}, "requested_limit_minor"),
                          ({"justification": "  "}, "justification"),
                          ({"currency": "USD"}, None)]:
        args = {"customer": customer, "actor": manager, "requested_limit_minor": 100_00, "justification": "x",
                **kwargs}
        if field is None:
            limit_request_create(**args).delete()  # no limit yet: any currency may be asked for
            continue
        with pytest.raises(ValidationFailed) as exc:
            limit_request_create(**args)
        assert exc.value.field == field
    assert not LimitChangeRequest.objects.exists()


def _in_force(customer, limit_minor: int) -> None:
    CreditProfile.objects.update_or_create(customer=customer, defaults={"limit_minor": limit_minor})


def test_a_proposal_limit_above_the_threshold_needs_the_finance_manager_even_when_it_lowers(
        customer, manager, finance_manager):
    """A credit manager cannot set a limit above the threshold alone through a proposal, whether it raises or lowers
    the limit in force: the same rule as a limit change request."""
    _in_force(customer, 5_000_000_00)
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=manager)
    decision = proposal_accept(proposal=rating.proposal, actor=manager, limit_minor=3_000_000_00, reason="风险上升")
    assert credit_profile_get(customer).limit_minor == 5_000_000_00  # not set alone
    request = decision.limit_request
    assert request is not None and (request.needs_finance_manager, request.status) == (True, "pending")
    limit_request_approve(request=request, actor=finance_manager)
    assert credit_profile_get(customer).limit_minor == 3_000_000_00


def test_a_proposal_limit_at_or_below_the_threshold_is_set_by_the_credit_manager(customer, manager):
    _in_force(customer, 5_000_000_00)
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=manager)
    decision = proposal_accept(proposal=rating.proposal, actor=manager, limit_minor=1_000_000_00, reason="收紧")
    assert decision.limit_request is None and credit_profile_get(customer).limit_minor == 1_000_000_00
    assert not LimitChangeRequest.objects.exists()


def test_a_proposal_replacing_pending_requests_audits_each_cancellation(customer, manager, manager2):
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31), actor=manager)
    pending = request_for(customer, manager2, limit=300_000_00)
    decision = proposal_accept(proposal=rating.proposal, actor=manager, limit_minor=2_000_000_00, reason="大客户")
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("cancelled", manager)
    events = AuditEvent.objects.filter(action="credit_limit_request_cancelled")
    assert [(e.subject_id, e.after["rating_proposal"]) for e in events] == [
        (str(pending.pk), rating.proposal.pk)]
    assert decision.limit_request.status == "pending"


def test_unknown_fields_are_refused_by_name_and_nothing_changes(customer, manager):
    """The file and policy updates take typed keyword-only fields: a field they do not have (the grade of a
    file changes only through a proposal) is refused naming it, before anything is written."""
    from arms.credit.models import GradePolicy
    from arms.credit.services import grade_policies, grade_policy_update

    grade_policies()
    policy_before = GradePolicy.objects.values().get(grade="B")
    events = AuditEvent.objects.count()
    with pytest.raises(TypeError, match="'grade'"):
        credit_file_update(customer=customer, actor=manager, bureau_rating="AA", grade="A")
    with pytest.raises(TypeError, match="'grade_label'"):
        grade_policy_update(actor=manager, grade="B", payment_terms_days=40, grade_label="x")
    with pytest.raises(TypeError, match="'ebitda_minor'"):
        financial_statement_save(customer=customer, actor=manager, fiscal_year=2025, revenue_minor=1, ebitda_minor=2)
    with pytest.raises(ValidationFailed) as err:
        financial_statement_save(customer=customer, actor=manager, fiscal_year=2025, revenue_minor=1,
                                 total_assets_minor=-1)
    assert err.value.field == "total_assets_minor"
    assert credit_profile_get(customer) is None and not customer.financial_statements.exists()
    assert GradePolicy.objects.values().get(grade="B") == policy_before
    assert AuditEvent.objects.count() == events
