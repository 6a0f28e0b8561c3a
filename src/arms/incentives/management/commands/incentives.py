"""arms incentives: incentive schemes (奖惩) and their payout sheets.

    arms incentives list                                   the schemes, newest month first
    arms incentives create --period 2026-11 [--pool 10000.00] [--user U]
                                                           a draft scheme (every salesperson and collector)
    arms incentives compute --period 2026-11 [--user U]    compute the month's payout sheet in this process
    arms incentives show --period 2026-11                  the month's payout sheet, a line per person (JSON)

``compute`` runs in this process whatever the size of the book (the web UI and the API hand large books to the
queue); approving stays with a second finance manager on the page or the API.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from arms.common.commands import command_error, command_user
from arms.common.errors import ArmsError, money_message
from arms.customers.services import company_ensure
from arms.domain.money import MoneyError, format_amount, parse_amount
from arms.incentives import selectors, services
from arms.incentives.models import IncentiveScheme


def _period(text: str | None) -> date:
    if not text:
        raise CommandError("--period YYYY-MM is required")
    try:
        return date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        raise CommandError(f"--period: '{text[:20]}' is not a month like 2026-11") from None


class Command(BaseCommand):
    help = "Incentive schemes (奖惩): list, create, compute and show a month's payout sheet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["list", "create", "compute", "show"])
        parser.add_argument("--period", help="The month, YYYY-MM.")
        parser.add_argument("--pool", help="create: the base bonus pool in CNY, e.g. 10000.00.")
        parser.add_argument("--user", help="Act as this user (username); the system when omitted.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(options)
        except ArmsError as error:
            raise command_error(error) from error

    def _scheme(self, options: dict[str, Any]) -> IncentiveScheme:
        period = _period(options["period"])
        scheme = IncentiveScheme.objects.filter(company=company_ensure(), period=period).first()
        if scheme is None:
            raise CommandError(f"no scheme for {period:%Y-%m} (arms incentives create --period {period:%Y-%m})")
        return scheme

    def _list(self, options: dict[str, Any]) -> None:
        for scheme in selectors.scheme_list(company=company_ensure()):
            self.stdout.write(json.dumps({"id": scheme.pk, "period": f"{scheme.period:%Y-%m}",
                                          "status": scheme.status, "pool": format_amount(scheme.pool_minor),
                                          "members": scheme.member_count}, ensure_ascii=False))

    def _create(self, options: dict[str, Any]) -> None:
        try:
            terms = {"base_pool_minor": parse_amount(options["pool"], "CNY")} if options["pool"] else {}
        except MoneyError as error:
            raise CommandError(f"--pool: {money_message(error)}") from None
        scheme = services.scheme_create(actor=command_user(options["user"]), company=company_ensure(),
                                        period=_period(options["period"]), terms=terms)
        self.stdout.write(json.dumps({"id": scheme.pk, "period": f"{scheme.period:%Y-%m}"}))

    def _compute(self, options: dict[str, Any]) -> None:
        scheme = services.scheme_compute(actor=command_user(options["user"]), scheme=self._scheme(options))
        self.stdout.write(json.dumps({"id": scheme.pk, "period": f"{scheme.period:%Y-%m}",
                                      "pool": format_amount(scheme.pool_minor), "pool_step_bp": scheme.pool_step_bp,
                                      "lines": scheme.lines.count()}, ensure_ascii=False))

    def _show(self, options: dict[str, Any]) -> None:
        scheme = self._scheme(options)
        for line in selectors.lines_of(scheme):
            self.stdout.write(json.dumps({
                "user": line.user.get_username(), "role": line.role,
                "collections": format_amount(line.collections_minor), "recovery_bp": line.recovery_bp,
                "dunning_bp": line.dunning_bp, "rating_bp": line.rating_bp,
                "amounts": {k: format_amount(v) for k, v in line.amounts.items()},
                "deduction": format_amount(line.deduction_minor), "payout": format_amount(line.total_minor),
            }, ensure_ascii=False))
