"""arms credit rate --all | --customer CODE [--date YYYY-MM-DD] [--due]: rate customers and propose terms."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from arms.common.errors import ArmsError
from arms.credit.enums import RatingTrigger
from arms.credit.models import Rating
from arms.credit.services import customers_due_for_review, ratings_run
from arms.customers.enums import CustomerStatus
from arms.customers.models import Customer


class Command(BaseCommand):
    help = ("Credit tools. `arms credit rate --all` rates every active customer; `--customer CODE` one; `--due` "
            "those due for review. `--date` rates as of a day (default today). Each rating makes a proposal that a "
            "credit manager accepts in the review queue.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rate"])
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--all", dest="everyone", action="store_true", help="Every active customer.")
        target.add_argument("--customer", metavar="CODE", help="One customer, by code.")
        target.add_argument("--due", action="store_true", help="Customers due for review (what the daily task does).")
        parser.add_argument("--date", dest="as_of", type=date.fromisoformat, default=None,
                            help="Rate as of YYYY-MM-DD.")
        parser.add_argument("--reason", default="", help="Why (kept with each rating).")

    def handle(self, *args, action, everyone: bool, customer, due: bool, as_of, reason: str, **options):
        as_of = as_of or timezone.localdate()
        if customer:
            targets = Customer.objects.filter(code=customer)
            if not targets.exists():
                raise CommandError(f"no customer with code {customer!r}")
        elif due:
            targets = customers_due_for_review(as_of=as_of)
        else:
            targets = Customer.objects.filter(status=CustomerStatus.ACTIVE).order_by("pk")
        trigger = RatingTrigger.SCHEDULED if due else RatingTrigger.ON_DEMAND
        try:
            made = ratings_run(customers=targets.iterator(chunk_size=500), as_of=as_of, actor=None,
                               reason=reason or "arms credit rate", trigger=trigger)
        except ArmsError as exc:
            raise CommandError(exc.message) from exc
        grades = dict(Rating.objects.filter(pk__in=made).values_list("grade").annotate(n=Count("id")))
        spread = ", ".join(f"{g}: {grades.get(g, 0)}" for g in "ABCD")
        self.stdout.write(self.style.SUCCESS(f"rated {len(made)} customer(s) as of {as_of} ({spread})"))
        if customer and made:
            rating = Rating.objects.get(pk=made[0])
            self.stdout.write(f"{customer}: score {rating.score}, grade {rating.grade}"
                              + (f" (overrides: {', '.join(rating.overrides)})" if rating.overrides else "")
                              + (f"; missing: {', '.join(rating.missing)}" if rating.missing else ""))
