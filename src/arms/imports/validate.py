"""Rows of strings -> rows checked against the rules and the database, ready for the services.

``checked_rows`` streams a table's rows in batches: the database is asked once per batch (which
customers, contracts, invoices exist), never once per row. Each row comes back with every error found
in it, or with ``write``: the keyword arguments of the service call that creates it, or ``None`` when
the row is already in ARMS with the same content (it is skipped).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils.translation import gettext as _

from arms.common.bulk import Among
from arms.common.errors import ArmsError
from arms.contracts.models import Contract
from arms.customers.models import Company, Customer
from arms.domain.money import BASE_CURRENCY
from arms.imports import cells
from arms.imports.columns import Header, Vocabulary, header_read
from arms.imports.errors import ImportUnreadable, RowError
from arms.ledger.models import Invoice
from arms.ledger.services import exchange_rate_on

BATCH = 2000


class RowCells:
    """One data row: its line, its cells by column key, the errors found in it and what it will write."""

    def __init__(self, header: Header, line: int, cells: dict[str, str]):
        self.header = header
        self.line = line
        self.cells = cells
        self.write: dict | None = None
        self._errors: list[tuple[int, RowError]] = []
        self._failed: set[str] = set()

    @property
    def errors(self) -> list[RowError]:
        """The row's errors from left to right, as the user reads the line."""
        return [error for _position, error in sorted(self._errors, key=lambda pair: pair[0])]

    def _position(self, key: str) -> int:
        return next((index for index, name in self.header.positions.items() if name == key), 10_000)

    def raw(self, key: str) -> str:
        return self.cells.get(key, "").strip()

    def given(self, key: str) -> bool:
        return bool(self.raw(key))

    def fail(self, key: str, message: str) -> None:
        """Record an error against a column; only the first error of each column is kept."""
        if key not in self._failed:
            self._failed.add(key)
            self._errors.append((self._position(key), RowError(self.line, self.header.label(key), message)))

    def stray(self, index: int, value: str) -> None:
        """A value in a column that has no header: most often a comma inside an unquoted CSV cell."""
        self._errors.append((index, RowError(
            self.line, _("column %(number)s") % {"number": index + 1},
            _("'%(value)s' is in a column without a header (an unquoted comma?)") % {"value": value})))

    def failed(self, key: str) -> bool:
        return key in self._failed

    def _parse(self, key: str, parser: Callable, *args, required: bool = False, **kwargs):
        text = self.raw(key)
        if not text:
            if required:
                self.fail(key, _("a value is required"))
            return None
        try:
            return parser(text, *args, **kwargs)
        except cells.CellError as exc:
            self.fail(key, str(exc))
            return None

    def text(self, key: str, model, field: str | None = None, *, required: bool = False) -> str:
        """Text that fits ``model.field`` (the column key by default); "" when the cell is empty."""
        max_length = model._meta.get_field(field or key).max_length
        return self._parse(key, cells.parse_text, max_length, required=required) or ""

    def date(self, key: str, *, required: bool = False) -> date | None:
        return self._parse(key, cells.parse_date, required=required)

    def money(self, key: str, currency: str | None, *, required: bool = False, allow_zero: bool = False):
        return self._parse(key, cells.parse_money, currency or BASE_CURRENCY, allow_zero=allow_zero,
                           required=required)

    def currency(self, key: str = "currency") -> str | None:
        return self._parse(key, cells.parse_currency)

    def days(self, key: str) -> int | None:
        return self._parse(key, cells.parse_days)

    def rate(self, key: str, model) -> Decimal | None:
        return self._parse(key, cells.parse_rate, model._meta.get_field(key).decimal_places)

    def uscc(self, key: str) -> str:
        return self._parse(key, cells.parse_uscc) or ""

    def choice(self, key: str, vocabulary: Vocabulary, what: str) -> str | None:
        text = self.raw(key)
        if not text:
            return None
        code = vocabulary.code(text)
        if code is None:
            self.fail(key, _("'%(value)s' is not a known %(what)s; use one of %(choices)s")
                      % {"value": text, "what": what, "choices": vocabulary.hint})
        return code

    def unique(self, key: str, value: str, seen: dict[str, int]) -> None:
        """Refuse a value that an earlier line of the same file already used."""
        if not value:
            return
        if value in seen:
            self.fail(key, _("'%(value)s' is already on line %(line)s of this file") % {"value": value,
                                                                                      "line": seen[value]})
        else:
            seen[value] = self.line

    def given_values(self, values: dict) -> dict:
        """The entries of ``values`` whose column has a value in this row (the rest take the defaults)."""
        return {key: value for key, value in values.items() if self.given(key)}

    def compare(self, noun: str, number: str, pairs: Iterable[tuple[str, object, object, object]]) -> None:
        """The row's natural key exists: fail each column the row states differently from what is stored.

        ``pairs`` are (column key, value from the file, value stored, stored value as shown to the user).
        A column left empty in the file states nothing and is not compared.
        """
        for key, mine, stored, shown in pairs:
            if self.given(key) and not self.failed(key) and mine != stored:
                self.fail(key, _("%(noun)s %(number)s already exists with a different %(column)s "
                                 "(%(stored)s in ARMS)")
                          % {"noun": noun, "number": number, "column": self.header.label(key),
                             "stored": shown if shown not in (None, "") else _("empty")})


@dataclass(frozen=True)
class InvoiceRef:
    """An invoice a row names (a payment's "pay this invoice"): what the checks and the writer need of it, read as
    values in one query a batch, not a model instance (and its customer's) per row."""

    pk: int
    number: str
    customer_id: int
    customer_code: str
    currency: str


class References:
    """What an import pass looks up, asked once per batch and remembered for the pass."""

    def __init__(self, company: Company) -> None:
        self.company = company
        self._customers: dict[str, Customer | None] = {}
        self._contracts: dict[str, Contract | None] = {}
        self._users: dict[str, object] = {}
        self._rates: dict[tuple[str, date], str] = {}

    @staticmethod
    def _load(cache: dict, keys: Iterable[str], fetch: Callable[[set[str]], dict]) -> dict:
        missing = {key for key in keys if key and key not in cache}
        if missing:
            found = fetch(missing)
            cache.update({key: found.get(key) for key in missing})
        return cache

    def customers(self, codes: Iterable[str]) -> dict[str, Customer | None]:
        return self._load(self._customers, codes, lambda codes: {
            c.code: c for c in Customer.objects.filter(Among(F("code"), list(codes)), company=self.company)})

    def contracts(self, numbers: Iterable[str]) -> dict[str, Contract | None]:
        return self._load(self._contracts, numbers, lambda numbers: {
            c.number: c for c in Contract.objects.filter(company=self.company, number__in=numbers)})

    def users(self, names: Iterable[str]) -> dict:
        return self._load(self._users, names, lambda names: {
            u.username: u for u in get_user_model().objects.filter(username__in=names, is_active=True)})

    def existing(self, model, numbers: Iterable[str], *, field: str = "number", related: tuple[str, ...] = ()
                 ) -> dict:
        """Rows of ``model`` whose natural key is one of ``numbers`` (not remembered: they are checked once)."""
        wanted = {n for n in numbers if n}
        if not wanted:
            return {}
        # no ORDER BY (the model's ordering made PostgreSQL sort, and scan the payments) and the related rows in a
        # second query only when some exist: a join here hashed every customer of the book for a batch of numbers
        return {getattr(obj, field): obj for among in Among.chunked(field, wanted)
                for obj in model.objects.filter(among, company=self.company).order_by().prefetch_related(*related)}

    def invoices(self, numbers: Iterable[str]) -> dict[str, InvoiceRef]:
        """The invoices of the company whose number is one of ``numbers`` (not remembered: a payment may change
        what is open on them)."""
        wanted = {n for n in numbers if n}
        if not wanted:
            return {}
        found = [row for among in Among.chunked("number", wanted)
                 for row in Invoice.objects.filter(among, company=self.company).order_by()
                 .values_list("pk", "number", "customer_id", "currency")]
        codes = dict(Customer.objects.filter(Among(F("pk"), list({row[2] for row in found}))).order_by()
                     .values_list("pk", "code"))
        return {number: InvoiceRef(pk, number, customer_id, codes[customer_id], currency)
                for pk, number, customer_id, currency in found}

    def missing_rate(self, currency: str, on: date) -> str:
        """Why a document in ``currency`` dated ``on`` could not be booked in CNY; "" when it can."""
        if (currency, on) not in self._rates:
            try:
                exchange_rate_on(currency, on)
                self._rates[currency, on] = ""
            except ArmsError as exc:
                self._rates[currency, on] = exc.message
        return self._rates[currency, on]


def _batches(rows: Iterator[RowCells]) -> Iterator[list[RowCells]]:
    while batch := list(islice(rows, BATCH)):
        yield batch


def _data_rows(header: Header, rows: Iterator[tuple[int, list[str]]], width: int | None) -> Iterator[RowCells]:
    for line, values in rows:
        if not any(value.strip() for value in values):
            continue
        row = RowCells(header, line, {})
        if width is not None and len(values) < width:  # more fields: ``stray`` names each extra value
            row._errors.append((-1, RowError(line, _("row"), _(
                "has %(count)s fields but the header has %(width)s (a missing or extra comma, or a quote "
                "that spans lines?)") % {"count": len(values), "width": width})))
        for index, value in enumerate(values):
            key = header.positions.get(index)
            if key:
                row.cells[key] = value
            elif key is None and value.strip():
                row.stray(index, value.strip())
        yield row


Check = Callable[[list[RowCells], References, dict[str, dict[str, int]]], Iterator[RowCells]]


def checked_rows(kind: str, rows: Iterator[tuple[int, list[str]]], refs: References, check: Check, *,
                 fixed_width: bool = False) -> Iterator[RowCells]:
    """Every data row of the table, checked by ``check``. The first non-blank row is the header.

    ``fixed_width`` (CSV): every data row must have as many fields as the header, since a row that has
    fewer was split wrongly (a lost quote, a line break inside a cell) and its cells sit under other columns;
    a value beyond the header's last column is refused as stray in every format.
    """
    for line, values in rows:
        if any(value.strip() for value in values):
            header = header_read(kind, line, values)
            width = len(values) if fixed_width else None
            break
    else:
        raise ImportUnreadable(_("The file has no header row."))
    seen: dict[str, dict[str, int]] = defaultdict(dict)
    for batch in _batches(_data_rows(header, rows, width)):
        yield from check(batch, refs, seen)
