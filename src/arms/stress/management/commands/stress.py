"""arms stress: stress scenarios (压力测试) and the cost of overdue.

    arms stress list                                  the scenarios (the standard one is made when missing)
    arms stress run SCENARIO [--as-of D] [--user U]   run a scenario in this process and store the run
    arms stress cost [--as-of D] [--by customer|collector|salesperson]   the cost of overdue, largest first

``run`` prints the run's headline figures as JSON; it runs in this process whatever the size of the book (the web
UI and the API hand large books to the queue).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from arms.common.commands import command_date, command_error, command_user
from arms.common.errors import ArmsError
from arms.customers.services import company_ensure
from arms.domain.money import format_amount
from arms.stress import selectors, services


class Command(BaseCommand):
    help = "Stress scenarios (压力测试): list, run, and the cost of overdue receivables."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "run", "cost"])
        parser.add_argument("scenario_id", nargs="?", type=int, help="run: the scenario's id.")
        parser.add_argument("--as-of", dest="as_of", help="The day, YYYY-MM-DD (today when omitted).")
        parser.add_argument("--user", help="run: act as this user (username); the system when omitted.")
        parser.add_argument("--by", default="customer", choices=list(selectors.GROUPS), help="cost: grouped by.")
        parser.add_argument("--limit", type=int, default=20, help="cost: rows printed.")

    def handle(self, *args, action: str, **options):
        try:
            if action == "run":
                self._run(options)
            elif action == "cost":
                self._cost(options)
            else:
                self._list()
        except ArmsError as error:
            raise command_error(error) from error

    def _list(self) -> None:
        company = company_ensure()
        services.standard_scenario_ensure(company=company)
        for scenario in selectors.scenario_list(company=company):
            self.stdout.write(json.dumps({"id": scenario.pk, "name": scenario.name, "standard": scenario.is_standard,
                                          **scenario.parameters().as_data()}, ensure_ascii=False))

    def _run(self, options) -> None:
        if options["scenario_id"] is None:
            raise CommandError("run: give the scenario's id (arms stress list)")
        company = company_ensure()
        scenario = selectors.scenario_get(company=company, scenario_id=options["scenario_id"])
        run = services.scenario_run(actor=command_user(options["user"]), scenario=scenario,
                                    as_of=command_date(options["as_of"], option="--as-of"))
        base, stressed = run.results["base"], run.results["stressed"]
        self.stdout.write(json.dumps({
            "run": run.pk, "scenario": scenario.name, "as_of": run.as_of.isoformat(),
            "cash_in_13_weeks": {"base": format_amount(base["cash_in_minor"]),
                                 "stressed": format_amount(stressed["cash_in_minor"])},
            "minimum_cash": {"base": format_amount(base["minimum_minor"]),
                             "stressed": format_amount(stressed["minimum_minor"]),
                             "stressed_week": stressed["minimum_week"]},
            "overdue_ratio_bp": {"base": base["overdue_ratio_bp"], "stressed": stressed["overdue_ratio_bp"]},
            "bad_debt_ratio_bp": {"base": base["bad_debt_ratio_bp"], "stressed": stressed["bad_debt_ratio_bp"]},
            "allowance": {"base": format_amount(base["allowance_minor"]),
                          "stressed": format_amount(stressed["allowance_minor"])},
        }, ensure_ascii=False))

    def _cost(self, options) -> None:
        company = company_ensure()
        settings = services.stress_settings_for(company)
        rows = selectors.overdue_cost(company=company, as_of=command_date(options["as_of"], option="--as-of"),
                                      rate_bp=settings.financing_rate_bp, group_by=options["by"])
        for row in rows[:max(options["limit"], 0)]:
            self.stdout.write(json.dumps({"id": row.key, "overdue": format_amount(row.overdue_minor),
                                          "average_days": row.average_days, "cost": format_amount(row.cost_minor)}))
