"""arms warnings: evaluate the risk indicators, list the warnings, create the default indicators.

    arms warnings evaluate [--as-of 2026-11-20] [--user NAME]   evaluate every active indicator on the day
    arms warnings list [--status standing|open|acknowledged|closed|all] [--json]
    arms warnings defaults                                     create the shipped indicators that are missing

``evaluate`` runs in this process whatever the size of the book (the web page and the API hand it to the queue).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from arms.common.commands import command_date, command_error, command_user
from arms.common.errors import ArmsError
from arms.earlywarning.enums import STANDING
from arms.earlywarning.labels import figures_text, subject_label
from arms.earlywarning.models import Warning
from arms.earlywarning.services import indicators_ensure_default, warnings_evaluate


class Command(BaseCommand):
    help = "Early warning (预警): evaluate the indicators, list the warnings, create the defaults."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["evaluate", "list", "defaults"])
        parser.add_argument("--as-of", dest="as_of", help="evaluate: the day (YYYY-MM-DD); today when omitted.")
        parser.add_argument("--user", help="evaluate: who the audit trail names (a username); nobody when omitted.")
        parser.add_argument("--status", default="standing",
                            choices=["standing", "open", "acknowledged", "closed", "all"], help="list: which.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, action: str, **options):
        try:
            if action == "evaluate":
                on = command_date(options["as_of"], option="--as-of")
                actor = command_user(options["user"])
                result = warnings_evaluate(as_of=on, actor=actor)
                self.stdout.write(json.dumps({"as_of": on.isoformat(), **result}))
            elif action == "defaults":
                self.stdout.write(json.dumps({"created": indicators_ensure_default()}))
            else:
                self._list(options)
        except ArmsError as error:
            raise command_error(error) from error

    def _list(self, options) -> None:
        qs = Warning.objects.select_related("indicator", "customer").order_by("-raised_on", "-id")
        status = options["status"]
        if status == "standing":
            qs = qs.filter(status__in=list(STANDING))
        elif status != "all":
            qs = qs.filter(status=status)
        rows = [{"id": w.pk, "raised_on": w.raised_on.isoformat(), "severity": w.severity, "status": w.status,
                 "indicator": w.indicator.name, "subject": subject_label(w.indicator, w.customer_id, w.customer),
                 "figures": figures_text(w.indicator.metric, w.figures),
                 "closed_on": w.closed_on.isoformat() if w.closed_on else None}
                for w in qs.iterator(chunk_size=2000)]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['raised_on']} {row['severity']:<8} {row['status']:<12} {row['indicator']} · "
                              f"{row['subject']} · {row['figures']}")
