"""What a contact does in the portal that no other app's service already does: hand in a remittance advice.

Disputes, promises to pay, balance confirmations and receipt confirmations go to their own apps' services with
the contact as the actor (``arms.portal.session.portal_actor``); this module only adds the upload.
"""

from __future__ import annotations

from pathlib import PurePath

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import ExternalActor, audit_record
from arms.cases.enums import ActivityKind, Level, Source, TaskKind
from arms.cases.models import Activity
from arms.cases.services.activities import activity_record
from arms.cases.services.tasks import task_create_or_get
from arms.common.bounds import text_check
from arms.common.errors import ValidationFailed
from arms.customers.models import PortalAccess
from arms.domain.workdays import add_working_days
from arms.ledger.models import Invoice, InvoiceDelivery
from arms.ledger.services.deliveries import invoice_receipt_confirm

#: what a remittance advice may be: a scan or a photo, a PDF, or the customer's payment list
REMITTANCE_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".xls", ".csv")
#: working days the collector has to match the advice to the money
REMITTANCE_TASK_DAYS = 2


def _contact_label(access: PortalAccess) -> str:
    return _("Customer portal, %(contact)s") % {"contact": access.contact.name}


@transaction.atomic
def portal_remittance_upload(*, access: PortalAccess, actor: ExternalActor, file_name: str, content: bytes,
                             note: str = "") -> Activity:
    """Keep the contact's remittance advice on the customer's history (the file stored by its SHA-256) and give
    the collector a follow-up task to apply the money it announces. Audited as ``portal_remittance_uploaded``."""
    name = PurePath((file_name or "").replace("\\", "/")).name.strip()
    if not name.lower().endswith(REMITTANCE_EXTENSIONS):
        raise ValidationFailed(_("A remittance advice is a PDF, a photo or a scan, or an Excel or CSV list."),
                               field="file")
    text_check(note, field="note")
    customer = access.customer
    activity = activity_record(
        customer=customer, kind=ActivityKind.NOTE, direction="in", outcome="paid", actor=actor,
        note=_("%(who)s: remittance advice %(name)s. %(note)s") % {
            "who": _contact_label(access), "name": name, "note": note or ""},
        source=Source.PORTAL, attachment_name=name, attachment_bytes=content)
    task, _created = task_create_or_get(
        customer=customer, kind=TaskKind.FOLLOW_UP, level=Level.FINANCE, actor=actor,
        title=(_("Apply the payment of the remittance advice %(name)s") % {"name": name})[:200],
        due_on=add_working_days(timezone.localdate(), REMITTANCE_TASK_DAYS), source=Source.PORTAL,
        source_ref=f"remittance:{activity.pk}")
    audit_record(actor=actor, action="portal_remittance_uploaded", subject=activity,
                 after={"customer": customer.code, "contact": access.contact_id, "file": name,
                        "sha256": activity.attachment_sha256, "task": task.pk})
    return activity


def remittances_for(access: PortalAccess) -> QuerySet[Activity]:
    """The remittance advices handed in through the portal for the access's customer, newest first."""
    return (Activity.objects.filter(customer=access.customer, source=Source.PORTAL, attachment__isnull=False)
            .order_by("-occurred_at", "-pk"))


def portal_text(access: PortalAccess, text: str) -> str:
    """``text`` as recorded for staff, prefixed with who wrote it in the portal."""
    return f"{_contact_label(access)}: {text}".strip()



@transaction.atomic
def portal_receipt_confirm(*, access: PortalAccess, actor: ExternalActor, invoice: Invoice) -> InvoiceDelivery:
    """The contact confirms receiving ``invoice`` (the ledger's ``invoice_receipt_confirm``, channel ``portal``) and
    the confirmation appears on the customer's collection history, as every portal action does."""
    receipt = invoice_receipt_confirm(invoice=invoice, actor=actor, channel="portal", contact=access.contact)
    activity_record(
        customer=access.customer, kind=ActivityKind.NOTE, direction="in", outcome="delivered", actor=actor,
        note=portal_text(access, _("receipt of invoice %(number)s confirmed.") % {"number": invoice.number}),
        invoices=[invoice], source=Source.PORTAL, source_ref=f"receipt:{receipt.pk}")
    return receipt
