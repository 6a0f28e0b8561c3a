"""arms dunning: run the dunning ladder, process its actions, (re)send e-mails, keep customers out of it.

    arms dunning run [--date YYYY-MM-DD] [--no-process]   dun everything due on that day (default today)
    arms dunning process [--run ID]                      carry out pending or failed actions
    arms dunning send [--retry]                          send queued e-mails (--retry: failed ones too, now)
    arms dunning status                                  the last runs and the outbox, in numbers
    arms dunning policy-default                          make the standard policy if there is none
    arms dunning exclude CODE --reason TEXT [--until D]  keep a customer out of dunning
    arms dunning include CODE [--note TEXT]              lift the customer's exclusion
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from arms.common.errors import ArmsError
from arms.customers.models import Customer
from arms.dunning.models import DunningEmail, DunningExclusion, DunningRun, EmailStatus, RunTrigger
from arms.dunning.services import (
    dunning_run,
    emails_retry,
    exclusion_add,
    exclusion_lift,
    policy_ensure_default,
    process_actions,
)


class Command(BaseCommand):
    help = "Dunning: run the ladder for a day, process actions, send e-mails, exclude customers."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "process", "send", "status", "policy-default", "exclude",
                                               "include"])
        parser.add_argument("customer", nargs="?", help="Customer code (exclude, include).")
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="The day to dun for (run).")
        parser.add_argument("--no-process", action="store_true",
                            help="Only decide and record the actions; process them later (arms dunning process).")
        parser.add_argument("--run", type=int, default=None, help="Only this run's actions (process).")
        parser.add_argument("--retry", action="store_true", help="Resend failed e-mails now, whatever their backoff.")
        parser.add_argument("--reason", default="", help="Why the customer is excluded (exclude).")
        parser.add_argument("--until", type=date.fromisoformat, default=None, help="Last day of the exclusion.")
        parser.add_argument("--note", default="", help="Why the exclusion is lifted (include).")

    def handle(self, *args, action: str, **options):
        try:
            result = getattr(self, f"do_{action.replace('-', '_')}")(**options)
        except ArmsError as exc:
            raise CommandError(f"{exc.code}: {exc.message}" + (f" ({exc.field})" if exc.field else "")) from exc
        self.stdout.write(json.dumps(result, default=str, ensure_ascii=False))

    def do_run(self, *, date: date | None, no_process: bool, **_options) -> dict:
        run = dunning_run(as_of=date or timezone.localdate(), trigger=RunTrigger.CLI, process=False)
        result = {"run": run.pk, "as_of": run.as_of, "actions": run.actions_count, "items": run.items_count,
                  "skipped": run.skipped_count, "held": run.held_count, "excluded": run.excluded_count}
        if not no_process:
            result["processed"] = process_actions(run.pk)
            result["emails"] = emails_retry(ids=list(DunningEmail.objects.filter(action__run=run).values_list(
                "pk", flat=True)))
        return result

    def do_process(self, *, run: int | None, **_options) -> dict:
        return process_actions(run)

    def do_send(self, *, retry: bool, **_options) -> dict:
        return emails_retry(manual=retry)

    def do_status(self, **_options) -> dict:
        runs = [{"run": r.pk, "as_of": r.as_of, "status": r.status, "actions": r.actions_count}
                for r in DunningRun.objects.order_by("-pk")[:5]]
        outbox = dict(DunningEmail.objects.order_by().values_list("status").annotate(n=Count("pk"))
                      .values_list("status", "n"))
        return {"runs": runs, "emails": {s: outbox.get(s, 0) for s in EmailStatus.values}}

    def do_policy_default(self, **_options) -> dict:
        policy = policy_ensure_default()
        return {"policy": policy.code, "stages": list(policy.stages.values_list("offset_days", "code"))}

    def _customer(self, code: str | None) -> Customer:
        if not code:
            raise CommandError("name the customer by its code")
        customer = Customer.objects.filter(code=code).first()
        if customer is None:
            raise CommandError(f"no customer with the code {code}")
        return customer

    def do_exclude(self, *, customer: str | None, reason: str, until: date | None, **_options) -> dict:
        exclusion = exclusion_add(customer=self._customer(customer), reason=reason, until=until, actor=None)
        return {"exclusion": exclusion.pk, "customer": customer, "until": exclusion.until}

    def do_include(self, *, customer: str | None, note: str, **_options) -> dict:
        exclusion = DunningExclusion.objects.filter(customer=self._customer(customer), lifted_at__isnull=True).first()
        if exclusion is None:
            raise CommandError(f"customer {customer} is not excluded")
        exclusion_lift(exclusion=exclusion, actor=None, note=note)
        return {"exclusion": exclusion.pk, "lifted": True}
