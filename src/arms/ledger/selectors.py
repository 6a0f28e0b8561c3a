"""Reads of the ledger: open items, documents visible to a user, the customer statement (对账单)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Case, CharField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from arms.customers.selectors import customers_visible_to
from arms.ledger.discount_offer import DiscountOffer, discount_offer
from arms.ledger.enums import DeliveryChannel, DeliveryKind, DeliveryState, PaymentStatus, ReceiptChannel
from arms.ledger.models import Allocation, CreditNote, Invoice, InvoiceDelivery, LedgerApproval, Payment, WriteOff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def invoice_list(*, user: User | AnonymousUser, customer_id: int | None = None, open_only: bool = False,
                 overdue_on: date | None = None, issued_from: date | None = None, issued_to: date | None = None,
                 search: str = "") -> QuerySet[Invoice]:
    qs = Invoice.objects.filter(customer__in=customers_visible_to(user)).select_related("customer", "contract")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if open_only:
        qs = qs.filter(amount_open_minor__gt=0)
    if overdue_on:
        qs = qs.filter(amount_open_minor__gt=0, due_date__lt=overdue_on)
    if issued_from:
        qs = qs.filter(issue_date__gte=issued_from)
    if issued_to:
        qs = qs.filter(issue_date__lte=issued_to)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(vat_invoice_number__icontains=search)
                       | Q(customer__name__icontains=search))
    return qs.order_by("-issue_date", "-id")


def payment_list(*, user: User | AnonymousUser, customer_id: int | None = None, unallocated_only: bool = False,
                 received_from: date | None = None, received_to: date | None = None, method: str = "",
                 search: str = "") -> QuerySet[Payment]:
    qs = Payment.objects.filter(customer__in=customers_visible_to(user)).select_related("customer")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if unallocated_only:
        qs = qs.filter(amount_unallocated_minor__gt=0)
    if received_from:
        qs = qs.filter(received_date__gte=received_from)
    if received_to:
        qs = qs.filter(received_date__lte=received_to)
    if method:
        qs = qs.filter(method=method)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(bank_reference__icontains=search)
                       | Q(payer_name__icontains=search) | Q(customer__name__icontains=search))
    return qs.order_by("-received_date", "-id")


def approval_list(*, user: User | AnonymousUser, status: str = "", kind: str = "", customer_id: int | None = None,
                  payment_id: int | None = None, invoice_id: int | None = None) -> QuerySet[LedgerApproval]:
    """Four-eyes approvals of manual cash application the viewer may see, newest first."""
    qs = LedgerApproval.objects.filter(customer__in=customers_visible_to(user)).select_related(
        "customer", "requested_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if payment_id:
        qs = qs.filter(payment_id=payment_id)
    if invoice_id:
        qs = qs.filter(invoice_id=invoice_id)
    return qs.order_by("-requested_at", "-id")


def credit_note_list(*, user: User | AnonymousUser, customer_id: int | None = None) -> QuerySet[CreditNote]:
    qs = CreditNote.objects.filter(customer__in=customers_visible_to(user)).select_related("customer", "invoice")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-date", "-id")


def allocation_list(*, user: User | AnonymousUser, payment_id: int | None = None,
                    invoice_id: int | None = None) -> QuerySet[Allocation]:
    qs = Allocation.objects.filter(invoice__customer__in=customers_visible_to(user)).select_related(
        "invoice", "payment", "credit_note", "write_off"
    )
    if payment_id:
        qs = qs.filter(payment_id=payment_id)
    if invoice_id:
        qs = qs.filter(invoice_id=invoice_id)
    return qs.order_by("-date", "-id")


def write_off_net_minor(write_off: WriteOff) -> int:
    """What stays written off: the amount less what was recovered (recoveries are negative allocations naming it)."""
    total = write_off.allocations.aggregate(total=Sum("amount_minor"))["total"]
    return int(total or 0)


def write_offs_with_net(qs: QuerySet[WriteOff] | None = None) -> QuerySet[WriteOff]:
    """Write-offs annotated with ``recovered_minor`` (positive) and ``net_minor`` (amount less recoveries), one
    query for a list."""
    qs = WriteOff.objects.all() if qs is None else qs
    recovered = Subquery(
        Allocation.objects.filter(write_off=OuterRef("pk"), amount_minor__lt=0).order_by()
        .values("write_off").annotate(total=Sum("amount_minor")).values("total")[:1]
    )
    return qs.annotate(recovered_minor=-Coalesce(recovered, Value(0))).annotate(
        net_minor=F("amount_minor") - F("recovered_minor"))


def open_items_for_customer(customer_id: int) -> QuerySet[Invoice]:
    return Invoice.objects.filter(customer_id=customer_id, amount_open_minor__gt=0).order_by("due_date", "id")


def customer_balances(customer_id: int) -> dict[str, dict[str, int]]:
    """Per currency: open invoices, unapplied cash, and the net balance the customer owes."""
    result: dict[str, dict[str, int]] = defaultdict(lambda: {"open": 0, "unapplied": 0, "balance": 0})
    for row in (Invoice.objects.filter(customer_id=customer_id, amount_open_minor__gt=0)
                .values("currency").annotate(total=Sum("amount_open_minor"))):
        result[row["currency"]]["open"] = row["total"]
    for row in (Payment.objects.filter(customer_id=customer_id, amount_unallocated_minor__gt=0)
                .values("currency").annotate(total=Sum("amount_unallocated_minor"))):
        result[row["currency"]]["unapplied"] = row["total"]
    for values in result.values():
        values["balance"] = values["open"] - values["unapplied"]
    return dict(result)


@dataclass(frozen=True)
class StatementLine:
    date: date
    kind: str
    number: str
    description: str
    debit_minor: int
    credit_minor: int
    balance_minor: int


@dataclass
class Statement:
    currency: str
    date_from: date
    date_to: date
    opening_minor: int
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def closing_minor(self) -> int:
        return self.lines[-1].balance_minor if self.lines else self.opening_minor

    @property
    def debit_total_minor(self) -> int:
        return sum(line.debit_minor for line in self.lines)

    @property
    def credit_total_minor(self) -> int:
        return sum(line.credit_minor for line in self.lines)


def discount_offers(*, customer_id: int, today: date) -> list[tuple[Invoice, DiscountOffer]]:
    """The customer's open invoices whose early-payment discount can still be earned on ``today``, soonest first,
    each with how it reads (the statement lists them below the movements)."""
    invoices = Invoice.objects.filter(customer_id=customer_id, amount_open_minor__gt=0, discount_bp__gt=0,
                                      discount_until__gte=today).order_by("discount_until", "pk")
    return [(invoice, offer) for invoice in invoices
            if (offer := discount_offer(invoice, today=today)) is not None]


_KIND_ORDER = {"invoice": 0, "credit_note": 1, "payment": 2, "payment_reversal": 3}


def _statement_sql() -> str:
    """The statement's one query: four opening sums per currency (section 0) and the period's four kinds of
    movement (section 1), as ``UNION ALL`` of the tables' own rows. Columns: section, kind, date, id, number,
    two texts (the line's description is chosen from them in Python), debit, credit, currency."""
    invoice, note, payment = Invoice._meta.db_table, CreditNote._meta.db_table, Payment._meta.db_table
    reversed_ = f"status = '{PaymentStatus.REVERSED.value}'"
    return " UNION ALL ".join([
        f"SELECT 1, 'invoice', issue_date, id, number, description, vat_invoice_number, gross_minor, 0, currency "
        f"FROM {invoice} WHERE customer_id = %(customer)s AND issue_date BETWEEN %(start)s AND %(end)s",
        f"SELECT 1, 'credit_note', \"date\", id, number, reason, '', 0, gross_minor, currency "
        f"FROM {note} WHERE customer_id = %(customer)s AND \"date\" BETWEEN %(start)s AND %(end)s",
        f"SELECT 1, 'payment', received_date, id, number, bank_reference, method, 0, amount_minor, currency "
        f"FROM {payment} WHERE customer_id = %(customer)s AND received_date BETWEEN %(start)s AND %(end)s",
        f"SELECT 1, 'payment_reversal', reversal_date, id, number, reversal_reason, '', amount_minor, 0, currency "
        f"FROM {payment} WHERE customer_id = %(customer)s AND {reversed_} "
        f"AND reversal_date BETWEEN %(start)s AND %(end)s",
        f"SELECT 0, 'invoice', NULL, NULL, NULL, NULL, NULL, CAST(SUM(gross_minor) AS BIGINT), 0, currency "
        f"FROM {invoice} WHERE customer_id = %(customer)s AND issue_date < %(start)s GROUP BY currency",
        f"SELECT 0, 'credit_note', NULL, NULL, NULL, NULL, NULL, 0, CAST(SUM(gross_minor) AS BIGINT), currency "
        f"FROM {note} WHERE customer_id = %(customer)s AND \"date\" < %(start)s GROUP BY currency",
        f"SELECT 0, 'payment', NULL, NULL, NULL, NULL, NULL, 0, CAST(SUM(amount_minor) AS BIGINT), currency "
        f"FROM {payment} WHERE customer_id = %(customer)s AND received_date < %(start)s GROUP BY currency",
        f"SELECT 0, 'payment_reversal', NULL, NULL, NULL, NULL, NULL, CAST(SUM(amount_minor) AS BIGINT), 0, currency "
        f"FROM {payment} WHERE customer_id = %(customer)s AND {reversed_} AND reversal_date < %(start)s "
        f"GROUP BY currency",
    ])


def _line_text(kind: str, first: str | None, second: str | None) -> str:
    """A movement's description: the invoice's own, else its VAT invoice number (发票 …); a credit note's reason;
    a payment's bank reference, else its method; a reversal's reason."""
    if kind == "invoice":
        return first or (f"发票 {second}" if second else "")
    if kind == "payment":
        return first or second or ""
    return first or ""


def customer_statement(*, customer_id: int, date_from: date, date_to: date) -> list[Statement]:
    """对账单: per currency, the opening balance on ``date_from``, every movement up to ``date_to``, closing.

    The balance is what the customer owes net of money received: invoices (debit) less credit notes and
    payments (credit); a reversed payment comes back as a debit on its reversal date. One query (``UNION
    ALL``) reads the four opening sums and the period's movements, each through the customer's date index,
    as values. A write-off (核销坏账) is not a movement here: the books drop the receivable but the customer still
    owes it (账销案存), so its statement still shows it.
    """
    opening: dict[str, int] = defaultdict(int)
    movements: dict[str, list[tuple[date, int, int, str, str, int, int, str]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENT_SQL, {"customer": customer_id, "start": date_from, "end": date_to})
        rows = cursor.fetchall()
    for section, kind, on, pk, number, first, second, debit, credit, currency in rows:
        if not section:
            opening[currency] += int(debit or 0) - int(credit or 0)
            continue
        if isinstance(on, str):  # SQLite hands a UNION's dates back as text
            on = date.fromisoformat(on)
        movements[currency].append((on, _KIND_ORDER[kind], pk, kind, number, int(debit), int(credit),
                                    _line_text(kind, first, second)))
    statements = []
    for currency in sorted(set(opening) | set(movements)):
        statement = Statement(currency, date_from, date_to, opening[currency])
        balance = opening[currency]
        for on, _order, _pk, kind, number, debit, credit, text in sorted(movements[currency]):
            balance += debit - credit
            statement.lines.append(StatementLine(on, kind, number, text, debit, credit, balance))
        statements.append(statement)
    return statements


_STATEMENT_SQL = _statement_sql()


# --- invoice delivery proof (送达 / 签收确认) ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryStatus:
    """An invoice's delivery state, derived from its records: the first delivery and the first receipt."""

    state: str
    delivered_on: date | None = None
    delivered_channel: str = ""
    tracking_no: str = ""
    carrier: str = ""
    confirmed_on: date | None = None
    confirmed_channel: str = ""

    @property
    def state_label(self) -> str:
        return str(DeliveryState(self.state).label)

    @property
    def delivered_channel_label(self) -> str:
        return str(DeliveryChannel(self.delivered_channel).label) if self.delivered_channel else ""

    @property
    def confirmed_channel_label(self) -> str:
        return str(ReceiptChannel(self.confirmed_channel).label) if self.confirmed_channel else ""


def _first(kind: str, column: str) -> Subquery:
    return Subquery(InvoiceDelivery.objects.filter(invoice=OuterRef("pk"), kind=kind)
                    .order_by("occurred_on", "id").values(column)[:1])


def with_delivery_state(qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """``qs`` annotated with ``delivered_on``/``delivered_channel`` (first delivery), ``confirmed_on``/
    ``confirmed_channel`` (first receipt) and ``delivery_state``; one query, filterable by each."""
    qs = qs.annotate(
        delivered_on=_first(DeliveryKind.DELIVERY, "occurred_on"),
        delivered_channel=_first(DeliveryKind.DELIVERY, "channel"),
        confirmed_on=_first(DeliveryKind.RECEIPT, "occurred_on"),
        confirmed_channel=_first(DeliveryKind.RECEIPT, "channel"),
    )
    return qs.annotate(delivery_state=Case(
        When(confirmed_on__isnull=False, then=Value(DeliveryState.CONFIRMED)),
        When(delivered_on__isnull=False, then=Value(DeliveryState.DELIVERED)),
        default=Value(DeliveryState.UNDELIVERED), output_field=CharField(),
    ))


def delivery_statuses(invoice_ids: Iterable[int]) -> dict[int, DeliveryStatus]:
    """The delivery status of each invoice of ``invoice_ids`` (one query); an invoice without records is
    undelivered."""
    ids = list(invoice_ids)
    found: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    rows = (InvoiceDelivery.objects.filter(invoice_id__in=ids).order_by("occurred_on", "id")
            .values("invoice_id", "kind", "channel", "occurred_on", "carrier", "tracking_no"))
    for row in rows:
        seen = found[row["invoice_id"]]
        seen.setdefault(row["kind"], row)
    statuses = {}
    for pk, seen in found.items():
        delivery, receipt = seen.get(DeliveryKind.DELIVERY), seen.get(DeliveryKind.RECEIPT)
        state = (DeliveryState.CONFIRMED if receipt else DeliveryState.DELIVERED if delivery
                 else DeliveryState.UNDELIVERED)
        statuses[pk] = DeliveryStatus(
            state=state,
            delivered_on=delivery["occurred_on"] if delivery else None,
            delivered_channel=delivery["channel"] if delivery else "",
            tracking_no=delivery["tracking_no"] if delivery else "",
            carrier=delivery["carrier"] if delivery else "",
            confirmed_on=receipt["occurred_on"] if receipt else None,
            confirmed_channel=receipt["channel"] if receipt else "",
        )
    return statuses


def delivery_status(invoice: Invoice) -> DeliveryStatus:
    return delivery_statuses([invoice.pk])[invoice.pk]


def invoice_delivery_history(invoice: Invoice) -> QuerySet[InvoiceDelivery]:
    """Every delivery and receipt record of ``invoice``, newest first."""
    return (InvoiceDelivery.objects.filter(invoice=invoice).select_related("contact", "recorded_by", "scan")
            .order_by("-occurred_on", "-id"))


def not_cancelled(qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Leave out invoices wholly cancelled by credit notes (nothing is left to deliver)."""
    credited = Subquery(CreditNote.objects.filter(invoice=OuterRef("pk")).values("invoice")
                        .annotate(total=Sum("gross_minor")).values("total")[:1])
    return qs.annotate(credited_minor=Coalesce(credited, Value(0))).filter(credited_minor__lt=F("gross_minor"))


def deliveries_outstanding(*, user: User | AnonymousUser | None, state: str = DeliveryState.UNDELIVERED,
                           customer_id: int | None = None, salesperson_id: int | None = None,
                           channel: str = "", search: str = "") -> QuerySet[Invoice]:
    """Invoices not yet delivered (``state=undelivered``), or delivered without a confirmed receipt
    (``unconfirmed``), oldest first; cancelled invoices are left out. ``channel`` filters the delivered ones
    by how they went out. ``user`` None is the system (the command line): every customer."""
    invoices = Invoice.objects.all() if user is None else Invoice.objects.filter(
        customer__in=customers_visible_to(user))
    qs = with_delivery_state(not_cancelled(invoices.select_related("customer", "customer__salesperson")))
    # the annotations of with_delivery_state are filtered by name (django-stubs knows only model fields)
    if state in (DeliveryState.DELIVERED, "unconfirmed"):
        qs = qs.filter(**{"delivery_state": DeliveryState.DELIVERED})
        if channel:
            qs = qs.filter(**{"delivered_channel": channel})
    else:
        qs = qs.filter(**{"delivery_state": DeliveryState.UNDELIVERED})
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if salesperson_id:
        qs = qs.filter(customer__salesperson_id=salesperson_id)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(vat_invoice_number__icontains=search)
                       | Q(customer__name__icontains=search))
    return qs.order_by("issue_date", "id")
