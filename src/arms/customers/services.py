"""customer_create and customer_update: validated, audited, one transaction each."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.errors import Conflict, ValidationFailed, money_message
from arms.common.locks import lock_customer
from arms.common.services import idempotent
from arms.customers.enums import CustomerStatus, Industry, Region, TermBasis
from arms.customers.models import Company, Contact, Customer
from arms.customers.uscc import uscc_message
from arms.domain.money import MoneyError, check_currency
from arms.domain.uscc import UsccError, validate_uscc

EDITABLE = (
    "name", "uscc", "industry", "region", "province", "address", "salesperson", "collector",
    "payment_terms_days", "payment_terms_basis", "currency", "status", "notes",
)



def company_ensure() -> Company:
    """The company of ``ARMS_COMPANY_CODE``, made on first use (``arms setup``, the first customer or import).

    The row is the book-keeping entity itself, not a business event, so making it writes no audit event."""
    company, _created = Company.objects.get_or_create(
        code=settings.ARMS_COMPANY_CODE, defaults={"name": settings.ARMS_COMPANY_CODE}
    )
    return company

def customer_snapshot(customer: Customer) -> dict:
    data = {name: getattr(customer, name) for name in EDITABLE if name not in ("salesperson", "collector")}
    data["code"] = customer.code
    data["salesperson"] = customer.salesperson_id
    data["collector"] = customer.collector_id
    return data


def _clean(fields: dict) -> dict:
    """Validate the editable fields that are present; raise naming the first bad one."""
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            raise ValidationFailed(_("A customer needs a name."), field="name")
    if cleaned.get("uscc"):
        try:
            cleaned["uscc"] = validate_uscc(cleaned["uscc"])
        except UsccError as exc:
            raise ValidationFailed(uscc_message(exc), field="uscc") from exc
    for name, choices in (("industry", Industry), ("region", Region), ("status", CustomerStatus),
                          ("payment_terms_basis", TermBasis)):
        if name in cleaned and cleaned[name] not in choices.values:
            raise ValidationFailed(
                _("%(value)s is not a valid %(field)s; use one of %(choices)s.")
                % {"value": cleaned[name], "field": name, "choices": ", ".join(choices.values)},
                field=name,
            )
    if "payment_terms_days" in cleaned:
        days = cleaned["payment_terms_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
            raise ValidationFailed(_("Payment terms are 0 to 3650 days."), field="payment_terms_days")
    if "currency" in cleaned:
        try:
            cleaned["currency"] = check_currency(cleaned["currency"])
        except MoneyError as exc:
            raise ValidationFailed(money_message(exc), field="currency") from exc
    User = get_user_model()
    for name in ("salesperson", "collector"):
        value = cleaned.get(name)
        if isinstance(value, int):
            cleaned[name] = User.objects.filter(pk=value, is_active=True).first()
            if cleaned[name] is None:
                raise ValidationFailed(_("No active user %(id)s.") % {"id": value}, field=name)
        elif isinstance(value, str) and value:
            cleaned[name] = User.objects.filter(username=value, is_active=True).first()
            if cleaned[name] is None:
                raise ValidationFailed(_("No active user %(name)s.") % {"name": value}, field=name)
    unknown = set(cleaned) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(_("Unknown field %(field)s.") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0])
    return cleaned


@transaction.atomic
def customer_create(*, actor, code: str, name: str, company=None, idempotency_key: str | None = None,
                    **fields) -> Customer:
    company = company or company_ensure()
    payload = {"company": company.pk, "code": code, "name": name, **fields}

    def create() -> Customer:
        clean_code = (code or "").strip()
        if not clean_code:
            raise ValidationFailed(_("A customer needs a code."), field="code")
        cleaned = _clean({"name": name, **fields})
        if Customer.objects.filter(company=company, code=clean_code).exists():
            raise Conflict(_("Customer code %(code)s already exists.") % {"code": clean_code}, field="code",
                           code="duplicate_code")
        if cleaned.get("uscc") and Customer.objects.filter(company=company, uscc=cleaned["uscc"]).exists():
            raise Conflict(_("Another customer has this 统一社会信用代码."), field="uscc", code="duplicate_uscc")
        customer = Customer.objects.create(company=company, code=clean_code, **cleaned)
        audit_record(actor=actor, action="customer_created", subject=customer, after=customer_snapshot(customer))
        return customer

    customer, _created = idempotent(scope="customer.create", key=idempotency_key, payload=payload, model=Customer,
                                    create=create)
    return customer


@transaction.atomic
def customer_update(*, actor, customer: Customer, **fields) -> Customer:
    cleaned = _clean(fields)
    locked = lock_customer(customer.pk)
    if cleaned.get("uscc") and Customer.objects.filter(company=locked.company, uscc=cleaned["uscc"]).exclude(
        pk=locked.pk
    ).exists():
        raise Conflict(_("Another customer has this 统一社会信用代码."), field="uscc", code="duplicate_uscc")
    before = customer_snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(cleaned) or None)
    after = customer_snapshot(locked)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit_record(actor=actor, action="customer_updated", subject=locked,
                     before={k: before[k] for k in changed}, after=changed)
    return locked


def contact_snapshot(contact: Contact) -> dict:
    return {"name": contact.name, "role": contact.role, "phone": contact.phone, "email": contact.email,
            "is_primary": contact.is_primary}


@transaction.atomic
def contact_create(*, actor, customer: Customer, name: str, role: str = "", phone: str = "", email: str = "",
                   is_primary: bool = False, idempotency_key: str | None = None) -> Contact:
    """Add a contact person to a customer. A new primary contact makes the previous one secondary."""
    payload = {"customer": customer.pk, "name": name, "role": role, "phone": phone, "email": email,
               "primary": is_primary}

    def create() -> Contact:
        clean_name = (name or "").strip()
        if not clean_name:
            raise ValidationFailed(_("A contact needs a name."), field="name")
        clean_email = (email or "").strip()
        if clean_email:
            try:
                validate_email(clean_email)
            except ValidationError as exc:
                raise ValidationFailed(_("%(email)s is not an e-mail address.") % {"email": clean_email},
                                       field="email") from exc
        locked = lock_customer(customer.pk)
        if is_primary:
            locked.contacts.filter(is_primary=True).update(is_primary=False)
        contact = Contact.objects.create(customer=locked, name=clean_name, role=(role or "").strip(),
                                         phone=(phone or "").strip(), email=clean_email, is_primary=is_primary)
        audit_record(actor=actor, action="contact_added", subject=contact,
                     after={"customer": locked.code, **contact_snapshot(contact)})
        return contact

    contact, _created = idempotent(scope="contact.create", key=idempotency_key, payload=payload, model=Contact,
                                   create=create)
    return contact
