"""arms ledger check: verify the ledger's invariants; exit 1 and list the offending rows if any fails."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from arms.ledger.check import ledger_check


class Command(BaseCommand):
    help = "Ledger tools. `arms ledger check` verifies every invariant on the live database."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])
        parser.add_argument("--limit", type=int, default=20, help="Offending rows to show per check.")
        parser.add_argument("--json", action="store_true", help="One JSON object instead of text.")

    def handle(self, *args, action, limit, json: bool = False, **options):
        results = ledger_check(limit=limit)
        failed = [r for r in results if not r.ok]
        if json:
            payload = {"ok": not failed, "checks": [
                {"code": r.code, "ok": r.ok, "description": r.description, "rows": r.rows} for r in results
            ]}
            self.stdout.write(_dumps(payload))
        else:
            for r in results:
                mark = self.style.SUCCESS("ok  ") if r.ok else self.style.ERROR("FAIL")
                self.stdout.write(f"{mark} {r.code}: {r.description}")
                for row in r.rows:
                    self.stdout.write(f"       {row}")
        if failed:
            sys.stdout.flush()
            raise CommandError(f"{len(failed)} ledger check(s) failed: {', '.join(r.code for r in failed)}")


def _dumps(payload) -> str:
    return json.dumps(payload, default=str, ensure_ascii=False)
