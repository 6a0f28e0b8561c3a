"""The company's bank accounts and the column layout a user maps for an account's exports.

``bank_account_create`` / ``bank_account_update`` take the fields as ``BankAccountFields``, whose ``clean()`` is the
one place they are checked (the API, the web form and the CLI go through it). ``column_profile_save`` stores the
mapping a user made for a layout no built-in profile reads: for each thing ARMS needs from a line, the header
text(s) of the column that holds it (``arms.bank.parsers.profiles.ColumnProfile``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.bank.models import BankAccount
from arms.bank.parsers import BY_KEY
from arms.bank.services.importing import OWN_PROFILE, account_number_normalise, column_profile_from_mapping
from arms.common.errors import Conflict, ErrorCode, ValidationFailed
from arms.common.inputs import UNSET, ServiceInput
from arms.common.locks import lock_one
from arms.customers.services import company_ensure

if TYPE_CHECKING:
    from arms.common.typing import Actor
    from arms.customers.models import Company

_NUMBER = re.compile(r"^[0-9A-Z/.]{4,64}$")
_LEDGER = re.compile(r"^1002[0-9]{0,16}$")

#: the fields of a column mapping, in the order a user fills them in
MAPPING_FIELDS = ("date", "amount", "direction", "credit", "debit", "counterparty_name", "counterparty_account",
                  "counterparty_bank", "remittance", "reference", "balance", "currency")
#: header texts per field, and the length of one
MAPPING_MAX_HEADERS = 5
MAPPING_MAX_HEADER_LENGTH = 60


@dataclass(frozen=True, kw_only=True)
class BankAccountFields(ServiceInput):
    name: str = UNSET
    bank: str = UNSET
    branch: str = UNSET
    account_number: str = UNSET
    currency: str = UNSET
    ledger_account: str = UNSET
    profile_key: str = UNSET
    active: bool = UNSET

    def clean(self) -> dict[str, Any]:
        cleaned = self.given()
        for name, limit in (("name", 100), ("bank", 100), ("branch", 200)):
            if name in cleaned:
                cleaned[name] = str(cleaned[name] or "").strip()
                if len(cleaned[name]) > limit:
                    raise ValidationFailed(_("At most %(limit)d characters.") % {"limit": limit}, field=name)
        for name in ("name", "bank"):
            if name in cleaned and not cleaned[name]:
                raise ValidationFailed(_("This field is required."), field=name)
        if "account_number" in cleaned:
            cleaned["account_number"] = account_number_normalise(cleaned["account_number"])
            if not _NUMBER.match(cleaned["account_number"]):
                raise ValidationFailed(_("An account number or IBAN is 4 to 64 digits and letters."),
                                       field="account_number")
        if "ledger_account" in cleaned:
            cleaned["ledger_account"] = str(cleaned["ledger_account"] or "").strip()
            if not _LEDGER.match(cleaned["ledger_account"]):
                raise ValidationFailed(_("The ledger account is 1002 (银行存款) or one of its sub-accounts, e.g. "
                                         "100201."), field="ledger_account")
        if "profile_key" in cleaned:
            cleaned["profile_key"] = str(cleaned["profile_key"] or "").strip()
            if cleaned["profile_key"] not in ("", *BY_KEY):
                raise ValidationFailed(_("Unknown export layout %(key)s.") % {"key": cleaned["profile_key"][:40]},
                                       field="profile_key")
        if "active" in cleaned and not isinstance(cleaned["active"], bool):
            raise ValidationFailed(_("Active is true or false."), field="active")
        self.clean_currency(cleaned)
        return cleaned


def bank_account_snapshot(account: BankAccount) -> dict[str, Any]:
    return {name: getattr(account, name) for name in BankAccountFields.names()}


def _duplicate(number: str) -> Conflict:
    return Conflict(_("A bank account with the number %(number)s already exists.") % {"number": number},
                    field="account_number", code=ErrorCode.BANK_ACCOUNT_DUPLICATE)


@transaction.atomic
def bank_account_create(*, actor: Actor, company: Company | None = None, name: str, bank: str,
                        account_number: str, currency: str = "CNY", branch: str = "", ledger_account: str = "1002",
                        profile_key: str = "", active: bool = True) -> BankAccount:
    """Add one of the company's own bank accounts."""

    cleaned = BankAccountFields(name=name, bank=bank, branch=branch, account_number=account_number,
                                currency=currency, ledger_account=ledger_account, profile_key=profile_key,
                                active=active).clean()
    company = company or company_ensure()
    if BankAccount.objects.filter(company=company, account_number=cleaned["account_number"]).exists():
        raise _duplicate(cleaned["account_number"])
    try:
        with transaction.atomic():
            account = BankAccount.objects.create(company=company, **cleaned)
    except IntegrityError:  # a simultaneous create of the same number
        raise _duplicate(cleaned["account_number"]) from None
    audit_record(actor=actor, action=AuditAction.BANK_ACCOUNT_CREATED, subject=account,
                 after=bank_account_snapshot(account))
    return account


@transaction.atomic
def bank_account_update(*, actor: Actor, account: BankAccount, name: str = UNSET, bank: str = UNSET,
                        branch: str = UNSET, account_number: str = UNSET, currency: str = UNSET,
                        ledger_account: str = UNSET, profile_key: str = UNSET, active: bool = UNSET) -> BankAccount:
    """Change the given fields of a bank account. Its number and currency stay while it has statements: the
    lines imported are the bank's record of that account."""
    cleaned = BankAccountFields(name=name, bank=bank, branch=branch, account_number=account_number,
                                currency=currency, ledger_account=ledger_account, profile_key=profile_key,
                                active=active).clean()
    account = lock_one(BankAccount.objects.all(), pk=account.pk)
    before = bank_account_snapshot(account)
    changed = {k: v for k, v in cleaned.items() if getattr(account, k) != v}
    if not changed:
        return account
    if {"account_number", "currency"} & changed.keys() and account.statements.exists():
        field = "account_number" if "account_number" in changed else "currency"
        raise Conflict(_("The account has imported statements: its number and currency stay as they are."),
                       field=field)
    if "account_number" in changed and BankAccount.objects.filter(
            company=account.company, account_number=changed["account_number"]).exclude(pk=account.pk).exists():
        raise _duplicate(changed["account_number"])
    for key, value in changed.items():
        setattr(account, key, value)
    account.save(update_fields=list(changed))
    audit_record(actor=actor, action=AuditAction.BANK_ACCOUNT_UPDATED, subject=account, before=before,
                 after=bank_account_snapshot(account))
    return account


def column_mapping_clean(mapping: dict[str, Any]) -> dict[str, Any]:
    """A user's mapping as it is stored: each field a list of header texts (a text with commas or 、 is split);
    a date column, and an amount column or both credit and debit columns, are required."""
    if not isinstance(mapping, dict):
        raise ValidationFailed(_("The column mapping must be an object."), field="mapping")
    unknown = set(mapping) - {*MAPPING_FIELDS, "name", "name_then_account"}
    if unknown:
        raise ValidationFailed(_("Unknown field %(field)s in the column mapping.") % {"field": sorted(unknown)[0]},
                               field=sorted(unknown)[0])
    cleaned: dict[str, Any] = {}
    for name in MAPPING_FIELDS:
        value = mapping.get(name) or []
        if isinstance(value, str):
            value = re.split(r"[,，、;\n]", value)
        if not isinstance(value, list | tuple):
            raise ValidationFailed(_("Give the header texts of the column."), field=name)
        headers = [str(v).strip() for v in value if str(v).strip()]
        if len(headers) > MAPPING_MAX_HEADERS:
            raise ValidationFailed(_("At most %(n)d header texts per field.") % {"n": MAPPING_MAX_HEADERS},
                                   field=name)
        if any(len(h) > MAPPING_MAX_HEADER_LENGTH for h in headers):
            raise ValidationFailed(_("A header text is at most %(n)d characters.") % {
                "n": MAPPING_MAX_HEADER_LENGTH}, field=name)
        if headers:
            cleaned[name] = headers
    if not cleaned.get("date"):
        raise ValidationFailed(_("Name the column that holds the booking date."), field="date")
    if not cleaned.get("amount") and not (cleaned.get("credit") and cleaned.get("debit")):
        raise ValidationFailed(_("Name the amount column, or both the credit (收入/贷方) and the debit (支出/借方) "
                                 "columns."), field="amount")
    name = str(mapping.get("name") or "").strip()[:60]
    if name:
        cleaned["name"] = name
    if mapping.get("name_then_account"):
        cleaned["name_then_account"] = True
    column_profile_from_mapping(cleaned)  # the parser accepts it
    return cleaned


@transaction.atomic
def column_profile_save(*, actor: Actor, account: BankAccount, mapping: dict[str, Any] | None) -> BankAccount:
    """Store (or, with None, remove) the account's own column layout. While it is set, the account's exports are
    read with it unless an import names another layout."""
    cleaned = column_mapping_clean(mapping) if mapping is not None else None
    account = lock_one(BankAccount.objects.all(), pk=account.pk)
    before = {"column_profile": account.column_profile, "profile_key": account.profile_key}
    account.column_profile = cleaned
    fields = ["column_profile"]
    if cleaned is not None and account.profile_key:
        account.profile_key = ""  # the own layout replaces the built-in one chosen before
        fields.append("profile_key")
    account.save(update_fields=fields)
    audit_record(actor=actor, action=AuditAction.BANK_COLUMN_PROFILE_SAVED, subject=account, before=before,
                 after={"column_profile": cleaned, "profile_key": account.profile_key, "key": OWN_PROFILE})
    return account
