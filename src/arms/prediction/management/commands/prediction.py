"""arms prediction: train a model, predict the open items, backtest, list the versions.

    arms prediction train [--window-months 24] [--max-iter 100] [--user NAME]   train, activate, predict the book
    arms prediction refresh [--user NAME]                                      predict every open item again
    arms prediction backtest [--source demo|ibm] [--cutoff 2025-06-30] [--months 3] [--json]
    arms prediction models [--json]

``train`` and ``refresh`` run in this process whatever the size of the book (the web page and the API hand them
to the queue). ``backtest`` writes nothing: ``demo`` is this installation's ledger, ``ibm`` the IBM sample in
../shared/data.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from arms.common.commands import command_date, command_error, command_user
from arms.common.errors import ArmsError
from arms.prediction import learning, selectors, services


class Command(BaseCommand):
    help = "Payment-date prediction: train, refresh, backtest, models."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["train", "refresh", "backtest", "models"])
        parser.add_argument("--window-months", type=int, default=services.WINDOW_MONTHS,
                            help="train: months of settled history to learn from.")
        parser.add_argument("--max-iter", type=int, default=learning.MAX_ITER, help="Boosting iterations.")
        parser.add_argument("--source", default="demo", help="backtest: demo (this ledger) or ibm (the IBM sample).")
        parser.add_argument("--cutoff", help="backtest: train before this day, test the months after it.")
        parser.add_argument("--months", type=int, default=learning.BACKTEST_MONTHS,
                            help="backtest: months of invoices tested after the cut-off.")
        parser.add_argument("--user", help="train / refresh: act as this user (the audit trail names them).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, action: str, **options):
        try:
            if action == "train":
                user = command_user(options["user"])
                version = services.model_train(actor=user, window_months=options["window_months"],
                                               max_iter=options["max_iter"])
                refreshed = services.predictions_refresh(actor=user)
                self.stdout.write(json.dumps({"version": version.version, "rows": version.rows,
                                              "metrics": version.metrics, "predicted": refreshed.predicted}))
            elif action == "refresh":
                refreshed = services.predictions_refresh(actor=command_user(options["user"]))
                self.stdout.write(json.dumps({"version": refreshed.version, "predicted": refreshed.predicted,
                                              "removed": refreshed.removed}))
            elif action == "backtest":
                cutoff = command_date(options["cutoff"], option="--cutoff") if options["cutoff"] else None
                report = services.backtest_run(source=options["source"], cutoff=cutoff,
                                               months=options["months"], max_iter=options["max_iter"])
                self._backtest(report, as_json=options["json"])
            else:
                rows = [{"version": v.version, "status": v.status, "rows": v.rows,
                         "window": [v.window_start.isoformat(), v.window_end.isoformat()], "metrics": v.metrics}
                        for v in selectors.model_list()]
                self.stdout.write(json.dumps(rows) if options["json"] else "\n".join(
                    f"v{r['version']} {r['status']} rows={r['rows']} {r['window'][0]}..{r['window'][1]}"
                    for r in rows))
        except ArmsError as error:
            raise command_error(error) from error

    def _backtest(self, report: services.BacktestReport, *, as_json: bool) -> None:
        data = report.as_dict()
        if as_json:
            self.stdout.write(json.dumps(data))
            return
        self.stdout.write(f"source={data['source']} items={data['items']} cutoff={data['cutoff']} "
                          f"test={data['cutoff']}..{data['test_end']} train_rows={data['train_rows']} "
                          f"test_rows={data['test_rows']} p10-p90 coverage={data['coverage_p10_p90']:.1%}")
        for entry in data["scores"]:
            self.stdout.write(f"  {entry['method']:<17} MAE {entry['mae_days']:6.2f} days   "
                              f"within ±7 days {entry['within_7']:.1%}")
