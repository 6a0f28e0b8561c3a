"""arms collection_plans: collection plans (收款计划) on the command line.

    arms collection_plans list [--status S] [--owner U] [--user U]      the plans, newest first (JSON lines)
    arms collection_plans variance [--month YYYY-MM] [--user U]         the variance per owner of a month
    arms collection_plans behind [--date D]                             tell owners of lines that fell behind

``--user`` reads as that user (a salesperson sees only their own customers' plans); everything when omitted.
``behind`` is what the daily task runs at 07:00.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from arms.collectionplans import selectors, services
from arms.collectionplans.enums import PlanStatus
from arms.common.commands import command_date, command_error, command_user
from arms.common.errors import ArmsError
from arms.domain.money import format_amount


class Command(BaseCommand):
    help = "Collection plans (收款计划): list, the variance per owner of a month, and the behind notices."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "variance", "behind"])
        parser.add_argument("--status", choices=PlanStatus.values, help="list: only plans in this status.")
        parser.add_argument("--owner", help="list, variance: only this owner's plans (username).")
        parser.add_argument("--user", help="Read as this user (username); everything when omitted.")
        parser.add_argument("--month", help="variance: the month, YYYY-MM (this month when omitted).")
        parser.add_argument("--date", help="behind: the day, YYYY-MM-DD (today when omitted).")
        parser.add_argument("--limit", type=int, default=100, help="list: rows printed.")

    def handle(self, *args, action: str, **options):
        try:
            if action == "variance":
                self._variance(options)
            elif action == "behind":
                told = services.collection_plans_notify_behind(today=command_date(options["date"]))
                self.stdout.write(json.dumps({"lines_told": told}))
            else:
                self._list(options)
        except ArmsError as error:
            raise command_error(error) from error

    def _list(self, options) -> None:
        owner = command_user(options["owner"], option="--owner")
        plans = selectors.collection_plan_list(user=command_user(options["user"]), status=options["status"] or "",
                                               owner_id=owner.pk if owner else None)
        for plan in plans[:max(options["limit"], 0)]:
            self.stdout.write(json.dumps({
                "id": plan.pk, "number": plan.number, "customer": plan.customer.code,
                "contract": plan.contract.number if plan.contract else None, "owner": plan.owner.get_username(),
                "status": plan.status, "currency": plan.currency, "lines": plan.line_count,
                "total": format_amount(plan.total_minor, plan.currency)}, ensure_ascii=False))

    def _variance(self, options) -> None:
        month = timezone.localdate().replace(day=1)
        if options["month"]:
            try:
                year, number = (int(part) for part in options["month"].split("-"))
                month = month.replace(year=year, month=number)
            except ValueError as exc:
                raise CommandError("--month YYYY-MM") from exc
        owner = command_user(options["owner"], option="--owner")
        rows = selectors.variance_by_owner(user=command_user(options["user"]), month=month,
                                           today=timezone.localdate(), owner_id=owner.pk if owner else None)
        for row in rows:
            self.stdout.write(json.dumps({
                "month": f"{month:%Y-%m}", "owner": row.owner_name, "currency": row.currency, "plans": row.plans,
                "planned": format_amount(row.planned_minor, row.currency),
                "received": format_amount(row.received_minor, row.currency),
                "variance": format_amount(row.variance_minor, row.currency), "achieved_bp": row.achieved_bp,
                "plans_behind": row.plans_behind}, ensure_ascii=False))



