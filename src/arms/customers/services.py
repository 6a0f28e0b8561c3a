"""customer_create and customer_update (typed keyword-only fields, checked in one place: ``CustomerFields.clean``)
and contact_create: validated, audited, one transaction each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.accounts.roles import is_senior_collector
from arms.audit.services import audit_record
from arms.common.bounds import text_check
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.inputs import UNSET, ServiceInput
from arms.common.locks import lock_customer
from arms.common.services import idempotent
from arms.customers.enums import CustomerStatus, Industry, Region, TermBasis
from arms.customers.models import Company, Contact, Customer, CustomerAssignment
from arms.customers.selectors import customers_visible_to
from arms.customers.uscc import uscc_message
from arms.domain.uscc import UsccError, validate_uscc

if TYPE_CHECKING:
    from arms.common.typing import Actor, JsonDict

#: a salesperson or collector: a user, a user id, a username, or None for nobody
UserRef = Any


@dataclass(frozen=True, kw_only=True)
class CustomerFields(ServiceInput):
    """The editable fields of a customer as the services take them. ``clean()`` is the one place they are checked
    (the services, the admin form and through them the API, imports and the seed all go through it)."""

    name: str = UNSET
    uscc: str = UNSET
    industry: str = UNSET
    region: str = UNSET
    province: str = UNSET
    address: str = UNSET
    salesperson: UserRef = UNSET
    collector: UserRef = UNSET
    payment_terms_days: int = UNSET
    payment_terms_basis: str = UNSET
    currency: str = UNSET
    status: str = UNSET
    notes: str = UNSET
    key_account: bool = UNSET

    def clean(self) -> JsonDict:
        """The given fields, normalised (USCC upper-case, users looked up); raises naming the first bad one."""
        cleaned = self.given()
        if "name" in cleaned:
            cleaned["name"] = (cleaned["name"] or "").strip()
            if not cleaned["name"]:
                raise ValidationFailed(_("A customer needs a name."), field="name")
        text_check(cleaned.get("notes"), field="notes")
        if cleaned.get("uscc"):
            try:
                cleaned["uscc"] = validate_uscc(cleaned["uscc"])
            except UsccError as exc:
                raise ValidationFailed(uscc_message(exc), field="uscc") from exc
        self.check_choices(cleaned, {"industry": Industry, "region": Region, "status": CustomerStatus,
                                     "payment_terms_basis": TermBasis})
        if "payment_terms_days" in cleaned:
            days = cleaned["payment_terms_days"]
            if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
                raise ValidationFailed(_("Payment terms are 0 to 3650 days."), field="payment_terms_days")
        self.clean_currency(cleaned)
        if "key_account" in cleaned and not isinstance(cleaned["key_account"], bool):
            raise ValidationFailed(_("Key account is yes or no."), field="key_account")
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
        return cleaned


EDITABLE = CustomerFields.names()
#: the fields that decide who sees and works a customer; changing them needs ASSIGN_OWNER
OWNER_FIELDS = ("salesperson", "collector")
ASSIGN_OWNER = "customers.assign_owner"
#: flagging a customer as a key account (重点客户): credit and finance managers
SET_KEY_ACCOUNT = "customers.set_key_account"


def key_account_collector_check(customer: Customer, *, field: str = "collector") -> None:
    """Refuse a key account whose collector is not a senior collector (``arms.accounts.roles.is_senior_collector``)
    — the rule every change of a key account's collector goes through (an edit here, a hand-over)."""
    if customer.key_account and customer.collector is not None and not is_senior_collector(customer.collector):
        raise ValidationFailed(
            _("%(code)s is a key account: its collector must be a senior collector, and %(name)s is not.")
            % {"code": customer.code, "name": person_name(customer.collector)},
            field=field, code=ErrorCode.KEY_ACCOUNT_NEEDS_SENIOR)



def company_ensure() -> Company:
    """The company of ``ARMS_COMPANY_CODE``, made on first use (``arms setup``, the first customer or import).

    The row is the book-keeping entity itself, not a business event, so making it writes no audit event."""
    company, _created = Company.objects.get_or_create(
        code=settings.ARMS_COMPANY_CODE, defaults={"name": settings.ARMS_COMPANY_CODE}
    )
    return company

def customer_snapshot(customer: Customer) -> JsonDict:
    data = {name: getattr(customer, name) for name in EDITABLE if name not in ("salesperson", "collector")}
    data["code"] = customer.code
    data["salesperson"] = customer.salesperson_id
    data["collector"] = customer.collector_id
    return data


def duplicate_uscc(*, actor: Actor, existing: Customer) -> Conflict:
    """The refusal of a 统一社会信用代码 that ``existing`` already has, telling only what ``actor`` may know.

    Whoever may see ``existing`` is told which customer it is. Anyone else (a salesperson, for another
    salesperson's customer) learns only that a customer with the code exists and whom to ask — its
    salesperson by name, or the finance team — never its name, code or anything else about it.
    """
    if actor is None or customers_visible_to(actor).filter(pk=existing.pk).exists():
        message = _("Customer %(code)s %(name)s already has this 统一社会信用代码.") % {
            "code": existing.code, "name": existing.name}
    elif existing.salesperson_id:
        message = _("A customer with this 统一社会信用代码 already exists and is looked after by %(owner)s: ask them "
                    "or the finance team about it.") % {"owner": person_name(existing.salesperson)}
    else:
        message = _("A customer with this 统一社会信用代码 already exists: ask the finance team about it.")
    return Conflict(message, field="uscc", code=ErrorCode.DUPLICATE_USCC)


@transaction.atomic
def customer_create(*, actor: Actor, code: str, name: str, company: Company | None = None,
                    idempotency_key: str | None = None,
                    uscc: str = UNSET, industry: str = UNSET, region: str = UNSET, province: str = UNSET,
                    address: str = UNSET, salesperson: UserRef = UNSET, collector: UserRef = UNSET,
                    payment_terms_days: int = UNSET, payment_terms_basis: str = UNSET, currency: str = UNSET,
                    status: str = UNSET, notes: str = UNSET, key_account: bool = UNSET) -> Customer:
    """A new customer; a field not given takes the model's default."""
    company = company or company_ensure()
    given = CustomerFields(
        name=name, uscc=uscc, industry=industry, region=region, province=province, address=address,
        salesperson=salesperson, collector=collector, payment_terms_days=payment_terms_days,
        payment_terms_basis=payment_terms_basis, currency=currency, status=status, notes=notes,
        key_account=key_account)
    payload = {"company": company.pk, "code": code, **given.given()}

    def create() -> Customer:
        clean_code = (code or "").strip()
        if not clean_code:
            raise ValidationFailed(_("A customer needs a code."), field="code")
        cleaned = given.clean()
        if Customer.objects.filter(company=company, code=clean_code).exists():
            raise Conflict(_("Customer code %(code)s already exists.") % {"code": clean_code}, field="code",
                           code=ErrorCode.DUPLICATE_CODE)
        existing = cleaned.get("uscc") and Customer.objects.filter(company=company, uscc=cleaned["uscc"]).first()
        if existing:
            raise duplicate_uscc(actor=actor, existing=existing)
        if cleaned.get("key_account") and actor is not None and not actor.has_perm(SET_KEY_ACCOUNT):
            raise Forbidden(_("Only a credit or finance manager may flag a key account."), field="key_account")
        customer = Customer(company=company, code=clean_code, **cleaned)
        key_account_collector_check(customer)
        customer.save()
        assignments_record(customer, roles=OWNER_FIELDS, source="created", new=True)
        audit_record(actor=actor, action="customer_created", subject=customer, after=customer_snapshot(customer))
        return customer

    customer, _created = idempotent(scope="customer.create", key=idempotency_key, payload=payload, model=Customer,
                                    create=create)
    return customer


@transaction.atomic
def customer_update(*, actor: Actor, customer: Customer, name: str = UNSET, uscc: str = UNSET, industry: str = UNSET,
                    region: str = UNSET, province: str = UNSET, address: str = UNSET, salesperson: UserRef = UNSET,
                    collector: UserRef = UNSET, payment_terms_days: int = UNSET, payment_terms_basis: str = UNSET,
                    currency: str = UNSET, status: str = UNSET, notes: str = UNSET, key_account: bool = UNSET,
                    source: str = "edit") -> Customer:
    """Change the fields given (the others stay as they are); audited with what changed. ``source`` names what
    changed the salesperson or collector in the assignment history (an edit, a hand-over's reference)."""
    cleaned = CustomerFields(
        name=name, uscc=uscc, industry=industry, region=region, province=province, address=address,
        salesperson=salesperson, collector=collector, payment_terms_days=payment_terms_days,
        payment_terms_basis=payment_terms_basis, currency=currency, status=status, notes=notes,
        key_account=key_account).clean()
    locked = lock_customer(customer.pk)
    reassigned = [name for name in OWNER_FIELDS
                  if name in cleaned and getattr(cleaned[name], "pk", None) != getattr(locked, f"{name}_id")]
    if reassigned and actor is not None and not actor.has_perm(ASSIGN_OWNER):
        raise Forbidden(_("Only finance may change who owns a customer (salesperson, collector)."),
                        field=reassigned[0], code=ErrorCode.OWNER_CHANGE_NOT_ALLOWED)
    if ("key_account" in cleaned and cleaned["key_account"] != locked.key_account and actor is not None
            and not actor.has_perm(SET_KEY_ACCOUNT)):
        raise Forbidden(_("Only a credit or finance manager may flag a key account."), field="key_account")
    existing = cleaned.get("uscc") and Customer.objects.filter(company=locked.company, uscc=cleaned["uscc"]).exclude(
        pk=locked.pk).first()
    if existing:
        raise duplicate_uscc(actor=actor, existing=existing)
    before = customer_snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    if "collector" in reassigned:
        key_account_collector_check(locked)
    locked.save(update_fields=list(cleaned) or None)
    if reassigned:
        assignments_record(locked, roles=reassigned, source=source)
    after = customer_snapshot(locked)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit_record(actor=actor, action="customer_updated", subject=locked,
                     before={k: before[k] for k in changed}, after=changed)
    updated: Customer = locked
    return updated


def assignments_record(customer: Customer, *, roles: Iterable[str], source: str, on: date | None = None,
                       new: bool = False) -> None:
    """Keep the history of who is responsible (``CustomerAssignment``) in step with ``customer``'s salesperson and
    collector for ``roles``: the open row of each role ends ``on`` (today) and a new one starts. A change on the
    day the open row started replaces that row's person. The caller holds the customer's lock. ``new``: the
    customer was just created, so it has no rows yet and each role's first one is inserted without looking."""
    day = on or timezone.localdate()
    if new:
        CustomerAssignment.objects.bulk_create(
            CustomerAssignment(customer=customer, role=role, user_id=getattr(customer, f"{role}_id"), valid_from=day,
                               source=source[:60]) for role in roles)
        return
    for role in roles:
        user_id = getattr(customer, f"{role}_id")
        current = CustomerAssignment.objects.filter(customer=customer, role=role, valid_to__isnull=True).first()
        if current is not None and current.user_id == user_id:
            continue
        if current is not None and current.valid_from >= day:
            current.user_id = user_id
            current.source = source[:60]
            current.save(update_fields=["user", "source"])
            continue
        if current is not None:
            current.valid_to = day
            current.save(update_fields=["valid_to"])
        CustomerAssignment.objects.create(customer=customer, role=role, user_id=user_id, valid_from=day,
                                          source=source[:60])


def contact_snapshot(contact: Contact) -> JsonDict:
    return {"name": contact.name, "role": contact.role, "phone": contact.phone, "email": contact.email,
            "is_primary": contact.is_primary}


@transaction.atomic
def contact_create(*, actor: Actor, customer: Customer, name: str, role: str = "", phone: str = "", email: str = "",
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
