"""The reads of provisioning: open amounts per customer and band on a day, the allowance booked, the assessments in
force, loss rates from month-end history, runs and their lines.

Every figure is one aggregate query over the whole book (or one per month-end for the history), never a query
or a model instance per customer: a run is designed for 100k customers.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from arms.common.errors import NotFound
from arms.customers.models import Customer
from arms.domain import provisioning as rules
from arms.domain.journal import AccountCode
from arms.domain.terms import month_end
from arms.ledger.balances import open_items_as_of
from arms.ledger.models import JournalLine
from arms.provisioning.models import IndividualAssessment, ProvisionLine, ProvisionMatrix, ProvisionRun

if TYPE_CHECKING:
    from arms.customers.models import Company


def _band_case(as_of: date, uppers: list[int | None]) -> Case:
    """The band of an open item by days past due, as ``CASE WHEN due_date >= as_of - high ...`` (an indexed date
    compared with constants: the same on SQLite and PostgreSQL)."""
    whens = [When(due_date__gte=as_of - timedelta(days=high), then=Value(index))
             for index, high in enumerate(uppers) if high is not None]
    return Case(*whens, default=Value(len(uppers) - 1), output_field=IntegerField())


def open_by_customer_band(*, company: Company, as_of: date, uppers: list[int | None]) -> dict[int, list[int]]:
    """``{customer_id: [CNY fen open in each band]}`` at the end of ``as_of``, for bands ending on the days past
    due ``uppers`` (None: open-ended). One grouped query over the open items of that day."""
    customers = Customer.objects.filter(company=company)
    rows = (open_items_as_of(as_of, customers=customers)
            .annotate(band=_band_case(as_of, uppers)).order_by()
            .values("customer_id", "band").annotate(total=Sum("open_base_as_of"))
            .values_list("customer_id", "band", "total"))
    result: dict[int, list[int]] = {}
    for customer_id, band, total in rows:
        result.setdefault(customer_id, [0] * len(uppers))[band] += int(total or 0)
    return result


def allowance_booked(*, company: Company, as_of: date) -> dict[int, int]:
    """``{customer_id: CNY fen}``: each customer's 1231 坏账准备 balance (credit − debit) from entries dated on or
    before ``as_of``; provision runs, bad-debt write-offs and their recoveries all move it. Zero left out."""
    rows = (JournalLine.objects.filter(account__code=AccountCode.ALLOWANCE, entry__company=company,
                                       entry__date__lte=as_of)
            .order_by().values("customer_id").annotate(credit=Sum("credit_minor"), debit=Sum("debit_minor"))
            .values_list("customer_id", "credit", "debit"))
    return {customer_id: (credit or 0) - (debit or 0) for customer_id, credit, debit in rows
            if (credit or 0) != (debit or 0)}


def assessments_in_force(*, company: Company, as_of: date) -> dict[int, IndividualAssessment]:
    """The individual assessment each customer has in force on ``as_of`` (valid from on or before it, not ended by
    it); the latest when two overlap."""
    qs = (IndividualAssessment.objects.filter(company=company, valid_from__lte=as_of)
          .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)).order_by("customer_id", "valid_from", "id"))
    return {a.customer_id: a for a in qs}


def industries(*, company: Company, customer_ids: set[int]) -> dict[int, str]:
    """``{customer_id: industry}`` of the company's customers (one query; the ids filter in Python, no IN list)."""
    return {pk: industry for pk, industry in
            Customer.objects.filter(company=company).values_list("pk", "industry").iterator(chunk_size=5000)
            if pk in customer_ids}


def assessment_list(*, company: Company) -> QuerySet[IndividualAssessment]:
    return (IndividualAssessment.objects.filter(company=company)
            .select_related("customer", "created_by").order_by("ended_on", "-valid_from", "-id"))


def matrix_list(*, company: Company) -> QuerySet[ProvisionMatrix]:
    return ProvisionMatrix.objects.filter(company=company).select_related("created_by").order_by("-version")


def run_list(*, company: Company | None = None) -> QuerySet[ProvisionRun]:
    qs = ProvisionRun.objects.select_related("matrix", "posted_by", "company")
    if company is not None:
        qs = qs.filter(company=company)
    return qs.order_by("-as_of", "-id")


def run_get(*, run_id: int) -> ProvisionRun:
    run = ProvisionRun.objects.select_related("matrix", "company", "posted_by").filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("No such provision run."), field="run")
    return run


def run_lines(run: ProvisionRun) -> QuerySet[ProvisionLine]:
    return (ProvisionLine.objects.filter(run=run).select_related("customer", "assessment")
            .order_by("-required_minor", "customer__code"))


def latest_run(*, company: Company) -> ProvisionRun | None:
    return ProvisionRun.objects.filter(company=company).order_by("-as_of").first()


def month_ends_before(as_of: date, months: int) -> list[date]:
    """The ``months`` month ends up to ``as_of``'s month (``as_of`` itself when it is one), oldest first."""
    ends: list[date] = []
    day = as_of if as_of == month_end(as_of) else as_of.replace(day=1) - timedelta(days=1)
    for _index in range(months):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return ends[::-1]


def roll_snapshot(*, company: Company, as_of: date) -> list[int]:
    """What was open at the end of ``as_of`` (CNY fen) in each monthly roll-rate bucket. One query."""
    uppers: list[int | None] = [0, *(rules.ROLL_BUCKET_DAYS * k for k in range(1, rules.ROLL_BUCKETS - 1)), None]
    totals = [0] * rules.ROLL_BUCKETS
    for by_band in open_by_customer_band(company=company, as_of=as_of, uppers=uppers).values():
        for index, amount in enumerate(by_band):
            totals[index] += amount
    return totals


def loss_rates(*, company: Company, as_of: date, months: int = 12) -> dict[str, Any]:
    """Roll rates and loss rates from the month ends of the last ``months`` months (one query per month end),
    and each band of the active matrix beside its historical loss rate."""
    ends = month_ends_before(as_of, months + 1)
    snapshots = [roll_snapshot(company=company, as_of=end) for end in ends]
    rates = rules.roll_rates(snapshots)
    buckets = []
    for index in range(rules.ROLL_BUCKETS):
        low = rules.roll_bucket_start(index)
        high = None if index == rules.ROLL_BUCKETS - 1 else (0 if index == 0 else rules.ROLL_BUCKET_DAYS * index)
        buckets.append({"index": index, "low": low, "high": high,
                        "roll_bp": rates.roll_bp[index] if index < len(rates.roll_bp) else None,
                        "loss_bp": rates.loss_bp[index], "weight_minor": rates.weight[index]})
    return {"as_of": as_of, "month_ends": ends, "periods": rates.periods, "buckets": buckets, "rates": rates}


def band_history(matrix: rules.Matrix, history: dict[str, Any]) -> list[int]:
    return rules.band_loss_rates(matrix, history["rates"])

