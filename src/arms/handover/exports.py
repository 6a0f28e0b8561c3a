"""The hand-over and key-account lists as Excel/CSV, through the one export helper (``arms.web.exports``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.web.exports import DATE, DATETIME, INT, Column, Table

CHUNK = 2000


def handover_list_table(handovers) -> Table:
    columns = [Column(_("Reference")), Column(_("Role")), Column(_("Handed over by")), Column(_("Successor")),
               Column(_("Effective on"), DATE), Column(_("Customers"), INT), Column(_("Open items"), INT),
               Column(_("Open tasks"), INT), Column(_("Status")), Column(_("Opened at"), DATETIME),
               Column(_("Completed at"), DATETIME), Column(_("SHA-256"), width=66)]
    rows = ([h.reference, h.get_role_display(), person_name(h.from_user), person_name(h.to_user), h.effective_on,
             h.customer_count, h.item_count, h.task_count, h.get_status_display(), h.opened_at, h.completed_at,
             h.sha256] for h in handovers.iterator(chunk_size=CHUNK))
    return Table(_("Hand-overs"), columns, rows)


def key_account_table(customers) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=32), Column(_("Salesperson")),
               Column(_("Collector")), Column(_("Senior collector"))]
    rows = ([c.code, c.name, person_name(c.salesperson), person_name(c.collector),
             _("Yes") if c.collector_is_senior else _("No")] for c in customers.iterator(chunk_size=CHUNK))
    return Table(_("Key accounts"), columns, rows)
