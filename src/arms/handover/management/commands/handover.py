"""arms handover: hand-overs (逾期账款交接表) and key accounts.

    arms handover list [--status awaiting|completed|cancelled]   the hand-overs, newest first (JSON lines)
    arms handover show ID [--xlsx FILE] [--pdf FILE]             one hand-over with its frozen list; write the list
    arms handover route-key-accounts [--user U]                  route every key account whose collector is not a
                                                                 senior collector to the least-loaded senior one

Opening and acknowledging are done by people in the web UI or the API (each side acknowledges their own).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from arms.accounts.names import person_name
from arms.common.commands import command_error, command_user
from arms.common.errors import ArmsError
from arms.handover import selectors
from arms.handover.documents import handover_table, render_handover_pdf
from arms.handover.enums import HandoverStatus
from arms.handover.services import key_accounts_route
from arms.web.exports import xlsx_file


class Command(BaseCommand):
    help = "Hand-overs (逾期账款交接表): list, show, and route key accounts to senior collectors."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "show", "route-key-accounts"])
        parser.add_argument("handover_id", nargs="?", type=int, help="show: the hand-over's id.")
        parser.add_argument("--status", choices=HandoverStatus.values, help="list: only this status.")
        parser.add_argument("--xlsx", help="show: write the list as Excel to this file.")
        parser.add_argument("--pdf", help="show: write the list as PDF to this file.")
        parser.add_argument("--user", help="route-key-accounts: act as this user (username); the system if omitted.")

    def handle(self, *args, action: str, **options):
        try:
            if action == "show":
                self._show(options)
            elif action == "route-key-accounts":
                result = key_accounts_route(actor=command_user(options["user"]))
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                self._list(options)
        except ArmsError as error:
            raise command_error(error) from error

    def _row(self, handover) -> dict:
        return {"id": handover.pk, "reference": handover.reference, "role": handover.role,
                "from": person_name(handover.from_user), "to": person_name(handover.to_user),
                "effective_on": handover.effective_on.isoformat(), "status": handover.status,
                "customers": handover.customer_count, "open_items": handover.item_count,
                "open_tasks": handover.task_count, "sha256": handover.sha256}

    def _list(self, options) -> None:
        for handover in selectors.handover_list(user=None, status=options["status"] or "").iterator():
            self.stdout.write(json.dumps(self._row(handover), ensure_ascii=False))

    def _show(self, options) -> None:
        if options["handover_id"] is None:
            raise CommandError("show: give the hand-over's id (arms handover list)")
        handover = selectors.handover_get(user=None, handover_id=options["handover_id"])
        self.stdout.write(json.dumps({**self._row(handover), "moved": handover.moved,
                                      "list": handover.snapshot_data}, ensure_ascii=False))
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(xlsx_file(handover_table(handover)).read())
        if options["pdf"]:
            Path(options["pdf"]).write_bytes(render_handover_pdf(handover))
