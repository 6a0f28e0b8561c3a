"""arms confirmations: the monthly run, the reminders, and the letters.

    arms confirmations run --period 2026-10 [--send] [--user NAME]   prepare (and e-mail) October's letters
    arms confirmations remind [--date 2026-11-20]                    reminders, then collector tasks, each once
    arms confirmations list [--period 2026-10] [--status disputed]

``run`` is idempotent: the same period again adds only customers not yet in it. ``run`` prepares the letters in
this process, whatever their number (the web UI and the API hand big runs to the queue).
"""

from __future__ import annotations

import json
import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from arms.common.commands import command_date, command_error, command_user
from arms.common.errors import ArmsError
from arms.confirmations.enums import ConfirmationStatus
from arms.confirmations.models import Confirmation
from arms.confirmations.services import confirmations_remind, run_send
from arms.confirmations.services.common import period_end_of
from arms.confirmations.services.runs import confirmation_run_start
from arms.customers.services import company_ensure
from arms.domain.money import format_amount


def _period(text: str | None) -> date | None:
    if not text:
        return None
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise CommandError(f"--period: '{text}' is not a month like 2026-10")
    try:
        return period_end_of(text)
    except ArmsError as error:
        raise CommandError(f"--period: {error.message}") from None



class Command(BaseCommand):
    help = "Balance confirmations (对账确认函): run, remind, list."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "remind", "list"])
        parser.add_argument("--period", help="run / list: the month, YYYY-MM.")
        parser.add_argument("--send", action="store_true", help="run: also e-mail every prepared letter.")
        parser.add_argument("--user", help="run: act as this user (username); the system when omitted.")
        parser.add_argument("--date", help="remind: as of this day (YYYY-MM-DD); today when omitted.")
        parser.add_argument("--status", choices=list(ConfirmationStatus.values), help="list: only this status.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, action: str, **options):
        try:
            if action == "run":
                self._run(options)
            elif action == "remind":
                on = command_date(options["date"])
                counts = confirmations_remind(as_of=on)
                self.stdout.write(json.dumps({"date": on.isoformat(), **counts}))
            else:
                self._list(options)
        except ArmsError as error:
            raise command_error(error) from error

    def _actor(self, username: str | None):
        return command_user(username)

    def _run(self, options) -> None:
        period_end = _period(options["period"])
        if period_end is None:
            raise CommandError("--period YYYY-MM is required")
        actor = self._actor(options["user"])
        run, created = confirmation_run_start(company=company_ensure(), period_end=period_end, actor=actor,
                                              inline=True)
        result = {"run": run.pk, "period_end": run.period_end.isoformat(), "created": created,
                  "customers": run.customer_count}
        if options["send"]:
            result.update(run_send(run=run, actor=actor))
        self.stdout.write(json.dumps(result))

    def _list(self, options) -> None:
        qs = Confirmation.objects.select_related("customer").order_by("-period_end", "customer__code")
        period_end = _period(options["period"])
        if period_end:
            qs = qs.filter(period_end=period_end)
        if options["status"]:
            qs = qs.filter(status=options["status"])
        rows = [{"id": c.pk, "customer": c.customer.code, "period_end": c.period_end.isoformat(),
                 "status": c.status, "currency": c.currency, "closing": format_amount(c.closing_minor, c.currency),
                 "sha256": c.sha256} for c in qs.iterator(chunk_size=2000)]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['id']:>6} {row['period_end']} {row['customer']:<12} {row['status']:<10} "
                              f"{row['currency']} {row['closing']:>18}  {row['sha256'][:12]}")
