"""arms collections: the daily checks on demand, the worklist, and an evidence bundle.

    arms collections check-promises --date 2026-03-21   decide open promises (kept / broken, escalated)
    arms collections check-plans --date 2026-05-08      track installment plans (completed / breached)
    arms collections check-disputes --date 2026-10-16   warn dispute owners near / past the SLA deadline
    arms collections check --date D                     all three (what the daily task runs)
    arms collections worklist [--collector NAME] [--date D] [--limit 20]
    arms collections bundle --customer CODE --to "某律师事务所" --user legal [--out file.zip]

Every check is idempotent: run twice on the same date, the second run changes nothing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from arms.cases import selectors
from arms.cases.services import disputes_sla_check, plans_check, promises_check
from arms.cases.services.bundles import evidence_bundle
from arms.common.commands import command_date, command_error, command_user
from arms.common.errors import ArmsError
from arms.customers.models import Customer
from arms.domain.money import format_amount


class Command(BaseCommand):
    help = "Collections: check-promises, check-plans, check-disputes, check, worklist, bundle."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check-promises", "check-plans", "check-disputes", "check",
                                               "worklist", "bundle"])
        parser.add_argument("--date", help="As of this day (YYYY-MM-DD); today when omitted.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--collector", help="worklist: only this collector's customers (username).")
        parser.add_argument("--limit", type=int, default=20, help="worklist: rows to print.")
        parser.add_argument("--customer", help="bundle: the customer code.")
        parser.add_argument("--to", dest="recipient", help="bundle: the agency or law firm.")
        parser.add_argument("--user", help="bundle / worklist: act as this user (username).")
        parser.add_argument("--out", help="bundle: where to write the ZIP (default: its own name here).")

    def handle(self, *args, action: str, **options):
        on = command_date(options["date"])
        try:
            if action.startswith("check"):
                result = self._check(action, on)
                if options["json"]:
                    self.stdout.write(json.dumps({"date": on.isoformat(), **result}, ensure_ascii=False))
                else:
                    for name, counts in result.items():
                        self.stdout.write(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
            elif action == "worklist":
                self._worklist(on, options)
            else:
                self._bundle(on, options)
        except ArmsError as error:
            raise command_error(error) from error

    def _check(self, action: str, on: date) -> dict:
        result = {}
        if action in ("check-promises", "check"):
            result["promises"] = promises_check(as_of=on)
        if action in ("check-plans", "check"):
            result["plans"] = plans_check(as_of=on)
        if action in ("check-disputes", "check"):
            result["disputes"] = disputes_sla_check(as_of=on)
        return result

    def _user(self, username: str | None, *, required: bool):
        return command_user(username, required=required)

    def _worklist(self, on: date, options) -> None:
        viewer = self._user(options["user"], required=False)
        if viewer is None:
            viewer = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if viewer is None:
                raise CommandError("--user is required when there is no administrator")
        collector = self._user(options["collector"], required=False)
        rows = selectors.worklist(user=viewer, as_of=on, collector_id=collector.pk if collector else None)
        rows = rows[: max(options["limit"], 0)]
        if options["json"]:
            self.stdout.write(json.dumps([{
                "rank": i, "code": r.customer.code, "name": r.customer.name, "score": r.score, "grade": r.grade,
                "days_overdue": r.max_days_overdue, "overdue_base_minor": r.overdue_base_minor,
                "open_tasks": r.open_tasks} for i, r in enumerate(rows, start=1)], ensure_ascii=False))
            return
        for i, r in enumerate(rows, start=1):
            self.stdout.write(f"{i:>3} {r.score:>3}  {r.customer.code:<12} {r.grade or '-':<2} "
                              f"{max(r.max_days_overdue, 0):>4}d  ¥{format_amount(r.overdue_base_minor):>16}  "
                              f"{r.customer.name}")

    def _bundle(self, on: date, options) -> None:
        user = self._user(options["user"], required=True)
        if not options["customer"]:
            raise CommandError("--customer is required")
        customer = Customer.objects.filter(code=options["customer"]).first()
        if customer is None:
            raise CommandError(f"no customer {options['customer']!r}")
        made = evidence_bundle(customer=customer, actor=user, recipient=options["recipient"] or "", as_of=on)
        path = Path(options["out"] or made.filename)
        path.write_bytes(made.content)
        self.stdout.write(f"{path} {len(made.content)} bytes sha256 {made.sha256} ({len(made.files)} files)")
