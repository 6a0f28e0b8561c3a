"""dunning_run: find what is due for which stage (set-based SQL) and write the actions and items in bulk.

The run itself only decides and records: one row per action and one per item (the stage acted on, with the
number of lower stages it passed over; never a row per stage skipped), written by ``COPY`` on PostgreSQL. What
each action then does (activity, task, hold, letter, e-mail) happens in ``action_process`` on the queue, one
short transaction per action, after the run commits. So a run over a million open items is a handful of
queries and bulk inserts, and a failing letter never undoes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.bulk import Table
from arms.common.errors import ValidationFailed
from arms.common.locks import qs_for_update
from arms.customers.services import company_ensure
from arms.domain.dunning import stage_due
from arms.domain.interest import late_interest
from arms.dunning.models import (
    ActionStatus,
    DunningAction,
    DunningExclusion,
    DunningItem,
    DunningPolicy,
    DunningRun,
    ItemOutcome,
    RunStatus,
    RunTrigger,
)
from arms.dunning.selectors import Ladder, due_items, exclusion_active_q, held_open_count, ladders_active
from arms.dunning.services.actions import actions_pending, process_run

if TYPE_CHECKING:
    from django.db.models import Model

    from arms.common.typing import Actor

#: rows fetched from the selection per round trip, and customers grouped before each bulk insert
CHUNK = 5_000

FIELDS = ("pk", "customer_id", "currency", "due_date", "amount_open_minor", "due_offset", "reached", "policy_id",
          "contract__late_interest_rate_daily", "contract__penalty_rate", "contract__late_interest_tiers")


def _rows(as_of: date, ladders: list[Ladder]) -> Iterator[tuple[Any, ...]]:
    """The due items, grouped by customer and currency (the order actions are written in), streamed ``CHUNK``
    rows a round trip: the run holds one chunk of customers, never the whole selection (1.77 million items and
    1.3 GB at 10M invoices when PostgreSQL's rows were read in one go).

    On PostgreSQL ``iterator()`` reads through a server-side cursor, for which the planner by default optimises
    the first rows (``cursor_tuple_fraction`` 0.1) and picked nested loops that took about a minute per 5,000
    rows at a million invoices, where the ordinary plan (hash anti-join) takes seconds. So the cursor is planned
    for the whole result, as an ordinary query is: ``SET LOCAL`` for the run's transaction (``dunning_run`` is
    atomic), which ends with it. The cursor does not see the actions and items the run writes meanwhile
    (PostgreSQL's cursors read the snapshot of their start).
    """
    if not ladders:  # no active policy: nothing is due (and the selection's annotations do not exist)
        return iter(())
    qs = due_items(as_of=as_of, ladders=ladders).order_by("customer_id", "currency", "due_date", "pk")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
    return qs.values_list(*FIELDS).iterator(chunk_size=CHUNK)


class Row(NamedTuple):
    """One item row as it is written (no model instance: a first run writes hundreds of thousands)."""

    invoice_id: int
    customer_id: int
    stage_id: int
    stage_offset: int
    outcome: str
    days_past_due: int
    currency: str
    amount_open_minor: int
    interest_minor: int
    penalty_minor: int
    stages_skipped: int


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field), name  # a concrete column, not a relation's reverse side
    return field


def _db(model: type[Model], name: str, value: object) -> Any:
    return _field(model, name).get_db_prep_save(value, connection)


ITEM_COLUMNS = ["run_id", "action_id", *Row._fields]
ACTION_COLUMNS = ["run_id", "customer_id", "policy_id", "stage_id", "stage_offset", "level", "as_of", "currency",
                  "open_minor", "interest_minor", "penalty_minor", "deadline", "status"]


def _flush(run: DunningRun, pending: dict[Any, list[Row]], counts: dict[str, int]) -> None:
    """Write the actions of the customers gathered so far, then one row per item (the stage acted on, with the
    number of lower stages it passed over): ``COPY`` on PostgreSQL, ``executemany`` on SQLite."""
    if not pending:
        return
    as_of, now = _db(DunningAction, "as_of", run.as_of), timezone.now()
    Table(DunningAction, ACTION_COLUMNS, now).write([
        (run.pk, customer_id, stage.policy_id, stage.pk, stage.offset_days, stage.level, as_of, currency,
         sum(i.amount_open_minor for i in items), sum(i.interest_minor for i in items),
         sum(i.penalty_minor for i in items), _db(DunningAction, "deadline", run.as_of + timedelta(
             days=stage.deadline_days)), ActionStatus.PENDING.value)
        for (customer_id, currency, stage), items in pending.items()
    ])
    ids = {(c, s, cur): pk for pk, c, s, cur in DunningAction.objects.filter(
        run=run, customer_id__in={key[0] for key in pending}).values_list("pk", "customer_id", "stage_id", "currency")}
    rows: list[tuple[object, ...]] = []
    for (customer_id, currency, stage), items in pending.items():
        action_id = ids[(customer_id, stage.pk, currency)]
        rows += [(run.pk, action_id, *item) for item in items]
    Table(DunningItem, ITEM_COLUMNS, now).write(rows)
    counts["actions"] += len(pending)
    counts["items"] += sum(len(items) for items in pending.values())
    counts["skipped"] += sum(item.stages_skipped for items in pending.values() for item in items)
    pending.clear()


def _build(as_of: date, ladder: Ladder, row: tuple[Any, ...]) -> Row:
    (invoice_id, customer_id, currency, due_date, open_minor, due_offset, reached, _policy_id, daily_rate,
     penalty_rate, tiers) = row
    days = (as_of - due_date).days
    choice = stage_due(days_past_due=days, stages=ladder.rules, reached_offset=reached)
    if choice.stage is None or choice.stage.offset_days != due_offset:  # the SQL and the rule must agree
        raise AssertionError(f"invoice {invoice_id}: SQL chose {due_offset}, the rule {choice.stage}")
    charge = late_interest(amount_minor=open_minor, due_date=due_date, as_of=as_of,
                           daily_rate=daily_rate or Decimal(0), penalty_rate=penalty_rate or Decimal(0),
                           grace_days=ladder.policy.grace_days, tiers=tiers)
    return Row(invoice_id, customer_id, ladder.stage_at(due_offset).pk, due_offset, ItemOutcome.ACTIONED.value, days,
               currency, open_minor, charge.interest_minor, charge.penalty_minor, len(choice.skipped))


def dunning_run_check(*, as_of: date, trigger: str) -> None:
    """Refuse what a run cannot be for (before it is queued as a job, and again when it runs)."""
    if trigger not in RunTrigger.values:
        raise ValidationFailed(_("Unknown trigger."), field="trigger")
    if as_of > timezone.localdate() + timedelta(days=1):
        raise ValidationFailed(_("A run cannot be for a day in the future."), field="as_of")


def _process_after_commit(run: DunningRun) -> None:
    transaction.on_commit(lambda: process_run(run.pk))


@transaction.atomic(durable=True)
def dunning_run(*, as_of: date, trigger: str = RunTrigger.CLI, actor: Actor = None, process: bool = True) -> DunningRun:
    """Dun every open item that reached a stage it has not been through, as of ``as_of``.

    One run per company and day: if the day has its run, that run is returned and nothing new is selected
    (with ``process``, its actions still waiting are handed to the queue again). Concurrent calls queue on the
    active policies' rows (SQLite: the IMMEDIATE write lock) and the unique (company, as_of) decides between
    any that get past them, so the others get the winner's run; an item's stage is written at most once ever
    (unique (invoice, stage offset)). With ``process``, each action is processed (activity, task, hold,
    letter, e-mail) once the run commits.
    """
    dunning_run_check(as_of=as_of, trigger=trigger)
    company = company_ensure()
    list(qs_for_update(DunningPolicy.objects.all()).filter(is_active=True).order_by("pk"))
    run = DunningRun.objects.filter(company=company, as_of=as_of).first()
    if run is None:
        try:
            with transaction.atomic():
                run = DunningRun.objects.create(
                    company=company, as_of=as_of, trigger=trigger,
                    started_by=user_or_none(actor))
        except IntegrityError:  # a simultaneous call made the day's run first (no active policy to queue on)
            run = DunningRun.objects.get(company=company, as_of=as_of)
        else:
            _select(run, as_of=as_of, trigger=trigger, actor=actor)
            if process and run.actions_count:
                _process_after_commit(run)
            return run
    if process and actions_pending(run.pk).exists():
        _process_after_commit(run)
    return run


def _select(run: DunningRun, *, as_of: date, trigger: str, actor: Actor) -> None:
    """Select what is due and write the run's actions and items, its counts and its audit event."""
    ladders = ladders_active()
    by_policy = {ladder.policy.pk: ladder for ladder in ladders}
    counts = {"actions": 0, "items": 0, "skipped": 0}
    pending: dict[Any, list[Row]] = {}
    current_customer = None
    for row in _rows(as_of, ladders):
        customer_id = row[1]
        if customer_id != current_customer and len(pending) >= CHUNK:
            _flush(run, pending, counts)
        current_customer = customer_id
        ladder = by_policy[row[7]]
        item = _build(as_of, ladder, row)
        pending.setdefault((customer_id, row[2], ladder.stage_at(item.stage_offset)), []).append(item)
    _flush(run, pending, counts)

    run.actions_count, run.items_count, run.skipped_count = counts["actions"], counts["items"], counts["skipped"]
    run.held_count = held_open_count(as_of) if ladders else 0
    run.excluded_count = DunningExclusion.objects.filter(exclusion_active_q(as_of)).count()
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["actions_count", "items_count", "skipped_count", "held_count", "excluded_count",
                            "status", "finished_at"])
    audit_record(actor=actor, action="dunning_run_finished", subject=run, after={
        "as_of": as_of, "trigger": trigger, **counts, "held": run.held_count, "excluded": run.excluded_count})
