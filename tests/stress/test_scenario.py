"""Issue 15's proof for stress tests: a scenario's figures equal a hand computation (the slipped cash-in per week,
the minimum cash position, the ratios, the allowance delta), and the run is stored with what it was run with."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditEvent
from arms.customers.services import company_ensure
from arms.stress import services
from arms.stress.models import Scenario, ScenarioRun
from tests.stress.conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-10-20")]


def _positions(opening, cash_in, outflow):
    out, cash = [], opening
    for amount in cash_in:
        cash += amount - outflow
        out.append(cash)
    return out


def test_every_item_slipping_30_days_and_the_largest_customer_defaulting_equal_the_hand_computation(book):
    scenario = services.scenario_create(
        actor=book.finmgr, company=company_ensure(), name="全部延迟30天+最大客户违约",
        parameters={"slip_share_bp": 10_000, "slip_days": 30, "default_top_n": 1})

    run = services.scenario_run(actor=book.finmgr, scenario=scenario, as_of=TODAY)
    results = run.results

    # base: week 1 the overdue 400.00 (paid today) and 500.00 due Thursday; week 2 BIG's 3,000.00; week 3 1,000.00
    base_in = [90_000, 300_000, 100_000] + [0] * 10
    # stressed: BIG pays nothing; the 400.00 (today + 30 = 11-19) and the 500.00 (10-22 + 30 = 11-21) land in the
    # week of 11-16 (week 5), the 1,000.00 (11-04 + 30 = 12-04) in the week of 11-30 (week 7)
    stressed_in = [0, 0, 0, 0, 90_000, 0, 100_000] + [0] * 6
    assert [w["base_minor"] for w in results["weeks"]] == base_in
    assert [w["stressed_minor"] for w in results["weeks"]] == stressed_in
    assert results["weeks"][0]["start"] == "2026-10-19" and results["weeks"][4]["start"] == "2026-11-16"

    base_positions = _positions(100_000, base_in, 30_000)
    stressed_positions = _positions(100_000, stressed_in, 30_000)
    assert base_positions[:4] == [160_000, 430_000, 500_000, 470_000]
    assert stressed_positions == [70_000, 40_000, 10_000, -20_000, 40_000, 10_000, 80_000, 50_000, 20_000,
                                  -10_000, -40_000, -70_000, -100_000]
    assert [w["stressed_position_minor"] for w in results["weeks"]] == stressed_positions
    assert (results["base"]["minimum_minor"], results["base"]["minimum_week"]) == (160_000, "2026-10-19")
    assert (results["stressed"]["minimum_minor"], results["stressed"]["minimum_week"]) == (-100_000, "2027-01-11")
    assert run.stressed_minimum_minor == -100_000

    # overdue ratio: 400.00 of 4,900.00 today; stressed every item is overdue (BIG's by its default, the others
    # slip past their due dates within the 30 days)
    assert (results["base"]["overdue_ratio_bp"], results["stressed"]["overdue_ratio_bp"]) == (816, 10_000)
    # bad-debt ratio over the trailing year's credit sales of 4,900.00: none written off; stressed BIG's 3,000.00
    assert (results["base"]["bad_debt_ratio_bp"], results["stressed"]["bad_debt_ratio_bp"]) == (0, 6_122)

    # the allowance by the seeds' matrix (0-30 days 1%, 31-180 5%): base every item in 0-30 days, 1% of 4,900.00;
    # stressed BIG at 100% (3,000.00), the overdue 400.00 at 50 days (5%: 20.00), OTHER's 1,500.00 still 0-30 (15.00)
    assert results["base"]["allowance_minor"] == 4_900
    assert results["stressed"]["allowance_minor"] == 300_000 + 2_000 + 1_500
    assert run.allowance_delta_minor == 303_500 - 4_900
    assert results["defaulted"] == [[book.big.pk, "BIG", "华东精密机械有限公司", 300_000]]
    assert [code for code, _params in results["recommendations"]] == ["financing", "diversify", "provide", "collect"]
    assert results["recommendations"][0][1]["week"] == "2027-01-11"

    assert run.inputs["scenario"]["slip_share_bp"] == 10_000
    assert run.inputs["settings"]["weekly_outflow_minor"] == 30_000
    assert AuditEvent.objects.filter(action="stress_scenario_run", subject_id=str(run.pk)).count() == 1
    assert len(services.recommendation_texts(results)) == 4


def test_a_share_slips_the_items_the_stable_rule_picks_and_a_currency_shock_revalues_foreign_items(book):
    from arms.domain.stress import item_slips

    share = 5_000
    slipping = {inv.pk for inv in (book.inv_big, book.inv_soon, book.inv_later, book.inv_overdue)
                if item_slips(inv.pk, share)}
    scenario = services.scenario_create(actor=book.finmgr, company=company_ensure(), name="半数延迟",
                                        parameters={"slip_share_bp": share, "slip_days": 60})
    results = services.scenario_run(actor=book.finmgr, scenario=scenario, as_of=TODAY).results
    amounts = {book.inv_big.pk: 300_000, book.inv_soon.pk: 50_000, book.inv_later.pk: 100_000,
               book.inv_overdue.pk: 40_000}
    assert results["slipped_open_minor"] == sum(amounts[pk] for pk in slipping)
    assert results["stressed"]["cash_in_minor"] + results["stressed"]["beyond_minor"] == 490_000
    assert results["defaulted_count"] == 0


def test_the_standard_scenario_is_made_once():
    company = company_ensure()
    first = services.standard_scenario_ensure(company=company)
    again = services.standard_scenario_ensure(company=company)
    assert first.pk == again.pk and first.is_standard
    assert (first.slip_share_bp, first.slip_days, first.default_top_n) == (1_000, 60, 1)
    assert Scenario.objects.count() == 1 and ScenarioRun.objects.count() == 0
