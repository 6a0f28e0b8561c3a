"""Demo data of the customer portal: links for the primary contacts of a few customers with open invoices, and what
two of those contacts did in the portal (a promise to pay, a remittance advice), so the collector sees portal
actions on the case pages and in the audit trail. A link's token is not kept anywhere, so to open the portal in the
demo issue a fresh link on a customer page (docs/portal.md)."""

from __future__ import annotations

from datetime import date, timedelta

from arms.audit.services import ExternalActor
from arms.cases.services.promises import promise_record
from arms.customers.models import Contact, PortalAccess
from arms.customers.portal_access import portal_access_issue
from arms.ledger.models import Invoice
from arms.portal.services import portal_remittance_upload, portal_text

DEMO_LINKS = 5


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    if not PortalAccess.objects.exists():
        customer_ids = list(Invoice.objects.filter(amount_open_minor__gt=0).order_by("customer_id")
                            .values_list("customer_id", flat=True).distinct()[:DEMO_LINKS])
        contacts = [Contact.objects.filter(customer_id=pk).order_by("-is_primary", "pk").first()
                    for pk in customer_ids]
        accesses = [portal_access_issue(contact=c, actor=None, purpose="演示")[0] for c in contacts if c]
        for n, access in enumerate(accesses[:2]):
            actor = ExternalActor(kind="portal", name=access.contact.name, address="203.0.113.10")
            if n == 0:
                invoice = Invoice.objects.filter(customer=access.customer, amount_open_minor__gt=0).order_by(
                    "due_date").first()
                open_promise = invoice.promises_to_pay.filter(status="open").exists() if invoice else True
                if invoice and not open_promise:
                    promise_record(customer=access.customer, amount_minor=invoice.amount_open_minor,
                                   promised_on=today + timedelta(days=10), invoices=[invoice], actor=actor,
                                   contact_name=access.contact.name, note=portal_text(access, "月底前付清"))
            else:
                portal_remittance_upload(access=access, actor=actor, file_name="付款回单.pdf",
                                         content=b"%PDF-1.4\n% demo remittance advice\n", note="已于昨日付款")
    return {"portal links": PortalAccess.objects.count()}
