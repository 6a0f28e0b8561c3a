"""arms provisioning: the allowance for doubtful accounts (坏账准备).

    arms provisioning run --as-of 2026-10-31 [--post] [--user NAME]   preview the run of a day (post a month end)
    arms provisioning list [--json]                                   posted runs
    arms provisioning verify RUN                                      recompute a run from its inputs and compare

``run`` without ``--post`` posts nothing. ``run --post`` posts in this process, whatever the number of customers
(the web UI and the API hand big runs to the queue); a second post of a period is refused. ``verify`` exits
non-zero when the stored figures do not recompute.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from arms.common.commands import command_date, command_error, command_user
from arms.common.errors import ArmsError
from arms.customers.services import company_ensure
from arms.domain.money import format_amount
from arms.provisioning import selectors, services


class Command(BaseCommand):
    help = "The allowance for doubtful accounts (坏账准备): run (preview or post), list, verify."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "list", "verify"])
        parser.add_argument("run_id", nargs="?", type=int, help="verify: the run's id.")
        parser.add_argument("--as-of", dest="as_of", help="run: the day, YYYY-MM-DD (post: a month end).")
        parser.add_argument("--post", action="store_true", help="run: post it (once per month end).")
        parser.add_argument("--user", help="run: act as this user (username); the system when omitted.")
        parser.add_argument("--json", action="store_true", help="list: print JSON.")

    def handle(self, *args, action: str, **options):
        try:
            if action == "run":
                self._run(options)
            elif action == "verify":
                self._verify(options)
            else:
                self._list(options)
        except ArmsError as error:
            raise command_error(error) from error

    def _actor(self, username: str | None):
        return command_user(username)

    def _run(self, options) -> None:
        as_of = command_date(options["as_of"], option="--as-of", required=True)
        company = company_ensure()
        if options["post"]:
            run = services.provision_run_post(actor=self._actor(options["user"]), company=company, as_of=as_of)
            self.stdout.write(json.dumps({
                "run": run.pk, "as_of": as_of.isoformat(), "posted": True, "customers": run.customer_count,
                "required": format_amount(run.total_required_minor), "booked_before":
                format_amount(run.total_booked_before_minor), "true_up": format_amount(run.true_up_minor)}))
            return
        computation = services.provision_preview(company=company, as_of=as_of)
        self.stdout.write(json.dumps({
            "as_of": as_of.isoformat(), "posted": False, "matrix_version": computation.matrix.version,
            "customers": len(computation.customers), "required": format_amount(computation.total_required),
            "booked_before": format_amount(computation.total_booked_before),
            "true_up": format_amount(computation.true_up),
            "bands": [{"label": b["label"], "open": format_amount(b["open_minor"]),
                       "required": format_amount(b["required_minor"])} for b in computation.band_totals()]},
            ensure_ascii=False))

    def _verify(self, options) -> None:
        if not options["run_id"]:
            raise CommandError("verify: give the run's id")
        check = services.provision_run_verify(selectors.run_get(run_id=options["run_id"]))
        self.stdout.write(json.dumps({"run": options["run_id"], "ok": check.ok, "digest_ok": check.digest_ok,
                                      "recomputed": check.recomputed, "ledger": check.ledger}))
        if not check.ok:
            raise CommandError("the run's stored figures do not recompute")

    def _list(self, options) -> None:
        rows = [{"id": r.pk, "as_of": r.as_of.isoformat(), "matrix_version": r.matrix.version,
                 "customers": r.customer_count, "required": format_amount(r.total_required_minor),
                 "booked_before": format_amount(r.total_booked_before_minor),
                 "true_up": format_amount(r.true_up_minor)} for r in selectors.run_list()]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['id']:>6} {row['as_of']} v{row['matrix_version']:<3} {row['customers']:>7} "
                              f"{row['required']:>18} {row['booked_before']:>18} {row['true_up']:>18}")
