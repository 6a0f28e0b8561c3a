"""The rules of each kind of import: one function per kind, checking a batch of rows.

Each function parses every cell of every row (so one pass reports every bad cell), looks the references
up once for the batch, and sets ``row.write`` to the keyword arguments of the service that creates the
row, or leaves it ``None`` when the row's natural key already exists with the same content.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from arms.contracts.models import Contract, ContractStatus
from arms.customers.enums import CustomerStatus
from arms.customers.models import Customer
from arms.domain.money import format_money
from arms.imports.columns import (
    DISPUTE_RESOLUTIONS,
    GUARANTEES,
    INDUSTRIES,
    PAYMENT_METHODS,
    REGIONS,
    TERM_BASES,
)
from arms.imports.validate import InvoiceRef, References, RowCells
from arms.ledger.enums import BILL_METHODS, PaymentMethod
from arms.ledger.models import Invoice, Payment

Seen = dict[str, dict[str, int]]


def _customer(row: RowCells, customers: dict, *, invoicing: bool = False) -> Customer | None:
    code = row.raw("customer_code")
    if not code:
        row.fail("customer_code", _("a value is required"))
        return None
    customer = customers.get(code)
    if customer is None:
        row.fail("customer_code", _("unknown customer code '%(code)s'") % {"code": code})
    elif invoicing and customer.status == CustomerStatus.INACTIVE:
        row.fail("customer_code", _("customer %(code)s is inactive") % {"code": code})
    return customer


def _user(row: RowCells, key: str, users: dict):
    name = row.raw(key)
    if name and users.get(name) is None:
        row.fail(key, _("no active user named '%(name)s'") % {"name": name})
    return users.get(name) if name else None


def _rate_known(row: RowCells, refs: References, currency: str | None, on) -> None:
    if currency and on and not row.failed("currency"):
        problem = refs.missing_rate(currency, on)
        if problem:
            row.fail("currency", problem)


def _same(old, values: dict) -> list[tuple]:
    """Compare pairs for columns named like the model's fields."""
    return [(key, value, getattr(old, key), getattr(old, key)) for key, value in values.items()]


def check_customers(rows: list[RowCells], refs: References, seen: Seen) -> Iterator[RowCells]:
    existing = refs.existing(Customer, (r.raw("code") for r in rows), field="code",
                             related=("salesperson", "collector"))
    users = refs.users(r.raw(key) for r in rows for key in ("salesperson", "collector"))
    usccs = [r.uscc("uscc") for r in rows]
    holders = {c.uscc: c.code for c in refs.existing(Customer, usccs, field="uscc").values()}
    for row, uscc in zip(rows, usccs, strict=True):
        code = row.text("code", Customer, required=True)
        row.unique("code", code, seen["code"])
        row.unique("uscc", uscc, seen["uscc"])
        if uscc and holders.get(uscc, code) != code:
            row.fail("uscc", _("customer %(code)s already has this 统一社会信用代码") % {"code": holders[uscc]})
        name = row.text("name", Customer, required=True)
        users_given = {key: _user(row, key, users) for key in ("salesperson", "collector")}
        values = {
            "uscc": uscc,
            "industry": row.choice("industry", INDUSTRIES, _("industry")),
            "region": row.choice("region", REGIONS, _("region")),
            "province": row.text("province", Customer),
            "address": row.text("address", Customer),
            "payment_terms_days": row.days("payment_terms_days"),
            "payment_terms_basis": row.choice("payment_terms_basis", TERM_BASES, _("payment terms basis")),
            "currency": row.currency(),
            "notes": row.text("notes", Customer),
        }
        if row.errors:
            yield row
            continue
        old = existing.get(code)
        if old is None:
            row.write = {"code": code, "name": name, **row.given_values({**values, **users_given})}
        else:
            row.compare(_("customer"), code, [
                ("name", name, old.name, old.name),
                *_same(old, values),
                *((key, user.username if user else "", getattr(getattr(old, key), "username", ""),
                   getattr(getattr(old, key), "username", "")) for key, user in users_given.items()),
            ])
        yield row


def check_contracts(rows: list[RowCells], refs: References, seen: Seen) -> Iterator[RowCells]:
    customers = refs.customers(r.raw("customer_code") for r in rows)
    existing = refs.existing(Contract, (r.raw("number") for r in rows), related=("customer",))
    for row in rows:
        number = row.text("number", Contract, required=True)
        row.unique("number", number, seen["number"])
        customer = _customer(row, customers)
        currency = row.currency() or (customer.currency if customer else None)
        signed_date = row.date("signed_date", required=True)
        amount = row.money("amount", currency, required=True)
        values = {
            "title": row.text("title", Contract),
            "start_date": row.date("start_date"),
            "end_date": row.date("end_date"),
            "currency": currency,
            "payment_terms_days": row.days("payment_terms_days"),
            "payment_terms_basis": row.choice("payment_terms_basis", TERM_BASES, _("payment terms basis")),
            "penalty_rate": row.rate("penalty_rate", Contract),
            "late_interest_rate_daily": row.rate("late_interest_rate_daily", Contract),
            "penalty_clause": row.text("penalty_clause", Contract),
            "guarantee_type": row.choice("guarantee_type", GUARANTEES, _("guarantee")),
            "guarantee_details": row.text("guarantee_details", Contract),
            "dispute_resolution": row.choice("dispute_resolution", DISPUTE_RESOLUTIONS, _("dispute resolution")),
            "dispute_venue": row.text("dispute_venue", Contract),
        }
        if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
            row.fail("end_date", _("the contract cannot end before it starts"))
        if row.errors:
            yield row
            continue
        old = existing.get(number)
        if old is None:
            row.write = {"customer": customer, "number": number, "signed_date": signed_date,
                         "amount_minor": amount, **row.given_values(values)}
        else:
            row.compare(_("contract"), number, [
                ("customer_code", customer.code, old.customer.code, old.customer.code),
                ("signed_date", signed_date, old.signed_date, old.signed_date),
                ("amount", amount, old.amount_minor, format_money(old.amount_minor, old.currency)),
                *_same(old, values),
            ])
        yield row


def _contract(row: RowCells, contracts: dict, customer: Customer | None) -> Contract | None:
    number = row.raw("contract_number")
    if not number:
        return None
    contract = contracts.get(number)
    if contract is None:
        row.fail("contract_number", _("unknown contract number '%(number)s'") % {"number": number})
    elif customer is not None and contract.customer_id != customer.pk:
        row.fail("contract_number", _("contract %(number)s belongs to another customer") % {"number": number})
    elif contract.status != ContractStatus.ACTIVE:
        row.fail("contract_number", _("contract %(number)s is not active; only an active contract can be invoiced")
                 % {"number": number})
    return contract


def _vat_invoice_number(row: RowCells) -> str:
    """发票代码 and 发票号码 together identify a VAT invoice; ARMS keeps them as one "代码-号码" text."""
    parts = [row.text(key, Invoice, "vat_invoice_number") for key in ("vat_invoice_code", "vat_invoice_number")]
    combined = "-".join(part for part in parts if part)
    limit = Invoice._meta.get_field("vat_invoice_number").max_length
    if len(combined) > limit:
        row.fail("vat_invoice_number", _("发票代码 and 发票号码 together are longer than %(max)s characters")
                 % {"max": limit})
    return combined


def check_invoices(rows: list[RowCells], refs: References, seen: Seen) -> Iterator[RowCells]:
    customers = refs.customers(r.raw("customer_code") for r in rows)
    contracts = refs.contracts(r.raw("contract_number") for r in rows)
    existing = refs.existing(Invoice, (r.raw("number") for r in rows), related=("customer", "contract"))
    for row in rows:
        number = row.text("number", Invoice, required=True)
        row.unique("number", number, seen["number"])
        customer = _customer(row, customers, invoicing=True)
        contract = _contract(row, contracts, customer)
        source = contract or customer
        currency = row.currency() or (source.currency if source else None)
        if contract and currency and currency != contract.currency:
            row.fail("currency", _("contract %(number)s is in %(currency)s")
                     % {"number": contract.number, "currency": contract.currency})
        issue_date = row.date("issue_date", required=True)
        due_date = row.date("due_date")
        if issue_date and due_date and due_date < issue_date:
            row.fail("due_date", _("the due date cannot be before the issue date"))
        net = row.money("net", currency, required=True)
        tax = row.money("tax", currency, allow_zero=True) or 0
        gross = row.money("gross", currency)
        if net is not None and gross is not None and not row.failed("tax") and gross != net + tax:
            row.fail("gross", _("is not the net amount plus the tax (%(sum)s)")
                     % {"sum": format_money(net + tax, currency or "CNY")})
        vat_invoice_number = _vat_invoice_number(row)
        description = row.text("description", Invoice)
        _rate_known(row, refs, currency, issue_date)
        if row.errors:
            yield row
            continue
        old = existing.get(number)
        if old is None:
            row.write = {"customer": customer, "number": number, "issue_date": issue_date, "due_date": due_date,
                         "net_minor": net, "tax_minor": tax, "currency": currency, "contract": contract,
                         "vat_invoice_number": vat_invoice_number, "description": description}
        else:
            stored_contract = old.contract.number if old.contract_id else ""
            row.compare(_("invoice"), number, [
                ("customer_code", customer.code, old.customer.code, old.customer.code),
                ("contract_number", contract.number if contract else "", stored_contract, stored_contract),
                ("issue_date", issue_date, old.issue_date, old.issue_date),
                ("due_date", due_date, old.due_date, old.due_date),
                ("net", net, old.net_minor, format_money(old.net_minor, old.currency)),
                ("tax", tax, old.tax_minor, format_money(old.tax_minor, old.currency)),
                ("gross", gross, old.gross_minor, format_money(old.gross_minor, old.currency)),
                ("currency", currency, old.currency, old.currency),
                ("vat_invoice_number" if row.given("vat_invoice_number") else "vat_invoice_code",
                 vat_invoice_number, old.vat_invoice_number, old.vat_invoice_number),
                ("description", description, old.description, old.description),
            ])
        yield row


def _allocation_target(row: RowCells, invoices: dict[str, InvoiceRef], customer: Customer | None,
                       currency: str | None) -> InvoiceRef | None:
    number = row.raw("invoice_number")
    if not number:
        return None
    invoice = invoices.get(number)
    if invoice is None:
        row.fail("invoice_number", _("unknown invoice number '%(number)s'") % {"number": number})
    elif customer is not None and invoice.customer_id != customer.pk:
        row.fail("invoice_number", _("invoice %(number)s belongs to customer %(code)s")
                 % {"number": number, "code": invoice.customer_code})
    elif currency and invoice.currency != currency:
        row.fail("invoice_number", _("invoice %(number)s is in %(currency)s")
                 % {"number": number, "currency": invoice.currency})
    return invoice


def check_payments(rows: list[RowCells], refs: References, seen: Seen) -> Iterator[RowCells]:
    customers = refs.customers(r.raw("customer_code") for r in rows)
    invoices = refs.invoices(r.raw("invoice_number") for r in rows)
    existing = refs.existing(Payment, (r.raw("number") for r in rows), related=("customer",))
    method_what = _("payment method")  # translated once a batch, not per row
    for row in rows:
        number = row.text("number", Payment, required=True)
        row.unique("number", number, seen["number"])
        customer = _customer(row, customers)
        currency = row.currency() or (customer.currency if customer else None)
        received_date = row.date("received_date", required=True)
        amount = row.money("amount", currency, required=True)
        method = row.choice("method", PAYMENT_METHODS, method_what) or PaymentMethod.BANK_TRANSFER
        values = {
            "bill_number": row.text("bill_number", Payment),
            "bill_maturity_date": row.date("bill_maturity_date"),
            "payer_name": row.text("payer_name", Payment),
            "bank_reference": row.text("bank_reference", Payment),
        }
        if method in BILL_METHODS:
            maturity = values["bill_maturity_date"]
            if maturity is None:
                row.fail("bill_maturity_date", _("an acceptance bill needs its maturity date"))
            elif received_date and maturity < received_date:
                row.fail("bill_maturity_date", _("the bill cannot mature before it was received"))
            if not values["bill_number"]:
                row.fail("bill_number", _("an acceptance bill needs its number"))
        invoice = _allocation_target(row, invoices, customer, currency)
        _rate_known(row, refs, currency, received_date)
        if row.errors:
            yield row
            continue
        old = existing.get(number)
        if old is None:
            row.write = {"customer": customer, "number": number, "received_date": received_date,
                         "amount_minor": amount, "currency": currency, "method": method, **values,
                         "allocate_to": invoice}
        else:
            row.compare(_("payment"), number, [
                ("customer_code", customer.code, old.customer.code, old.customer.code),
                ("received_date", received_date, old.received_date, old.received_date),
                ("amount", amount, old.amount_minor, format_money(old.amount_minor, old.currency)),
                ("currency", currency, old.currency, old.currency),
                ("method", method, old.method, old.get_method_display()),
                *_same(old, values),
            ])
        yield row


CHECKS = {
    "customers": check_customers,
    "contracts": check_contracts,
    "invoices": check_invoices,
    "payments": check_payments,
}
