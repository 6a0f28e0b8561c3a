"""Demo data of stress tests, after the ledger, collections and the allowance are loaded: believable settings
(opening cash of two weeks' outflows, weekly outflows of 7% of the open receivables, financing at 4.35% a year),
the standard scenario (10% of items slip 60 days + the largest customer defaults), a grade migration scenario,
and one run of the standard scenario as of today. Safe to run twice: settings left alone once changed, scenarios
found by name, one run per scenario and day."""

from __future__ import annotations

from datetime import date

from arms.analytics.kpis import receivables_split
from arms.customers.services import company_ensure
from arms.domain.money import proportional_part
from arms.stress.models import Scenario, ScenarioRun, StressSettings
from arms.stress.services import scenario_create, scenario_run, standard_scenario_ensure, stress_settings_update

MIGRATION = "B级客户降为C级"


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    del seed
    company = company_ensure()
    before = Scenario.objects.filter(company=company).count()
    if not StressSettings.objects.filter(company=company).exclude(weekly_outflow_minor=0).exists():
        total = receivables_split(today, None)["total"]
        weekly = proportional_part(total, 100, 7)
        stress_settings_update(actor=None, company=company, opening_cash_minor=2 * weekly,
                               weekly_outflow_minor=weekly, financing_rate_bp=435, concentration_limit_bp=2_000)
    standard = standard_scenario_ensure(company=company)
    if not Scenario.objects.filter(company=company, name=MIGRATION).exists():
        scenario_create(actor=None, company=company, name=MIGRATION,
                        description="信用评级下调一级：B级客户按C级的付款习惯（平均晚付30天）和坏账计提比例测算",
                        parameters={"migrate_grade": "B"})
    runs = 0
    if not ScenarioRun.objects.filter(scenario=standard, as_of=today).exists():
        scenario_run(actor=None, scenario=standard, as_of=today)
        runs = 1
    return {"stress scenarios": Scenario.objects.filter(company=company).count() - before, "stress runs": runs}
