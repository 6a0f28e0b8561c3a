"""Issue 16's proof for incentives: November's payout sheet equals a hand computation (cash credited to whoever
was responsible when it came, analytics' 回收率 and 催收成功率, the DSO step, the deduction for an item past 90
days, the mutual ratings), and every figure drills down to its items."""

from __future__ import annotations

from decimal import Decimal

import pytest

from arms.analytics.kpis import kpi_values
from arms.audit.models import AuditEvent
from arms.customers.services import company_ensure
from arms.domain.terms import month_end
from arms.incentives import selectors, services
from arms.incentives.models import PayoutLine, SchemeStatus
from tests.incentives.conftest import NOVEMBER

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-12-05")]

TERMS = {"base_pool_minor": 1_000_000, "weight_collections_bp": 6000, "weight_recovery_bp": 1500,
         "weight_dunning_bp": 1500, "weight_rating_bp": 1000, "dso_step_days": 2, "dso_step_bp": 100,
         "deduction_mode": "per_item", "deduction_per_item_minor": 10_000, "overdue_days": 90}


def scheme_of(book, **terms):
    return services.scheme_create(actor=book.fm1, company=company_ensure(), period=NOVEMBER,
                                  terms={**TERMS, **terms}, members=[(book.s1, "salesperson"),
                                                                     (book.s2, "salesperson")])


def rate(book, scheme):
    services.rating_set(actor=book.fm1, scheme=scheme, ratee=book.s1, score=80)
    services.rating_set(actor=book.clerk, scheme=scheme, ratee=book.s1, score=90)
    services.rating_set(actor=book.fm1, scheme=scheme, ratee=book.s2, score=70)


def test_novembers_payout_sheet_equals_the_hand_computation(book):
    scheme = scheme_of(book)
    rate(book, scheme)
    scheme = services.scheme_compute(actor=book.fm1, scheme=scheme)

    # DSO: October 1,800.00 open at its end / 1,500.00 sold × 31 = 37.20; November 2,300.00 / 2,000.00 × 30 =
    # 34.50: 2.70 days shorter = one whole step of 2 days: +1%
    assert (scheme.dso_previous, scheme.dso_current) == (Decimal("37.20"), Decimal("34.50"))
    assert kpi_values(start=NOVEMBER, end=month_end(NOVEMBER), codes=["dso"])["dso"].measure == Decimal("34.50")
    assert (scheme.pool_step_bp, scheme.pool_minor) == (100, 1_010_000)
    # the pool by weight: 60% 606,000; 15% 151,500 twice; 10% 101,000
    lines = {line.user_id: line for line in PayoutLine.objects.filter(scheme=scheme)}
    s1, s2 = lines[book.s1.pk], lines[book.s2.pk]
    # collections: s1 400.00 (X before the hand-over) + 500.00 (Y, no history: its current salesperson);
    # s2 600.00 (X after): 606,000 × 9/15 and × 6/15
    assert (s1.collections_minor, s2.collections_minor) == (90_000, 60_000)
    assert (s1.points["collections"], s2.points["collections"]) == (6000, 4000)
    assert (s1.amounts["collections"], s2.amounts["collections"]) == (363_600, 242_400)
    # 回收率 (current owners): s1's Y1 fell due 11-18 and was paid that day: 100%; s2 had nothing falling due
    assert (s1.recovery_bp, s2.recovery_bp) == (10_000, None)
    assert (s1.amounts["recovery"], s2.amounts["recovery"]) == (151_500, 0)
    # 催收成功率: overdue at the start of November: s1 Y_OLD 300.00, nothing came: 0%; s2 X1 1,000.00, all came: 100%
    assert (s1.dunning_bp, s2.dunning_bp) == (0, 10_000)
    assert (s1.amounts["dunning"], s2.amounts["dunning"]) == (0, 151_500)
    # ratings: s1 (80 + 90) / 2 = 85, s2 70: 101,000 × 85/155 = 55,387.1, × 70/155 = 45,612.9 (the remainder
    # cent goes to the larger remainder)
    assert (s1.rating_bp, s1.ratings_count, s2.rating_bp, s2.ratings_count) == (8500, 2, 7000, 1)
    assert (s1.amounts["rating"], s2.amounts["rating"]) == (55_387, 45_613)
    # deductions: Y_OLD is s1's (Y's current salesperson on 11-30), more than 90 days past due: 100.00
    assert (s1.overdue_items, s1.overdue_minor, s1.deduction_minor) == (1, 30_000, 10_000)
    assert (s2.overdue_items, s2.deduction_minor) == (0, 0)
    assert (s1.gross_minor, s1.total_minor) == (570_487, 560_487)
    assert (s2.gross_minor, s2.total_minor) == (439_513, 439_513)
    assert s1.gross_minor + s2.gross_minor == scheme.pool_minor
    assert scheme.status == SchemeStatus.COMPUTED


def test_every_figure_drills_down_to_its_items(book):
    scheme = scheme_of(book)
    rate(book, scheme)
    services.scheme_compute(actor=book.fm1, scheme=scheme)

    def items(user, part):
        return selectors.drill_items(scheme=scheme, user_id=user.pk, role="salesperson", part=part)

    s1_cash = list(items(book.s1, "collections"))
    assert [(a.invoice.number, a.cash_base_minor) for a in s1_cash] == [("X1", 40_000), ("Y1", 50_000)]
    assert [(a.invoice.number, a.cash_base_minor) for a in items(book.s2, "collections")] == [("X1", 60_000)]
    assert [i.number for i in items(book.s1, "recovery")] == ["Y1"]
    assert [i.number for i in items(book.s2, "dunning")] == ["X1"]
    assert [i.number for i in items(book.s1, "dunning")] == ["Y_OLD"]
    assert [i.number for i in items(book.s1, "overdue")] == ["Y_OLD"]
    assert sorted(r.score for r in items(book.s1, "ratings")) == [80, 90]


def test_the_dso_step_grows_the_pool_and_shrinks_it_only_both_ways():
    step = services.dso_step
    assert step(previous=Decimal("40"), current=Decimal("29.9"), step_days=5, step_bp=100, both_ways=False) == 200
    assert step(previous=Decimal("40"), current=Decimal("36"), step_days=5, step_bp=100, both_ways=False) == 0
    assert step(previous=Decimal("30"), current=Decimal("41"), step_days=5, step_bp=100, both_ways=False) == 0
    assert step(previous=Decimal("30"), current=Decimal("41"), step_days=5, step_bp=100, both_ways=True) == -200
    assert step(previous=None, current=Decimal("41"), step_days=5, step_bp=100, both_ways=True) == 0
    assert step(previous=Decimal("900"), current=Decimal("0"), step_days=1, step_bp=500, both_ways=True) == 450_000
    assert step(previous=Decimal("0"), current=Decimal("900"), step_days=1, step_bp=500, both_ways=True) == -10_000


def test_per_amount_deductions_and_approval_by_a_second_finance_manager(book):
    scheme = scheme_of(book, deduction_mode="per_amount", deduction_bp=1000)
    scheme = services.scheme_compute(actor=book.fm1, scheme=scheme)
    s1 = PayoutLine.objects.get(scheme=scheme, user=book.s1)
    assert s1.deduction_minor == 3_000  # 10% of 300.00
    scheme = services.scheme_approve(actor=book.fm2, scheme=scheme)
    assert (scheme.status, scheme.approved_by) == (SchemeStatus.APPROVED, book.fm2)
    assert AuditEvent.objects.filter(action="incentive_scheme_approved").count() == 1
    services.scheme_close(actor=book.fm2, scheme=scheme)
