"""Disputed amounts shown apart in the aging; team scores and the process measures from the activity log."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from arms.analytics.aging import aging_report
from arms.analytics.team import parse_weights, team_performance
from arms.cases.services.activities import activity_record
from arms.cases.services.disputes import dispute_raise, dispute_resolve
from arms.common.errors import ValidationFailed
from arms.domain import kpi
from tests.analytics.conftest import ON_BOOK_DAY

pytestmark = ON_BOOK_DAY


def test_an_open_dispute_is_shown_apart_and_totals_still_tie(book):
    dispute = dispute_raise(invoice=book["a2"], amount_minor=20_000_00, reason_code="quality", actor=None,
                            raised_on=date(2026, 4, 12))
    before = aging_report(as_of=date(2026, 4, 11))
    row = next(r for r in before.rows if r.currency == "CNY")
    assert (row.buckets[1], row.disputed_minor) == (56_500_00, 0)

    during = aging_report(as_of=date(2026, 4, 15))
    row = next(r for r in during.rows if r.currency == "CNY")
    # A2 (due 17 March, 29 days overdue) 56,500 of which 20,000 disputed; A1 (65 days) 21,700
    assert row.buckets == [0, 36_500_00, 0, 21_700_00, 0, 0, 0, 0]
    assert (row.disputed_minor, row.base_disputed_minor, row.total_minor) == (20_000_00, 20_000_00, 78_200_00)
    assert during.totals[0].total_minor == 78_200_00

    dispute_resolve(dispute=dispute, resolution="rejected", actor=None, note="质量合格", on=date(2026, 4, 20))
    after = aging_report(as_of=date(2026, 4, 30))
    assert next(r for r in after.rows if r.currency == "CNY").disputed_minor == 0


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_team_scores_and_process_measures(book):
    # A2 falls overdue on 18 March; cole calls the next morning (within 24 hours) and writes a note
    activity_record(customer=book["a"], kind="call", outcome="promised", note="下周付款", actor=book["cole"],
                    occurred_at=_at(date(2026, 3, 18), 10))
    activity_record(customer=book["a"], kind="email", actor=book["cole"], occurred_at=_at(date(2026, 3, 25), 9))
    rows = team_performance(start=date(2026, 3, 1), end=date(2026, 3, 31))
    by = {(r.role, r.name): r for r in rows}
    sam, sally, cole = by["salesperson", "sam"], by["salesperson", "sally"], by["collector", "cole"]
    assert (sam.fell_overdue, sam.followed_up_24h, sam.follow_up_rate) == (1, 1, Decimal("100.00"))
    assert (cole.activities, cole.complete_activities, cole.completeness_rate) == (2, 1, Decimal("50.00"))
    assert sally.fell_overdue == 0 and sally.follow_up_rate is None
    # March: sam's cash was 56,500 of opening 119,500 (A1 63,000 + A2 56,500): 回款率 47.28%. But that cash went
    # to A2, which fell due on 17 March and was paid on the 20th (回收率 0%), and nothing was collected on A1, the
    # one item overdue on 1 March (63,000 less the 11,300 credit note of 5 March: 催收成功率 0%). Sally's B1
    # (due 19 Feb, in the Spring Festival holiday: deadline 24 Feb) was overdue by ¥8,023.00 and USD 500.00
    # relieved ¥3,550.00 of it: 44.25%. Nobody sold anything, so turnover is 0 for all and gives no relative
    # score; and without sales the bad-debt ratio (written off / credit sales) has no value either: the score is
    # the collection component alone, 催收成功率
    assert (sam.collection_rate, sam.receivables_turnover) == (Decimal("47.28"), Decimal("0.00"))
    assert (sam.recovery_rate, sam.dunning_success_rate) == (Decimal("0.00"), Decimal("0.00"))
    assert (sally.recovery_rate, sally.dunning_success_rate) == (None, Decimal("44.25"))
    assert (sam.bad_debt_ratio, sam.over_365_share) == (None, Decimal("0.00"))
    assert sam.scores == {"turnover": None, "bad_debt": None, "collection": Decimal("0.00")}
    assert sam.score == Decimal("0.00")  # 0 × 30 / 30
    assert sam.score == kpi.weighted_score(sam.scores, {"turnover": 40, "bad_debt": 30, "collection": 30})
    assert sally.score == Decimal("44.25")  # 44.25 × 30 / 30
    assert [(r.name, r.rank) for r in rows if r.role == "salesperson"] == [("sally", 1), ("sam", 2)]

    heavy = team_performance(start=date(2026, 3, 1), end=date(2026, 3, 31),
                             weights=parse_weights("turnover=0,bad_debt=0,collection=100"))
    assert {r.name: r.score for r in heavy if r.role == "salesperson"} == {"sam": Decimal("0.00"),
                                                                          "sally": Decimal("44.25")}


def test_bad_weights_are_refused():
    with pytest.raises(ValidationFailed) as exc:
        parse_weights("turnover=0,bad_debt=0,collection=0")
    assert exc.value.field == "weights"
    with pytest.raises(ValidationFailed):
        parse_weights("turnover=lots")


def test_cli_aging_kpis_tie_and_errors(book, capsys):
    call_command("analytics", "aging", as_of=date(2026, 4, 30), group_by="region", format="csv")
    out = capsys.readouterr().out.lstrip("\ufeff").splitlines()
    assert out[0].startswith("Group,Key,Currency,Items,Not yet due")
    assert any(line.startswith("East China,east,CNY,2,") and line.endswith(",78200.00,78200.00") for line in out)
    call_command("analytics", "kpis", start=date(2026, 2, 1), end=date(2026, 4, 30), format="json")
    assert '"value": "53.43"' in capsys.readouterr().out
    call_command("analytics", "tie", as_of=date(2026, 4, 30))
    assert "True" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("analytics", "aging", as_of=date(2026, 4, 30), group_by="planet")


def test_cli_shows_the_collection_rates(recovery_book, capsys):
    call_command("analytics", "kpis", start=date(2026, 10, 1), end=date(2026, 10, 31), format="json")
    out = capsys.readouterr().out
    assert '"code": "recovery_rate"' in out and '"value": "80.51"' in out and '"value": "62.18"' in out
    call_command("analytics", "team", start=date(2026, 10, 1), end=date(2026, 10, 31), format="csv")
    header = capsys.readouterr().out.lstrip("\ufeff").splitlines()[0]
    assert "Dunning success rate (催收成功率) %,Recovery rate (回收率) %,Collection rate (回款率) %" in header


def test_the_database_refuses_a_recovery_rate_target_above_100_percent(db):
    from django.db import IntegrityError, transaction

    from arms.analytics.models import Budget

    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.create(period=date(2026, 10, 1), scope="company", recovery_rate_target_bp=10_001)
    assert not Budget.objects.exists()
    Budget.objects.create(period=date(2026, 10, 1), scope="company", recovery_rate_target_bp=10_000)
