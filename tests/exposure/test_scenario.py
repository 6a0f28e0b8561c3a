"""THE story of the credit check (issue #3), told in order on a clock that walks forward:

a new customer is rated B and given a limit of 500,000.00; it is invoiced up to the limit; the next invoice is
blocked; an override is requested, refused when its requester tries to approve it, approved by another credit
manager and used by the invoice; then the customer pays 45 days late for two quarters, is re-rated C, and the
proposed limit is lowered.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arms.common.errors import Conflict, Forbidden
from arms.credit.selectors import credit_profile_get
from arms.credit.services import credit_file_update, financial_statement_save, proposal_accept, rating_run
from arms.credit.services.ratings import add_months
from arms.exposure import services as exposure
from arms.exposure.models import CreditOverride, OverrideStatus
from arms.exposure.selectors import exposure_breakdown
from arms.ledger.models import Invoice
from arms.ledger.services import invoice_post, payment_allocate, payment_record
from arms.ledger.services.allocations import AllocationRequest
from tests import clock, factories
from tests.credit.helpers import monthly_trade
from tests.ledger.helpers import ledger_state

pytestmark = pytest.mark.django_db

START = date(2027, 1, 4)


class Clock:
    """Today, as every service reads it, moved forward by the story (the suite's clock, travelling)."""

    def __init__(self, time_machine, today: date):
        self.time_machine = time_machine
        self.today = today
        time_machine.move_to(clock.moment(today))

    def go(self, day: date) -> date:
        assert day >= self.today, "the story only moves forward"
        self.today = day
        self.time_machine.move_to(clock.moment(day))
        return day


def invoice(customer, clerk, gross: int, on: date) -> Invoice:
    """An invoice of ``gross`` with 13% VAT inside it (net + tax = gross)."""
    net = gross * 100 // 113
    return invoice_post(actor=clerk, customer=customer, issue_date=on, net_minor=net, tax_minor=gross - net)


def pay(customer, clerk, inv: Invoice, on: date) -> None:
    payment = payment_record(actor=clerk, customer=customer, received_date=on, amount_minor=inv.gross_minor)
    payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(inv.pk, inv.gross_minor)], on=on)


def test_new_customer_rated_b_invoiced_to_the_limit_blocked_overridden_then_pays_late_and_is_rated_down(
        company, time_machine):
    story = Clock(time_machine, START)
    clerk = factories.user("clerk", role="finance_clerk")
    sales = factories.user("sales_zhao", role="sales")
    credit_chen = factories.user("credit_chen", role="credit_manager")
    credit_wang = factories.user("credit_wang", role="credit_manager")

    # A new customer signs up: no credit file yet, so it is not under credit control.
    customer = factories.customer("XK001", name="新科智能装备有限公司", salesperson=sales, payment_terms_days=30)
    assert exposure.credit_check(customer=customer, amount_minor=1, currency="CNY", document_kind="order",
                                 lock=False).decision == "warn"

    # Its first year is traded at the sales team's risk, invoiced monthly and always paid on the due date.
    monthly_trade(customer, first=add_months(START, -12), months=12, days_late=0, net=80_000_00)
    assert exposure_breakdown(customer).total_minor == 0

    # The credit manager files its audited statements and bureau facts and rates it: grade B.
    financial_statement_save(
        customer=customer, actor=credit_chen, fiscal_year=2026, total_assets_minor=100_000_000_00,
        total_liabilities_minor=50_000_000_00, current_assets_minor=40_000_000_00,
        current_liabilities_minor=25_000_000_00, revenue_minor=300_000_000_00, net_profit_minor=24_000_000_00,
        operating_cash_flow_minor=5_000_000_00, audited=True, source="审计报告")
    credit_file_update(customer=customer, actor=credit_chen, bureau_rating="AA", lawsuits_count=0,
                       business_abnormal=False, dishonest_debtor=False)
    rating = rating_run(customer=customer, as_of=START, actor=credit_chen, reason="新客户首次评级")
    assert rating.grade == "B"

    # Sales has a framework contract in view; the other credit manager accepts grade B with a limit of 500,000.
    proposal_accept(proposal=rating.proposal, actor=credit_wang, reason="年度框架合同, 授信50万",
                    limit_minor=500_000_00)
    profile = credit_profile_get(customer)
    assert (profile.grade, profile.limit_minor, profile.currency) == ("B", 500_000_00, "CNY")

    # Invoiced up to the limit: five deliveries of 100,000.00; the fifth already warns (over 90% of the limit).
    for n in range(1, 6):
        if n == 5:
            ahead = exposure.credit_check(customer=customer, amount_minor=100_000_00, currency="CNY",
                                          document_kind="invoice", lock=False)
            assert (ahead.decision, [r["code"] for r in ahead.reasons]) == ("warn", ["near_limit"])
        invoice(customer, clerk, 100_000_00, START)
    assert exposure_breakdown(customer).total_minor == 500_000_00

    # The next invoice is blocked, says why, and writes nothing.
    before = ledger_state()
    with pytest.raises(Conflict) as blocked:
        invoice(customer, clerk, 20_000_00, START)
    details = blocked.value.details
    assert blocked.value.code == "credit_blocked"
    assert ([r["code"] for r in details["reasons"]], details["exposure_minor"], details["available_minor"]) == (
        ["limit_exceeded"], 500_000_00, 0)
    assert ledger_state() == before

    # Sales asks for an override; credit manager Chen files it, then tries to approve it himself: refused.
    override = exposure.override_request(customer=customer, amount_minor=20_000_00, currency="CNY",
                                         document_kind="invoice", reason="销售赵: 客户产线停工待料, 急需补货",
                                         actor=credit_chen)
    with pytest.raises(Forbidden) as own:
        exposure.override_approve(override=override, actor=credit_chen, note="同意")
    assert own.value.code == "four_eyes"
    override.refresh_from_db()
    assert (override.status, override.decided_by, override.expires_at) == (OverrideStatus.REQUESTED, None, None)

    # Credit manager Wang approves it; the invoice now goes through and uses the override up.
    exposure.override_approve(override=override, actor=credit_wang, note="一次性放行, 7天有效")
    rush = invoice(customer, clerk, 20_000_00, START)
    override.refresh_from_db()
    assert (override.status, override.consumed_document_ref) == (OverrideStatus.CONSUMED, rush.number)
    assert exposure_breakdown(customer).total_minor == 520_000_00
    with pytest.raises(Conflict):
        invoice(customer, clerk, 1_00, START)  # the override was for one document only

    # Two quarters of paying 45 days late: each invoice is paid 45 days after its due date, and a new
    # delivery is invoiced on the 4th of each month from April to September.
    def pay_what_is_45_days_late() -> None:
        for item in Invoice.objects.filter(customer=customer, amount_open_minor__gt=0).order_by("due_date", "pk"):
            paid_on = item.due_date + timedelta(days=45)
            if paid_on <= story.today:
                pay(customer, clerk, item, paid_on)

    story.go(START + timedelta(days=30 + 45))
    pay_what_is_45_days_late()
    assert exposure_breakdown(customer).total_minor == 0
    for month in range(3, 9):
        story.go(add_months(START, month))
        pay_what_is_45_days_late()
        invoice(customer, clerk, 100_000_00, story.today)
    story.go(add_months(START, 9))
    pay_what_is_45_days_late()
    assert CreditOverride.objects.filter(customer=customer).count() == 1  # no more overrides were needed

    # The quarterly review re-rates the customer: grade C, and the proposed limit is lower than 500,000.
    review = rating_run(customer=customer, as_of=story.today, reason="季度复评")
    assert (review.previous_grade, review.grade) == ("B", "C")
    assert review.proposal.limit_minor < 500_000_00
    assert review.facts["trade_history"]["max_days_late"] == 45
    assert credit_profile_get(customer).limit_minor == 500_000_00  # until a credit manager accepts
    proposal_accept(proposal=review.proposal, actor=credit_chen, reason="逾期45天, 降级")
    lowered = credit_profile_get(customer)
    assert (lowered.grade, lowered.limit_minor) == ("C", review.proposal.limit_minor)

    # With 200,000.00 still open against the lower limit, the ERP's next order is blocked until the customer pays.
    order = exposure.credit_check(customer=customer, amount_minor=10_000_00, currency="CNY", document_kind="order",
                                  document_ref="SO-2027-118", lock=False)
    # Grade C's policy requires a guarantee (issue 16), and none is registered: that blocks too.
    assert (order.decision, [r["code"] for r in order.reasons]) == ("block", ["limit_exceeded", "guarantee_missing"])
    assert (order.exposure_minor, order.limit_minor, order.available_minor) == (
        200_000_00, lowered.limit_minor, 0)
