"""arms seed: load deterministic demo data through the real services, then print what was made."""

from __future__ import annotations

import random
import time
import unicodedata
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from arms.customers.models import Customer
from arms.customers.services import company_ensure
from arms.seed.load import plan_steps, seed_digest, seed_extras, seed_load
from arms.seed.plan import make_plan
from arms.seed.summary import seed_state_counts, summary_lines

DEMO_COMPANY_NAME = "华东示范实业有限公司"


def iso_date(text: str) -> date:
    return date.fromisoformat(text)


class Command(BaseCommand):
    help = "Load deterministic demo data (customers, contracts, two years of invoices and payments)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=200, help="How many customers (default 200).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--months", type=int, default=24, help="Months of history up to --today (3 to 120).")
        parser.add_argument("--today", type=iso_date, default=None,
                            help="The demo's 'today', YYYY-MM-DD (default: today's date in China). The same "
                                 "--today, --seed, --customers and --months give the same data.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing if the database already has customers (so `make demo` can re-run).")

    def handle(self, *args, customers: int, seed: int, months: int, today: date | None, if_empty: bool, **options):
        today = today or timezone.localdate()
        if Customer.objects.exists():
            if if_empty:
                self.stdout.write(_("The database already has customers; nothing seeded."))
                return
            raise CommandError(_("The database already has customers. Seed a fresh database, or pass --if-empty."))
        if not 1 <= customers <= 10_000:
            raise CommandError(_("--customers must be between 1 and 10000."))
        if not 3 <= months <= 120:
            raise CommandError(_("--months must be between 3 and 120."))

        company = company_ensure()
        if company.name == company.code:  # letters and reports are signed with it: give the demo a real name
            company.name = DEMO_COMPANY_NAME
            company.save(update_fields=["name"])
        started = time.perf_counter()
        random.seed(seed)
        plan = make_plan(customers=customers, seed=seed, months=months, today=today)
        console = Console(stderr=True)
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TimeRemainingColumn(), console=console, disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task(_("Seeding"), total=plan_steps(plan))
            result = seed_load(plan, advance=lambda n: progress.advance(task, n))
            extras = seed_extras(today=today, seed=seed)
        elapsed = time.perf_counter() - started

        counts = result.counts
        self.stdout.write(self.style.SUCCESS(
            _("Seeded %(customers)s customers and %(invoices)s invoices in %(seconds).1f s (seed %(seed)s, "
              "%(start)s to %(today)s).")
            % {"customers": counts["customers"], "invoices": counts["invoices"], "seconds": elapsed, "seed": seed,
               "start": plan.start, "today": today}
        ))
        lines = summary_lines({**counts, **extras, **seed_state_counts()}, result.behaviours, seed_digest())
        width = max(display_width(label) for label, _value in lines) + 2
        for label, value in lines:
            self.stdout.write(f"  {label}{' ' * (width - display_width(label))}{value}")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
