"""action_process: carry out one dunning action, once.

In the order an auditor reads them: the letter and statement are rendered (outside the transaction, they only
read), then in one transaction, with the customer row locked first (the ledger's lock order): the PDFs are
stored with their SHA-256, the action is recorded as a collections activity with the letter attached, the task
for the person who holds the level is created, the stop-supply hold is placed, and the e-mail is queued in the
outbox (or, with no address, a task asks the salesperson for one). Everything made is keyed by the action, so
processing again (a retry after a crash) makes nothing twice. The e-mail leaves after the commit.

Several queue consumers process actions side by side (``process_run`` fans a run's actions out in small
batches). Before any work, a worker claims the action with one conditional UPDATE (pending or failed →
processing, stamped ``claimed_at``): a second delivery of the same task, or another worker, finds it claimed and
does nothing. A worker that dies holding a claim leaves the action ``processing``; once the claim is older than
``CLAIM_TIMEOUT`` the next processing (the next delivery, ``arms dunning process``, the UI) claims it again, and
the row lock plus the "done" check in the transaction keep even a late original worker from making anything
twice.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from huey.contrib.djhuey import db_task

from arms.audit.services import audit_record
from arms.cases.selectors import first_active_in_group, person_for_level
from arms.cases.services.activities import activity_record
from arms.cases.services.tasks import task_create, task_create_or_get
from arms.common.locks import customer_qs_for_update, qs_for_update
from arms.common.mail import new_message_id
from arms.domain.money import format_money
from arms.dunning import documents
from arms.dunning.models import (
    ActionStatus,
    DunningAction,
    DunningEmail,
    EmailStatus,
    ReviewStatus,
)
from arms.dunning.services.emails import send_email
from arms.exposure.services import hold_place

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from arms.customers.models import Company, Customer

log = logging.getLogger(__name__)

SOURCE = "dunning"


def _title(action: DunningAction, kind: str) -> str:
    texts = {
        "call": _("Call %(customer)s about %(amount)s overdue"),
        "visit": _("Visit %(customer)s: %(amount)s overdue, supply stopped"),
        "follow_up": _("Escalated to finance: %(customer)s owes %(amount)s after the dunning letter"),
        "legal_review": _("Legal review of %(customer)s: lawyer's letter for %(amount)s"),
        "handoff": _("Hand %(customer)s (%(amount)s) to a collection agency or litigation"),
        "no_address": _("No e-mail address for %(customer)s: add the finance contact's address"),
    }
    return texts[kind] % {"customer": action.customer.name, "amount": format_money(action.open_minor, action.currency)}


def _note(action: DunningAction, letter: documents.Letter, recipients: list[str]) -> str:
    parts = [_("Dunning stage %(offset)+d %(stage)s: %(count)d item(s), %(amount)s open, interest %(interest)s, "
               "penalty %(penalty)s, pay by %(deadline)s.") % {
        "offset": action.stage_offset, "stage": action.stage.name, "count": len(letter.lines),
        "amount": format_money(action.open_minor, action.currency),
        "interest": format_money(action.interest_minor, action.currency),
        "penalty": format_money(action.penalty_minor, action.currency), "deadline": action.deadline}]
    parts.append(", ".join(line.number for line in letter.lines))
    if action.stage.send_email:
        parts.append(_("E-mail to %(to)s.") % {"to": ", ".join(recipients)} if recipients
                     else _("No e-mail address on file."))
    return "\n".join(parts)


def _outcome(action: DunningAction) -> str:
    stage = action.stage
    if stage.letter_kind:
        return "issued"
    if stage.send_email:
        return "queued"
    if stage.stop_supply:
        return "hold_placed"
    return "escalated"


ALL_DOCUMENTS = ("letter", "statement")


@dataclass
class SharedReads:
    """What carrying out many actions in one call (``process_actions``, ``process_batch``) reads once rather than
    once per action: who holds a group's level (legal, credit and finance managers: no customer names them) and
    each company's lawyer's-letter issuer (legal's settings). Both change by an administrator's hand, rarely; a
    change reaches the next call, seconds later. Per-customer reads (its people, contacts, invoices) stay per
    action, under its lock."""

    first_in_group: Callable[[str], User | None] = field(default_factory=lambda: cache(first_active_in_group))
    issuers: dict[int, dict[str, str]] = field(default_factory=dict)

    def letter_issuer(self, company: Company) -> dict[str, str]:
        if company.pk not in self.issuers:
            self.issuers[company.pk] = documents.company_letter_issuer(company)
        return self.issuers[company.pk]

    def person_for_level(self, customer: Customer, level: str) -> User | None:
        return person_for_level(customer, level, first_in_group=self.first_in_group)


def action_process(*, action_id: int, queue_email: bool = True,
                   documents_wanted: Sequence[str] = ALL_DOCUMENTS, reads: SharedReads | None = None) -> DunningAction:
    """Carry out a pending action (see the module docstring). Returns the action; a done one is left alone.

    ``queue_email=False`` leaves the e-mail pending in the outbox without handing it to the queue (the demo,
    which has no SMTP server; ``arms dunning send`` or the outbox's button sends it later). ``documents_wanted``
    names the PDFs to render and store now (the demo renders fewer; the pages render a missing one on demand).
    ``reads``: the ``SharedReads`` of a caller that carries out many actions."""

    action = DunningAction.objects.select_related("customer__company", "customer__dunning_profile", "stage",
                                                  "policy").get(pk=action_id)
    if action.status in (ActionStatus.DONE, ActionStatus.AWAITING_REVIEW):
        return action
    claimed_at = action_claim(action_id)
    if claimed_at is None:  # another worker has it (a second delivery of the same task), or it is done meanwhile
        action.refresh_from_db(fields=["status", "claimed_at"])
        return action
    try:
        return _carry_out(action, claimed_at, reads or SharedReads(), queue_email=queue_email,
                          documents_wanted=documents_wanted)
    except Exception:
        # let go of the claim so the action waits again at once (the caller marks it failed, or retries it)
        try:
            DunningAction.objects.filter(pk=action_id, status=ActionStatus.PROCESSING, claimed_at=claimed_at).update(
                status=ActionStatus.PENDING)
        except Exception:  # the connection or the caller's transaction is broken: the claim times out instead
            log.warning("dunning action %s: the claim could not be let go", action_id, exc_info=True)
        raise


def _lock_customer_with_people(customer_id: int) -> Customer:
    """The customer row locked (the first lock, as ``lock_customer``), with its salesperson and collector read in
    the same query: ``person_for_level`` asks for them (only the customer's row is locked, see ``qs_for_update``)."""
    customer: Customer = customer_qs_for_update().select_related("salesperson", "collector").get(pk=customer_id)
    return customer


def _carry_out(action: DunningAction, claimed_at: datetime, reads: SharedReads, *, queue_email: bool,
               documents_wanted: Sequence[str]) -> DunningAction:
    if action.needs_review:
        return letter_draft(action, reads)
    stage = action.stage
    letter = documents.letter_for(action, company_issuer=reads.letter_issuer(action.customer.company))
    names = documents.file_names(action)
    letter_pdf = documents.render_letter_pdf(letter) if stage.letter_kind and "letter" in documents_wanted else None
    wants_statement = stage.letter_kind or (stage.send_email and stage.attach_statement)
    statement_pdf = (documents.render_statement_pdf(letter) if wants_statement and "statement" in documents_wanted
                     else None)
    recipients = documents.recipients_for(action.customer)
    with translation.override(letter.language):
        subject, body = documents.render_email(letter) if stage.send_email else ("", "")

    with transaction.atomic():
        customer = _lock_customer_with_people(action.customer_id)
        locked = qs_for_update(DunningAction.objects.all()).get(pk=action.pk)
        if locked.status != ActionStatus.PROCESSING or locked.claimed_at != claimed_at:
            return locked  # done meanwhile, or our claim timed out and another worker took it up
        locked.customer, locked.stage, locked.policy = customer, stage, action.policy
        locked.assignee = reads.person_for_level(customer, locked.level)
        if letter_pdf:
            locked.letter_pdf.save(names["letter"], ContentFile(letter_pdf), save=False)
            locked.letter_sha256 = hashlib.sha256(letter_pdf).hexdigest()
        if statement_pdf:
            locked.statement_pdf.save(names["statement"], ContentFile(statement_pdf), save=False)
        evidence = (names["letter"], letter_pdf) if letter_pdf else (names["statement"], statement_pdf)
        invoices = letter.invoice_ids  # the items, as the run wrote them (they never change)
        activity_record(
            customer=customer, kind=stage.activity_kind, outcome=_outcome(locked),
            note=_note(locked, letter, recipients), actor=None, invoices=invoices, source=SOURCE,
            source_ref=f"action:{locked.pk}",
            attachment_name=evidence[0] if evidence[1] else "", attachment_bytes=evidence[1],
        )
        reviewed = locked.review_status == ReviewStatus.APPROVED  # legal had its review task with the draft
        if stage.task_kind and not (reviewed and stage.task_kind == "legal_review"):
            kind = stage.task_kind  # the cases' TaskKind itself
            # task_create_or_get, not task_create: this transaction is the task's (no savepoint of its own)
            task_create_or_get(customer=customer, kind=kind, title=_title(locked, kind), assignee=locked.assignee,
                               level=locked.level, due_on=locked.as_of + timedelta(days=min(stage.deadline_days, 7)),
                               source=SOURCE, source_ref=f"action:{locked.pk}")
        if stage.stop_supply:
            hold_place(customer=customer, reason_code="dunning_stop_supply", source_ref="dunning:stop_supply",
                       note=_("Dunning stage %(offset)+d, action %(id)s: %(amount)s overdue.") % {
                           "offset": locked.stage_offset, "id": locked.pk,
                           "amount": format_money(locked.open_minor, locked.currency)}, actor=None)
        email = None
        if stage.send_email:
            email = DunningEmail.objects.create(
                action=locked, customer=customer, to_address=",".join(recipients), language=letter.language,
                subject=subject, body=body, message_id=new_message_id(f"dunning{locked.pk}"),
                status=EmailStatus.PENDING if recipients else EmailStatus.NO_ADDRESS,
                last_error="" if recipients else "no_address",
            )
            if not recipients:
                task_create_or_get(customer=customer, kind="follow_up", title=_title(locked, "no_address"),
                                   level="sales", due_on=locked.as_of + timedelta(days=2), source=SOURCE,
                                   source_ref=f"action:{locked.pk}:no_address")
        locked.status = ActionStatus.DONE
        locked.processed_at = timezone.now()
        locked.error = ""
        locked.save()
        audit_record(actor=None, action="dunning_action_processed", subject=locked, after={
            "stage": stage.code, "offset": locked.stage_offset, "customer": customer.pk, "items": invoices,
            "open_minor": locked.open_minor, "interest_minor": locked.interest_minor,
            "letter_sha256": locked.letter_sha256, "email": email.status if email else None,
            "assignee": locked.assignee_id})
        if queue_email and email is not None and email.status == EmailStatus.PENDING:
            transaction.on_commit(lambda: send_email(email.pk))
    return locked


def letter_draft(action: DunningAction, reads: SharedReads) -> DunningAction:
    """The lawyer's-letter stage only drafts: the action waits for legal's review (``services/reviews.py``) and
    legal gets a review task; nothing is stored, sent, recorded or held until a second person approves it."""
    with transaction.atomic():
        customer = _lock_customer_with_people(action.customer_id)
        locked = qs_for_update(DunningAction.objects.all(), own_rows_only=True).select_related("run").get(pk=action.pk)
        if locked.status in (ActionStatus.DONE, ActionStatus.AWAITING_REVIEW):
            return locked
        locked.customer, locked.stage, locked.policy = customer, action.stage, action.policy
        locked.assignee = reads.person_for_level(customer, locked.level)
        locked.status, locked.review_status = ActionStatus.AWAITING_REVIEW, ReviewStatus.AWAITING
        locked.drafted_by, locked.error = locked.run.started_by, ""
        locked.save(update_fields=["assignee", "status", "review_status", "drafted_by", "error"])
        review_task(locked, source_ref=f"action:{locked.pk}", reads=reads)
        audit_record(actor=None, action="lawyer_letter_drafted", subject=locked, after={
            "stage": locked.stage.code, "customer": customer.pk, "open_minor": locked.open_minor,
            "drafted_by": locked.drafted_by_id})
    return locked


def review_task(action: DunningAction, *, source_ref: str, reads: SharedReads | None = None) -> None:
    """A task for legal to review the draft (the stage's own task, or a legal review)."""
    legal = (reads or SharedReads()).person_for_level(action.customer, "credit_legal")
    task_create(customer=action.customer, kind="legal_review", title=_title(action, "legal_review"), assignee=legal,
                level="credit_legal", due_on=action.as_of + timedelta(days=min(action.stage.deadline_days, 7)),
                source=SOURCE, source_ref=source_ref)


#: a claim this old is taken to belong to a worker that died: the action may be claimed again
CLAIM_TIMEOUT = timedelta(minutes=15)


def _claimable(now: datetime) -> Q:
    return (Q(status__in=[ActionStatus.PENDING, ActionStatus.FAILED])
            | Q(status=ActionStatus.PROCESSING, claimed_at__lt=now - CLAIM_TIMEOUT))


def action_claim(action_id: int, *, now: datetime | None = None) -> datetime | None:
    """Take the action up for processing, or None if it is not to be taken (done, awaiting review, or claimed by
    another worker less than ``CLAIM_TIMEOUT`` ago). One conditional UPDATE, committed before any work: of two
    workers given the same action, exactly one gets it. Returns the claim's time, the claim's identity."""
    now = now or timezone.now()
    claimed = DunningAction.objects.filter(_claimable(now), pk=action_id).update(
        status=ActionStatus.PROCESSING, claimed_at=now)
    return now if claimed else None


def action_fail(*, action_id: int, error: str) -> None:
    """Note why processing failed; a failed action is tried again by the next processing (UI, CLI, schedule)."""
    DunningAction.objects.filter(pk=action_id, status__in=[ActionStatus.PENDING, ActionStatus.PROCESSING]).update(
        status=ActionStatus.FAILED, error=error[:4000])


def actions_pending(run_id: int | None = None) -> QuerySet[DunningAction, int]:
    """The actions processing would take up now: pending, failed, or claimed by a worker that died."""
    qs = DunningAction.objects.filter(_claimable(timezone.now()))
    if run_id is not None:
        qs = qs.filter(run_id=run_id)
    return qs.order_by("pk").values_list("pk", flat=True)


def process_actions(run_id: int | None = None, *, queue_email: bool = True,
                    documents_wanted: Sequence[str] = ALL_DOCUMENTS,
                    progress: Callable[..., None] | None = None) -> dict[str, int]:
    """Carry out the pending and failed actions (of one run), one transaction each; a failing one is marked and
    the rest go on (``arms dunning process`` or the UI retries it). ``progress(done, total, message, **values)``,
    if given, hears after each one (a background job's progress bar)."""
    done = failed = 0
    pks = list(actions_pending(run_id))
    reads = SharedReads()
    for number, pk in enumerate(pks, start=1):
        if progress is not None:
            progress(number - 1, len(pks), gettext_noop("Carrying out action %(number)d of %(total)d"),
                     number=number, total=len(pks))
        try:
            action_process(action_id=pk, queue_email=queue_email, documents_wanted=documents_wanted, reads=reads)
            done += 1
        except Exception as exc:  # one bad action must not stop the others; it is marked and retried
            log.exception("dunning action %s failed", pk)
            action_fail(action_id=pk, error=f"{type(exc).__name__}: {exc}")
            failed += 1
    return {"done": done, "failed": failed}


#: actions per queue task: small enough that several consumers share a run, large enough to keep the queue short
TASK_BATCH = 20


@db_task()  # type: ignore[untyped-decorator]  # huey ships no types
def process_run(run_id: int) -> int:
    """The queue task queued by ``dunning_run`` after its commit: hands the run's waiting actions to the queue in
    batches of ``TASK_BATCH`` (``process_batch``), so every consumer can take a share. Returns the batches."""
    pks = list(actions_pending(run_id))
    for start in range(0, len(pks), TASK_BATCH):
        process_batch(pks[start:start + TASK_BATCH])
    return -(-len(pks) // TASK_BATCH)


@db_task()  # type: ignore[untyped-decorator]
def process_batch(action_ids: list[int], documents_wanted: Sequence[str] = ALL_DOCUMENTS) -> dict[str, int]:
    """Carry out these actions, each claimed first: a batch delivered twice does each action once.
    ``documents_wanted`` as for ``action_process`` (the bench leaves the PDFs to be rendered on demand)."""
    done = failed = 0
    reads = SharedReads()
    for pk in action_ids:
        try:
            action_process(action_id=pk, documents_wanted=documents_wanted, reads=reads)
            done += 1
        except Exception as exc:  # one bad action must not stop the others; it is marked and retried
            log.exception("dunning action %s failed", pk)
            action_fail(action_id=pk, error=f"{type(exc).__name__}: {exc}")
            failed += 1
    return {"done": done, "failed": failed}


