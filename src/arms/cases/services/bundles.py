"""The evidence bundle for a hand-off to a collection agency or a lawyer: one ZIP with a PDF index (证据清单).

Contents: ``00-index.pdf`` (customer, contracts, open invoices, statement, activity log, list of files with
SHA-256), ``contracts/`` (the contracts' attached scans), ``invoices.csv``, ``statement.csv``,
``activities.csv``, ``attachments/`` (every activity's file: sent letters, photos), the sections the apps above
add through the ``cases.bundle_sections`` hook (each claim's limitation chain), and ``manifest.json``
naming each file with its SHA-256, so the receiver can show nothing was changed. Making the bundle records a
``handoff`` activity that names the ZIP's SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.audit.services import audit_record
from arms.cases.enums import ActivityKind, outcome_label, source_label
from arms.cases.models import Activity, Attachment
from arms.cases.services.activities import activity_record
from arms.common import hooks
from arms.common.errors import ValidationFailed
from arms.common.pdf import render_pdf
from arms.domain.money import to_decimal
from arms.ledger.enums import entry_kind_label, statement_description
from arms.ledger.models import Invoice
from arms.ledger.selectors import customer_balances, customer_statement
from arms.web.exports import AMOUNT, DATE, Column, Table, csv_lines

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from arms.common.typing import Actor
    from arms.customers.models import Customer

_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Bundle:
    filename: str
    content: bytes
    sha256: str
    activity: Activity
    files: list[tuple[str, int, str]]  # (path in the ZIP, size, sha256)


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._") or "file"


def _csv_bytes(columns: list[Column], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, formula-like text escaped (``arms.web.exports``): the receiver opens it
    in Excel, and a customer's note must not become a live formula there."""
    return b"".join(csv_lines(Table("", columns, rows)))


def bundle_recipient_check(recipient: str) -> str:
    """The agency or lawyer a bundle is for, stripped; refused when empty or too long."""
    recipient = (recipient or "").strip()
    if not recipient:
        raise ValidationFailed(_("Name the agency or lawyer the case is handed to."), field="recipient")
    if len(recipient) > 200:
        raise ValidationFailed(_("At most 200 characters."), field="recipient")
    return recipient


def evidence_bundle(*, customer: Customer, actor: Actor, recipient: str, note: str = "", as_of: date | None = None,
                    statement_from: date | None = None) -> Bundle:
    """Build the ZIP and record the hand-off (in one transaction: no activity without its bundle)."""
    recipient = bundle_recipient_check(recipient)
    day = as_of or timezone.localdate()
    with transaction.atomic(durable=True):
        return _build(customer=customer, actor=actor, recipient=recipient, note=note, day=day,
                      statement_from=statement_from)


def _build(*, customer: Customer, actor: Actor, recipient: str, note: str, day: date,
           statement_from: date | None) -> Bundle:
    contracts = list(customer.contracts.prefetch_related("attachments").order_by("signed_date", "number"))
    invoices = list(Invoice.objects.filter(customer=customer).select_related("contract").order_by("issue_date", "id"))
    open_invoices = [inv for inv in invoices if inv.amount_open_minor > 0]
    first = statement_from or (invoices[0].issue_date if invoices else day)
    statements = customer_statement(customer_id=customer.pk, date_from=min(first, day), date_to=day)
    activities = list(Activity.objects.filter(customer=customer).select_related("actor", "attachment")
                      .defer("attachment__content").prefetch_related("invoices").order_by("occurred_at", "id"))
    files: list[tuple[str, bytes]] = []
    for contract in contracts:
        for attachment in contract.attachments.all():
            try:
                with attachment.file.open("rb") as handle:
                    content = handle.read()
            except OSError:
                continue  # the scan is missing on disk; the index still lists the contract
            files.append((f"contracts/{_safe(contract.number)}/{_safe(attachment.file.name.rsplit('/', 1)[-1])}",
                          content))
    attachment_ids = {a.attachment_id for a in activities if a.attachment_id}
    contents = dict(Attachment.objects.filter(pk__in=attachment_ids).values_list("pk", "content"))
    for activity in activities:
        if activity.attachment_id:
            files.append((f"attachments/{activity.pk:06d}-{_safe(activity.attachment_name)}",
                          bytes(contents[activity.attachment_id])))
    files.append(("invoices.csv", _csv_bytes(
        [Column(_("Invoice")), Column(_("VAT invoice number")), Column(_("Contract")), Column(_("Issue date"), DATE),
         Column(_("Due date"), DATE), Column(_("Currency")), Column(_("Gross amount"), AMOUNT),
         Column(_("Open amount"), AMOUNT)],
        [[inv.number, inv.vat_invoice_number, inv.contract.number if inv.contract else "", inv.issue_date,
          inv.due_date, inv.currency, to_decimal(inv.gross_minor, inv.currency),
          to_decimal(inv.amount_open_minor, inv.currency)] for inv in invoices])))
    statement_rows = []
    for statement in statements:
        cur = statement.currency
        statement_rows.append([cur, statement.date_from, _("Opening balance"), "", "", None, None,
                               to_decimal(statement.opening_minor, cur)])
        statement_rows += [[cur, line.date, entry_kind_label(line.kind), line.number,
                            statement_description(line.description),
                            to_decimal(line.debit_minor, cur) if line.debit_minor else None,
                            to_decimal(line.credit_minor, cur) if line.credit_minor else None,
                            to_decimal(line.balance_minor, cur)] for line in statement.lines]
        statement_rows.append([cur, statement.date_to, _("Closing balance"), "", "", None, None,
                               to_decimal(statement.closing_minor, cur)])
    files.append(("statement.csv", _csv_bytes(
        [Column(_("Currency")), Column(_("Date"), DATE), Column(_("Type")), Column(_("Number")),
         Column(_("Description")), Column(_("Debit"), AMOUNT), Column(_("Credit"), AMOUNT),
         Column(_("Balance"), AMOUNT)], statement_rows)))
    files.append(("activities.csv", _csv_bytes(
        [Column(_("Time")), Column(_("Kind")), Column(_("Direction")), Column(_("Outcome")), Column(_("By")),
         Column(_("Invoices")), Column(_("Note")), Column(_("Attachment")), Column(_("SHA-256")), Column(_("Source"))],
        [[timezone.localtime(a.occurred_at).strftime("%Y-%m-%d %H:%M"), a.get_kind_display(),
            a.get_direction_display(), outcome_label(a.outcome), person_name(a.actor) or _("System"),
            " ".join(inv.number for inv in a.invoices.all()), a.note, a.attachment_name,
            a.attachment.sha256 if a.attachment_id else "", source_label(a.source) if a.source else ""]
         for a in activities])))
    # what the apps above cases add (limitation: each claim's limitation chain and its evidence files)
    sections = [section for added in hooks.run(hooks.BUNDLE_SECTIONS, customer=customer, as_of=day)
                for section in added]
    for section in sections:
        files.append((f"{_safe(section.name)}.csv", _csv_bytes([Column(title) for title in section.columns],
                                                                section.rows)))
        files.extend(section.files)
    listed = [(path, len(content), hashlib.sha256(content).hexdigest()) for path, content in files]
    index = render_pdf("cases/bundle_index.html", {
        "customer": customer, "recipient": recipient, "note": note, "as_of": day, "actor": actor,
        "made_at": timezone.localtime(), "contracts": contracts, "open_invoices": open_invoices,
        "invoice_count": len(invoices), "balances": customer_balances(customer.pk), "statements": statements,
        "activities": activities, "files": listed, "sections": sections,
    })
    files.insert(0, ("00-index.pdf", index))
    listed.insert(0, ("00-index.pdf", len(index), hashlib.sha256(index).hexdigest()))
    manifest = json.dumps({
        "customer": {"code": customer.code, "name": customer.name, "uscc": customer.uscc},
        "recipient": recipient, "as_of": day.isoformat(),
        "files": [{"path": p, "size": s, "sha256": h} for p, s, h in listed],
    }, ensure_ascii=False, indent=2).encode("utf-8")
    files.append(("manifest.json", manifest))
    listed.append(("manifest.json", len(manifest), hashlib.sha256(manifest).hexdigest()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, content in files:
            archive.writestr(path, content)
    content = buffer.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    filename = f"evidence-{_safe(customer.code)}-{day:%Y%m%d}.zip"
    activity = activity_record(
        customer=customer, kind=ActivityKind.HANDOFF, outcome="handed_off", actor=actor,
        invoices=open_invoices,
        note=_("Case handed to %(recipient)s with evidence bundle %(file)s (SHA-256 %(sha)s, %(n)s files). %(note)s")
        % {"recipient": recipient, "file": filename, "sha": digest, "n": len(listed), "note": note},
    )
    audit_record(actor=actor, action="evidence_bundle_made", subject=activity,
                 after={"customer": customer.pk, "recipient": recipient, "file": filename, "sha256": digest,
                        "files": [[p, s, h] for p, s, h in listed],
                        "open_minor": {cur: v["open"] for cur, v in customer_balances(customer.pk).items()}})
    return Bundle(filename, content, digest, activity, listed)
