"""The reads of stress tests: scenarios and runs, the customers a scenario touches, and the cost of overdue.

Every figure over the book is one grouped query (or one stream of ``values`` rows), never a model instance per
customer or item; customer sets (the defaulted, the migrating) are held in Python and tested per row, never sent
back to the database as an ``IN`` list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.common.errors import NotFound
from arms.customers.models import Customer
from arms.domain import stress as rules
from arms.domain.money import divide_half_up
from arms.ledger.balances import open_items_as_of
from arms.stress.models import Scenario, ScenarioRun

if TYPE_CHECKING:
    from arms.customers.models import Company

CHUNK = 5000
#: how the cost of overdue is grouped
GROUPS = ("customer", "collector", "salesperson")


def scenario_list(*, company: Company) -> QuerySet[Scenario]:
    return Scenario.objects.filter(company=company).select_related("created_by").order_by("-is_standard", "name")


def scenario_get(*, company: Company, scenario_id: int) -> Scenario:
    found = Scenario.objects.filter(company=company, pk=scenario_id).select_related("created_by").first()
    if found is None:
        raise NotFound(_("No such stress scenario."), field="scenario")
    return found


def standard_scenario(*, company: Company) -> Scenario | None:
    return Scenario.objects.filter(company=company, is_standard=True).first()


def run_list(*, company: Company, scenario_id: int | None = None) -> QuerySet[ScenarioRun]:
    qs = ScenarioRun.objects.filter(company=company).select_related("created_by", "scenario")
    if scenario_id is not None:
        qs = qs.filter(scenario_id=scenario_id)
    return qs.order_by("-created_at", "-id")


def run_get(*, company: Company, run_id: int) -> ScenarioRun:
    found = ScenarioRun.objects.filter(company=company, pk=run_id).select_related("created_by", "scenario").first()
    if found is None:
        raise NotFound(_("No such scenario run."), field="run")
    return found


def latest_run(*, company: Company, scenario_id: int) -> ScenarioRun | None:
    return ScenarioRun.objects.filter(company=company, scenario_id=scenario_id).order_by("-created_at", "-id").first()


# --- who a scenario touches -------------------------------------------------------------------------------------

def largest_customers(*, company: Company, as_of: date, count: int) -> list[tuple[int, int]]:
    """The ``count`` customers with the largest open CNY balance at the end of ``as_of``: ``[(id, fen)]``."""
    if count <= 0:
        return []
    rows = (open_items_as_of(as_of, customers=Customer.objects.filter(company=company)).order_by()
            .values("customer_id").annotate(total=Sum("open_base_as_of")).order_by("-total", "customer_id")
            .values_list("customer_id", "total")[:count])
    return [(customer_id, int(total or 0)) for customer_id, total in rows]


def customers_of_grade(*, company: Company, grade: str) -> set[int]:
    """The ids of the company's customers rated ``grade`` (one query, streamed)."""
    if not grade:
        return set()
    return set(Customer.objects.filter(company=company, credit_profile__grade=grade)
               .values_list("pk", flat=True).iterator(chunk_size=CHUNK))


def customer_labels_all(*, company: Company) -> dict[int, tuple[str, str]]:
    """``{id: (code, name)}`` of every customer of the company, streamed (an export of the whole book)."""
    return {pk: (code, name) for pk, code, name in
            Customer.objects.filter(company=company).values_list("pk", "code", "name").iterator(chunk_size=CHUNK)}


def customer_labels(customer_ids: list[int]) -> dict[int, tuple[str, str]]:
    """``{id: (code, name)}`` of a few customers (a page, the defaulted: at most a few dozen ids)."""
    return {pk: (code, name) for pk, code, name in
            Customer.objects.filter(pk__in=customer_ids).values_list("pk", "code", "name")}


# --- the cost of overdue ----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CostRow:
    key: int | None  # the customer, collector or salesperson (None: nobody assigned)
    overdue_minor: int  # CNY fen overdue on the day
    amount_days: int  # Σ amount × days overdue (fen-days)
    cost_minor: int  # the financing cost at the rate, CNY fen
    customers: int

    @property
    def average_days(self) -> int:
        """Days overdue weighted by amount, rounded half up."""
        return divide_half_up(self.amount_days, self.overdue_minor) if self.overdue_minor else 0


def overdue_cost(*, company: Company, as_of: date, rate_bp: int, group_by: str = "customer") -> list[CostRow]:
    """The financing cost of the overdue receivables at the end of ``as_of``, per customer (or per collector or
    salesperson: the sum of their customers' costs), largest first. One grouped query over the overdue items
    (a row per customer and due date) and, for a team, one over the customers' owners."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by is one of {GROUPS}")
    customers = Customer.objects.filter(company=company)
    rows = (open_items_as_of(as_of, customers=customers).filter(due_date__lt=as_of).order_by()
            .values("customer_id", "due_date").annotate(total=Sum("open_base_as_of"))
            .values_list("customer_id", "due_date", "total").iterator(chunk_size=CHUNK))
    overdue: dict[int, int] = defaultdict(int)
    amount_days: dict[int, int] = defaultdict(int)
    for customer_id, due, total in rows:
        amount = int(total or 0)
        overdue[customer_id] += amount
        amount_days[customer_id] += amount * (as_of - due).days
    per_customer = {cid: CostRow(cid, overdue[cid], amount_days[cid],
                                 rules.overdue_cost(amount_days[cid], rate_bp), 1)
                    for cid in overdue if overdue[cid] > 0}
    if group_by == "customer":
        result = list(per_customer.values())
    else:
        owners = dict(customers.values_list("pk", f"{group_by}_id").iterator(chunk_size=CHUNK))
        grouped: dict[int | None, list[CostRow]] = defaultdict(list)
        for row in per_customer.values():
            grouped[owners.get(row.key)].append(row)
        result = [CostRow(key, sum(r.overdue_minor for r in group), sum(r.amount_days for r in group),
                          sum(r.cost_minor for r in group), len(group)) for key, group in grouped.items()]
    return sorted(result, key=lambda r: (-r.cost_minor, -r.overdue_minor, r.key or 0))


def people_labels(user_ids: list[int]) -> dict[int | None, str]:
    """``{user id: name as written}`` of a page's collectors or salespeople."""
    return {user.pk: person_name(user) for user in get_user_model().objects.filter(pk__in=user_ids)}
