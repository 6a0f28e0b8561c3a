"""arms legal: list the legal cases, the debtors whose asset facts are stale, and raise the refresh tasks.

    arms legal cases [--status filed] [--open]
    arms legal assets-stale [--date 2026-11-30] [--remind]

``assets-stale --remind`` creates the refresh tasks the daily schedule creates (once per customer and stale period).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from arms.customers.services import company_ensure
from arms.domain.money import format_amount
from arms.legal.enums import CaseStatus
from arms.legal.selectors import case_list
from arms.legal.services import assets_stale_remind, legal_settings_for
from arms.legal.services.assets import stale_assets


class Command(BaseCommand):
    help = "Legal (法务): list cases; debtors whose asset facts are stale, and their refresh tasks."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["cases", "assets-stale"])
        parser.add_argument("--status", choices=list(CaseStatus.values), help="cases: only this status.")
        parser.add_argument("--open", action="store_true", help="cases: only cases not closed.")
        parser.add_argument("--date", help="assets-stale: as of this day (YYYY-MM-DD); today when omitted.")
        parser.add_argument("--remind", action="store_true", help="assets-stale: create the refresh tasks.")

    def handle(self, *args, action: str, **options):
        if action == "cases":
            superuser = get_user_model()(is_superuser=True)
            for case in case_list(user=superuser, status=options["status"] or "", open_only=options["open"]):
                self.stdout.write("\t".join([
                    case.reference, case.customer.name, case.get_kind_display(), case.forum, case.case_number or "-",
                    case.status, f"{case.currency} {format_amount(case.claim_minor, case.currency)}",
                    f"{case.filed_on or '-'}", f"recovered {format_amount(case.recovered_minor, case.currency)}"]))
            return
        try:
            as_of = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date: '{options['date']}' is not a date like 2026-11-30") from exc
        company = company_ensure()
        days = legal_settings_for(company).asset_refresh_days
        for customer in stale_assets(as_of=as_of, refresh_days=days):
            self.stdout.write(f"{customer.code}\t{customer.name}\t{customer.newest_fact or '-'}")
        if options["remind"]:
            made = assets_stale_remind(as_of=as_of, company=company)
            self.stdout.write(f"{made} refresh task(s) created")
