"""What a dunning action puts on paper and in e-mail: the letter and lawyer's letter, the dunning statement
(open items with late interest), and the e-mail text, in the customer's language (zh-hans or English).

Everything here reads; the services store what it renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import translation

from arms.cases.enums import DEFAULT_SLA_WORKING_DAYS
from arms.common import hooks
from arms.common.pdf import render_pdf
from arms.contracts.models import DisputeResolution
from arms.customers.models import Company, Contact
from arms.domain.interest import late_interest, tiers_of
from arms.domain.money import format_amount
from arms.dunning.models import DunningAction, DunningItem, ItemOutcome, Language
from arms.dunning.selectors import customer_language, held_invoice_ids
from arms.ledger.discount_offer import discount_offer
from arms.ledger.models import Invoice
from arms.ledger.selectors import DeliveryStatus, delivery_statuses

#: contact roles that get dunning mail first (the accounts-payable side of the customer)
FINANCE_ROLE_WORDS = ("财务", "会计", "出纳", "应付", "finance", "account", "billing", "payable", "ap ")


@dataclass
class Line:
    number: str
    vat_invoice_number: str
    issue_date: date
    due_date: date
    days_past_due: int
    open_minor: int
    interest_minor: int
    penalty_minor: int
    contract: str = ""
    held: bool = False
    #: when and how the invoice was delivered and its receipt confirmed (the letter says so for each invoice)
    delivery: DeliveryStatus | None = None
    #: the early-payment discount still open on the letter's date, as one sentence (the pre-due reminder says it)
    discount: str = ""

    @property
    def total_minor(self) -> int:
        return self.open_minor + self.interest_minor + self.penalty_minor


@dataclass(frozen=True)
class TierRow:
    from_day: int
    to_day: int | None
    daily_rate: Decimal

    @property
    def daily_rate_percent(self) -> str:
        return f"{(self.daily_rate * 100).normalize():f}%"

    @property
    def daily_rate_per_10k(self) -> str:
        return f"{(self.daily_rate * 10000).normalize():f}"


def tier_rows(raw) -> list[TierRow]:
    """A contract's stored tiers as the rows of the letter's table (from day, to day or open, daily rate)."""
    tiers = tiers_of(raw)
    return [TierRow(t.from_day, tiers[i + 1].from_day - 1 if i + 1 < len(tiers) else None, t.daily_rate)
            for i, t in enumerate(tiers)]


@dataclass
class Clause:
    number: str
    title: str
    daily_rate: Decimal
    penalty_rate: Decimal
    text: str
    dispute_resolution: str  # a lazy label: translated when the letter is rendered, in the customer's language
    venue: str
    #: a tiered clause (rates that step up with days late): the letter prints its table instead of the single rate
    tiers: list[TierRow] = field(default_factory=list)

    @property
    def daily_rate_percent(self) -> str:
        return f"{(self.daily_rate * 100).normalize():f}%"

    @property
    def daily_rate_per_10k(self) -> str:
        return f"{(self.daily_rate * 10000).normalize():f}"

    @property
    def penalty_percent(self) -> str:
        return f"{(self.penalty_rate * 100).normalize():f}%"


@dataclass
class Letter:
    action: DunningAction
    language: str
    lines: list[Line]
    clauses: list[Clause]
    company_name: str
    reference: str
    currency: str
    statement: list[Line] = field(default_factory=list)
    #: the company's issuer as legal's settings say (``company_letter_issuer``), when the caller read it already
    company_issuer: dict | None = None
    #: the invoices of the action's items (all of them: an item with an action is an actioned one), in the order
    #: the items were written
    invoice_ids: list[int] = field(default_factory=list)

    def _sum(self, lines, attr):
        return sum(getattr(x, attr) for x in lines)

    def amounts(self, lines=None) -> dict[str, str]:
        lines = self.lines if lines is None else lines
        return {name: format_amount(self._sum(lines, f"{name}_minor"), self.currency)
                for name in ("open", "interest", "penalty", "total")}

    def as_context(self) -> dict:
        action = self.action
        return {
            "action": action, "customer": action.customer, "stage": action.stage, "lines": self.lines,
            "clauses": self.clauses, "company_name": self.company_name, "reference": self.reference,
            "currency": self.currency, "totals": self.amounts(), "as_of": action.as_of, "deadline": action.deadline,
            "statement": self.statement, "statement_totals": self.amounts([x for x in self.statement if not x.held]),
            "held_lines": [x for x in self.statement if x.held], "language": self.language,
            # the customer is asked to report a difference within the time a dispute is handled in
            "dispute_working_days": DEFAULT_SLA_WORKING_DAYS,
            **issuer_context(action, company_issuer=self.company_issuer),
        }


#: who issues a lawyer's letter when legal has configured nothing: the company's own legal department (催告函)
OWN_LEGAL = {"mode": "own_legal"}


def company_letter_issuer(company: Company) -> dict:
    """Who issues ``company``'s lawyer's letters as legal's settings say now, else its own legal department."""
    found = [x for x in hooks.run(hooks.LETTER_ISSUER, company=company) if x]
    return dict(found[0]) if found else dict(OWN_LEGAL)


def letter_issuer(action: DunningAction, *, company_issuer: dict | None = None) -> dict:
    """Who issues the action's lawyer's letter: as frozen when legal approved it, else as legal's settings say
    now (a draft; ``company_issuer`` when the caller read it already), else the company's own legal department."""
    if action.issuer:
        return dict(action.issuer)
    if company_issuer is not None:
        return dict(company_issuer)
    return company_letter_issuer(action.customer.company)


def issuer_context(action: DunningAction, *, company_issuer: dict | None = None) -> dict:
    """The issuer and the letter's title: 律师函 only in a law firm's name; the company's own legal department
    sends a 催告函 (a letter of demand)."""
    issuer = letter_issuer(action, company_issuer=company_issuer)
    by_firm = issuer.get("mode") == "law_firm"
    return {"issuer": issuer, "letter_title": "律师函" if by_firm else "催告函",
            "letter_title_en": "Lawyer's Letter" if by_firm else "Letter of Demand"}


def _clause(contract) -> Clause:
    resolution = dict(DisputeResolution.choices).get(contract.dispute_resolution, contract.dispute_resolution)
    return Clause(contract.number, contract.title, contract.late_interest_rate_daily, contract.penalty_rate,
                  contract.penalty_clause, resolution, contract.dispute_venue, tier_rows(contract.late_interest_tiers))


def _line(invoice: Invoice, *, as_of: date, grace_days: int, held: bool = False) -> Line:
    contract = invoice.contract
    charge = late_interest(
        amount_minor=invoice.amount_open_minor, due_date=invoice.due_date, as_of=as_of,
        daily_rate=contract.late_interest_rate_daily if contract else Decimal(0),
        penalty_rate=contract.penalty_rate if contract else Decimal(0), grace_days=grace_days,
        tiers=contract.late_interest_tiers if contract else None,
    )
    return Line(invoice.number, invoice.vat_invoice_number, invoice.issue_date, invoice.due_date,
                (as_of - invoice.due_date).days, invoice.amount_open_minor, charge.interest_minor,
                charge.penalty_minor, contract.number if contract else "", held)


def letter_for(action: DunningAction, *, company_issuer: dict | None = None) -> Letter:
    """The action's listed items as they stood on its date (open amount and interest as computed by the run),
    and the customer's whole statement in that currency as of today's ledger. ``company_issuer``: the
    company's ``company_letter_issuer`` when the caller read it already (for many actions at once)."""
    items = (DunningItem.objects.filter(action=action, outcome=ItemOutcome.ACTIONED)
             .select_related("invoice__contract").order_by("invoice__due_date", "invoice_id"))
    lines, contracts, line_ids, item_invoices = [], {}, [], []
    for item in items:
        invoice = item.invoice
        item_invoices.append((item.pk, invoice.pk))
        lines.append(Line(invoice.number, invoice.vat_invoice_number, invoice.issue_date, invoice.due_date,
                          item.days_past_due, item.amount_open_minor, item.interest_minor, item.penalty_minor,
                          invoice.contract.number if invoice.contract else ""))
        offer = discount_offer(invoice, today=action.as_of)
        lines[-1].discount = offer.text if offer else ""
        line_ids.append(invoice.pk)
        if invoice.contract:
            contracts[invoice.contract_id] = invoice.contract
    # each open invoice says whether collections holds it from dunning (the same subquery as the run's selection)
    open_invoices = list(Invoice.objects.filter(customer_id=action.customer_id, currency=action.currency,
                                                amount_open_minor__gt=0).select_related("contract")
                         .annotate(held=Exists(held_invoice_ids(action.as_of).filter(pk=OuterRef("pk"))))
                         .order_by("due_date", "pk"))
    statement = [_line(inv, as_of=action.as_of, grace_days=action.policy.grace_days, held=inv.held)
                 for inv in open_invoices]
    waived = charges_waived([*line_ids, *(inv.pk for inv in open_invoices)])
    for line, pk in [*zip(lines, line_ids, strict=True), *zip(statement, (i.pk for i in open_invoices), strict=True)]:
        if pk in waived:  # a settlement waived the late interest and penalty: the letter claims none
            line.interest_minor = line.penalty_minor = 0
    deliveries = delivery_statuses([*line_ids, *(inv.pk for inv in open_invoices)])
    for line, pk in [*zip(lines, line_ids, strict=True), *zip(statement, (i.pk for i in open_invoices), strict=True)]:
        line.delivery = deliveries[pk]
    return Letter(
        action=action, language=customer_language(action.customer), lines=lines,
        clauses=[_clause(c) for c in contracts.values()], company_name=action.customer.company.name,
        reference=f"DUN-{action.as_of:%Y%m%d}-{action.pk:06d}", currency=action.currency, statement=statement,
        company_issuer=company_issuer, invoice_ids=[invoice_id for _item, invoice_id in sorted(item_invoices)],
    )


def charges_waived(invoice_ids: list[int]) -> set[int]:
    """Of one letter's invoices, those whose late interest and penalty a settlement waived (legal, via a hook)."""
    waived: set[int] = set()
    for found in hooks.run(hooks.CHARGES_WAIVED, invoice_ids=invoice_ids):
        waived |= set(found)
    return waived


def render_letter_pdf(letter: Letter) -> bytes:
    with translation.override(letter.language):
        return render_pdf(f"dunning/pdf/{letter.action.stage.letter_kind}.html", letter.as_context())


def render_statement_pdf(letter: Letter) -> bytes:
    with translation.override(letter.language):
        return render_pdf("dunning/pdf/statement.html", letter.as_context())


def render_email(letter: Letter) -> tuple[str, str]:
    """(subject, body) from ``dunning/email/<language>/<template>.txt``, whose first line is ``Subject: ...``."""
    language = letter.language if letter.language in Language.values else Language.ZH_HANS
    with translation.override(language):
        text = render_to_string(f"dunning/email/{language}/{letter.action.stage.email_template}.txt",
                                letter.as_context())
    first, _sep, body = text.lstrip().partition("\n")
    subject = first.removeprefix("Subject:").strip()
    return subject[:300], body.strip() + "\n"


def recipients_for(customer) -> list[str]:
    """The customer's contacts with an e-mail address, the finance / accounts-payable contact first, then the
    primary contact; at most three addresses."""
    contacts = list(Contact.objects.filter(customer_id=customer.pk).exclude(email="").order_by("-is_primary", "pk"))

    def rank(contact) -> tuple[int, int]:
        role = f"{contact.role.lower()} "
        return (0 if any(word in role for word in FINANCE_ROLE_WORDS) else 1, 0 if contact.is_primary else 1)

    seen, addresses = set(), []
    for contact in sorted(contacts, key=rank):
        address = contact.email.strip().lower()
        if address not in seen:
            seen.add(address)
            addresses.append(contact.email.strip())
    return addresses[:3]


def file_names(action: DunningAction) -> dict[str, str]:
    stamp = f"{action.as_of:%Y%m%d}-{action.pk:06d}"
    return {"letter": f"{action.stage.letter_kind or 'letter'}-{stamp}.pdf", "statement": f"statement-{stamp}.pdf"}


def may_read(user, action: DunningAction, kind: str) -> bool:
    """Lawyer's letters are for legal, credit and finance managers and the auditor (``view_lawyer_letter``)."""
    return kind != "letter" or action.stage.letter_kind != "lawyer_letter" or user.has_perm(
        "dunning.view_lawyer_letter")


def stored_or_rendered(action: DunningAction, kind: str) -> bytes | None:
    """The ``kind`` ("letter" or "statement") PDF as stored when the action was carried out, else rendered now
    from the same figures (None when the stage makes no such document)."""
    field = action.letter_pdf if kind == "letter" else action.statement_pdf
    if field:
        with field.open("rb") as handle:
            return handle.read()
    if kind == "letter" and not action.stage.letter_kind:
        return None
    letter = letter_for(action)
    return render_letter_pdf(letter) if kind == "letter" else render_statement_pdf(letter)
