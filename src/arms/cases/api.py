"""/api/v1/collections: activities, tasks, promises to pay, installment plans, disputes, the worklist, one
customer's case, the evidence bundle, and the daily checks on demand.

Each endpoint checks the permission, finds rows through the viewer's customer visibility (another
salesperson's customer, and everything of theirs, is 404), calls one service and renders the result.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from arms.cases import selectors, services
from arms.cases.enums import TaskStatus
from arms.cases.jobs import bundle_job_start, check_job_start
from arms.cases.models import Attachment
from arms.cases.schemas import (
    ActivityFilters,
    ActivityIn,
    ActivityOut,
    ActivityPage,
    ActivityUploadIn,
    BundleIn,
    CaseOut,
    CheckIn,
    DecisionIn,
    DisputeFilters,
    DisputeIn,
    DisputeOut,
    DisputePage,
    DisputeResolveIn,
    PlanFilters,
    PlanIn,
    PlanOut,
    PlanPage,
    PromiseFilters,
    PromiseIn,
    PromiseOut,
    PromisePage,
    TaskCancelIn,
    TaskCompleteIn,
    TaskFilters,
    TaskIn,
    TaskOut,
    TaskPage,
    WorklistOut,
    WorklistQuery,
)
from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.api_types import idempotency_header
from arms.common.errors import NotFound, ValidationFailed
from arms.common.files import file_response
from arms.common.pagination import PageParams, paginate
from arms.common.uploads import upload_check
from arms.customers.selectors import customer_get
from arms.ledger import selectors as ledger
from arms.ledger.selectors import invoice_list

router = Router(tags=["Collections"])



def _one(qs, pk: int, *, label: str, field: str):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("%(label)s %(id)s not found.") % {"label": label, "id": pk}, field=field)
    return obj


def _user(pk: int | None, field: str):
    if pk is None:
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationFailed(_("User %(id)s not found.") % {"id": pk}, field=field)
    return user


def _visible_invoice_ids(request, ids: list[int], field: str) -> list[int]:
    """The ids, checked visible to the user (an unseen invoice is 422 naming the field, not a leak)."""
    found = set(invoice_list(user=request.user).filter(pk__in=ids).values_list("pk", flat=True))
    for pk in ids:
        if pk not in found:
            raise ValidationFailed(_("Invoice %(id)s not found.") % {"id": pk}, field=field)
    return ids


# ---------------------------------------------------------------- activities


def _activity_record(request, payload: ActivityIn, *, name: str = "", content: bytes | None = None):
    require_perm(request, "cases.add_activity")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    activity = services.activity_record(
        customer=customer, kind=payload.kind, direction=payload.direction, outcome=payload.outcome,
        note=payload.note, occurred_at=payload.occurred_at, actor=request.user,
        invoices=_visible_invoice_ids(request, payload.invoice_ids, "invoice_ids"),
        attachment_name=name, attachment_bytes=content,
    )
    return Status(201, selectors.activity_list(user=request.user).get(pk=activity.pk))


@router.post("/activities", response={201: ActivityOut}, summary="Record a call, e-mail, visit, letter or note")
def activity_create(request, payload: ActivityIn):
    return _activity_record(request, payload)


@router.post("/activities/upload", response={201: ActivityOut},
             summary="Record an activity with an attached file (multipart: the fields and `file`, at most 20 MB)")
def activity_create_with_file(request, payload: Form[ActivityUploadIn], file: File[UploadedFile]):
    require_perm(request, "cases.add_activity")
    upload_check(file, field="file")
    return _activity_record(request, payload, name=payload.attachment_name or file.name or "", content=file.read())


@router.get("/activities", response=ActivityPage, summary="The activity log, newest first")
def activity_list(request, filters: Query[ActivityFilters], page: Query[PageParams]):
    require_perm(request, "cases.view_activity")
    data = filters.model_dump()
    data["kind"] = data["kind"] or ""
    return paginate(selectors.activity_list(user=request.user, **data), limit=page.limit, offset=page.offset)


@router.get("/activities/{activity_id}/attachment", summary="The activity's attached file",
            response={200: None})
def activity_attachment(request, activity_id: int):
    require_perm(request, "cases.view_activity")
    activity = _one(selectors.activity_list(user=request.user).filter(attachment__isnull=False), activity_id,
                    label=_("Attachment"), field="activity_id")

    attachment = Attachment.objects.get(pk=activity.attachment_id)
    return file_response(attachment.content, filename=activity.attachment_name, content_type=attachment.content_type,
                         sha256=attachment.sha256)


# ---------------------------------------------------------------- tasks


def _task(request, task_id: int):
    return _one(selectors.task_list(user=request.user), task_id, label=_("Task"), field="task_id")


@router.post("/tasks", response={201: TaskOut}, summary="Create a task for a level's person (or a named one)")
def task_create(request, payload: TaskIn):
    require_perm(request, "cases.add_task")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    task = services.task_create(customer=customer, kind=payload.kind, title=payload.title, level=payload.level,
                                due_on=payload.due_on, assignee=_user(payload.assignee_id, "assignee_id"),
                                actor=request.user)
    return Status(201, _task(request, task.pk))


@router.get("/tasks", response=TaskPage, summary="Tasks, earliest due first")
def task_list(request, filters: Query[TaskFilters], page: Query[PageParams]):
    require_perm(request, "cases.view_task")
    qs = selectors.task_list(user=request.user, assignee_id=request.user.pk if filters.mine else filters.assignee_id,
                             status=filters.status or "", customer_id=filters.customer_id,
                             due_before=filters.due_before)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/tasks/{task_id}/complete", response=TaskOut, summary="Mark done; records an activity")
def task_complete(request, task_id: int, payload: TaskCompleteIn):
    require_perm(request, "cases.change_task")
    task = services.task_complete(task=_task(request, task_id), actor=request.user, outcome=payload.outcome,
                                  note=payload.note)
    return _task(request, task.pk)


@router.post("/tasks/{task_id}/cancel", response=TaskOut, summary="Cancel an open task")
def task_cancel(request, task_id: int, payload: TaskCancelIn):
    require_perm(request, "cases.change_task")
    task = services.task_cancel(task=_task(request, task_id), actor=request.user, note=payload.note)
    return _task(request, task.pk)


# ---------------------------------------------------------------- promises


@router.post("/promises", response={201: PromiseOut}, summary="Record a promise to pay")
def promise_create(request, payload: PromiseIn, idempotency_key: str | None = idempotency_header()):
    require_perm(request, "cases.add_promisetopay")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    promise = services.promise_record(
        customer=customer, amount_minor=payload.amount_minor, promised_on=payload.promised_on,
        made_on=payload.made_on, invoices=_visible_invoice_ids(request, payload.invoice_ids, "invoice_ids"),
        currency=payload.currency, contact_name=payload.contact_name, note=payload.note, level=payload.level,
        actor=request.user, idempotency_key=idempotency_key,
    )
    return Status(201, selectors.promise_list(user=request.user).get(pk=promise.pk))


@router.get("/promises", response=PromisePage, summary="Promises to pay")
def promise_list(request, filters: Query[PromiseFilters], page: Query[PageParams]):
    require_perm(request, "cases.view_promisetopay")
    qs = selectors.promise_list(user=request.user, customer_id=filters.customer_id, status=filters.status or "")
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/promises/{promise_id}/cancel", response=PromiseOut, summary="Withdraw an open promise")
def promise_cancel(request, promise_id: int, payload: DecisionIn):
    require_perm(request, "cases.change_promisetopay")
    qs = selectors.promise_list(user=request.user)
    promise = _one(qs, promise_id, label=_("Promise"), field="promise_id")
    services.promise_cancel(promise=promise, actor=request.user, note=payload.note)
    return qs.get(pk=promise_id)


# ---------------------------------------------------------------- installment plans


def _plan(request, plan_id: int):
    return _one(selectors.plan_list(user=request.user), plan_id, label=_("Installment plan"), field="plan_id")


@router.post("/plans", response={201: PlanOut}, summary="Request an installment plan (分期付款)")
def plan_create(request, payload: PlanIn, idempotency_key: str | None = idempotency_header()):
    require_perm(request, "cases.add_installmentplan")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    schedule = ([services.ScheduleLine(line.due_on, line.amount_minor) for line in payload.schedule]
                if payload.schedule else None)
    plan = services.plan_request(
        customer=customer, invoices=_visible_invoice_ids(request, payload.invoice_ids, "invoice_ids"),
        actor=request.user, installments=payload.installments, first_due_on=payload.first_due_on,
        every_months=payload.every_months, schedule=schedule, total_minor=payload.total_minor,
        grace_days=payload.grace_days, starts_on=payload.starts_on, note=payload.note,
        idempotency_key=idempotency_key,
    )
    return Status(201, _plan(request, plan.pk))


@router.get("/plans", response=PlanPage, summary="Installment plans")
def plan_list(request, filters: Query[PlanFilters], page: Query[PageParams]):
    require_perm(request, "cases.view_installmentplan")
    qs = selectors.plan_list(user=request.user, customer_id=filters.customer_id, status=filters.status or "")
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/plans/{plan_id}/approve", response=PlanOut, summary="Approve (a finance manager, not the requester)")
def plan_approve(request, plan_id: int, payload: DecisionIn):
    require_perm(request, "cases.approve_installmentplan")
    services.plan_approve(plan=_plan(request, plan_id), actor=request.user, note=payload.note)
    return _plan(request, plan_id)


@router.post("/plans/{plan_id}/reject", response=PlanOut, summary="Reject (a finance manager, not the requester)")
def plan_reject(request, plan_id: int, payload: DecisionIn):
    require_perm(request, "cases.approve_installmentplan")
    services.plan_reject(plan=_plan(request, plan_id), actor=request.user, note=payload.note)
    return _plan(request, plan_id)


# ---------------------------------------------------------------- disputes


def _dispute(request, dispute_id: int):
    return _one(selectors.dispute_list(user=request.user), dispute_id, label=_("Dispute"), field="dispute_id")


@router.post("/disputes", response={201: DisputeOut}, summary="Raise a dispute (争议) on an invoice")
def dispute_create(request, payload: DisputeIn, idempotency_key: str | None = idempotency_header()):
    require_perm(request, "cases.add_dispute")
    invoice = _one(invoice_list(user=request.user), payload.invoice_id, label=_("Invoice"), field="invoice_id")
    dispute = services.dispute_raise(
        invoice=invoice, amount_minor=payload.amount_minor, reason_code=payload.reason_code, actor=request.user,
        description=payload.description, department=payload.department or "",
        owner=_user(payload.owner_id, "owner_id"), raised_on=payload.raised_on, idempotency_key=idempotency_key,
    )
    return Status(201, _dispute(request, dispute.pk))


@router.get("/disputes", response=DisputePage, summary="Disputes")
def dispute_list(request, filters: Query[DisputeFilters], page: Query[PageParams]):
    require_perm(request, "cases.view_dispute")
    qs = selectors.dispute_list(user=request.user, customer_id=filters.customer_id, status=filters.status or "",
                                invoice_id=filters.invoice_id, owner_id=filters.owner_id)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/disputes/{dispute_id}/resolve", response=DisputeOut,
             summary="Close: credit note (posted in the ledger), corrected invoice, or rejected")
def dispute_resolve(request, dispute_id: int, payload: DisputeResolveIn):
    require_perm(request, "cases.change_dispute")
    services.dispute_resolve(
        dispute=_dispute(request, dispute_id), resolution=payload.resolution, actor=request.user, note=payload.note,
        on=payload.on, credit_minor=payload.credit_minor, corrected_invoice_ref=payload.corrected_invoice_ref,
    )
    return _dispute(request, dispute_id)


# ---------------------------------------------------------------- worklist, case, bundle, checks


@router.get("/worklist", response=WorklistOut, summary="Customers with open items, ranked by the worklist score")
def worklist(request, query: Query[WorklistQuery], page: Query[PageParams]):
    require_perm(request, "cases.view_activity")
    as_of = query.as_of or timezone.localdate()
    rows = selectors.worklist(user=request.user, as_of=as_of, collector_id=query.collector_id, grade=query.grade,
                              region=query.region, bucket=query.bucket, has_open_tasks=query.has_open_tasks,
                              search=query.search)
    if not 1 <= page.limit <= 500 or page.offset < 0:
        raise ValidationFailed(_("limit must be between 1 and 500, offset not negative."), field="limit")
    items = []
    for rank, row in enumerate(rows[page.offset:page.offset + page.limit], start=page.offset + 1):
        collector = row.customer.collector
        items.append({
            "rank": rank, "customer_id": row.customer.pk, "customer_code": row.customer.code,
            "customer_name": row.customer.name, "collector": collector.get_username() if collector else None,
            "score": row.score, "score_parts": {"amount": row.parts.amount, "age": row.parts.age,
                                                "grade": row.parts.grade, "promises": row.parts.promises},
            "grade": row.grade, "max_days_overdue": row.max_days_overdue,
            "overdue_base_minor": row.overdue_base_minor, "open_by_currency": row.open_by_currency,
            "overdue_by_currency": row.overdue_by_currency, "open_tasks": row.open_tasks,
            "next_task_due": row.next_task_due, "open_promises": row.open_promises,
            "open_disputes": row.open_disputes, "broken_promises": row.facts.broken_promises,
        })
    return {"as_of": as_of, "count": len(rows), "items": items}


@router.get("/customers/{customer_id}/case", response=CaseOut, summary="One customer's case")
def case(request, customer_id: int):
    require_perm(request, "cases.view_activity", "ledger.view_invoice")
    customer = customer_get(user=request.user, customer_id=customer_id)
    today = timezone.localdate()
    disputed = dict(selectors.disputed_open_minor(as_of=today).filter(invoice__customer=customer))
    held = set(selectors.invoice_ids_held_from_dunning(as_of=today).filter(customer=customer))
    return {
        "customer_id": customer.pk, "customer_code": customer.code, "customer_name": customer.name, "as_of": today,
        "balances": ledger.customer_balances(customer.pk),
        "open_items": [{"id": inv.pk, "number": inv.number, "due_date": inv.due_date, "currency": inv.currency,
                        "amount_open_minor": inv.amount_open_minor, "disputed_minor": disputed.get(inv.pk, 0),
                        "held_from_dunning": inv.pk in held}
                       for inv in ledger.open_items_for_customer(customer.pk)],
        "open_tasks": list(selectors.task_list(user=request.user, customer_id=customer.pk, status=TaskStatus.OPEN)),
        "activities": list(selectors.activity_list(user=request.user, customer_id=customer.pk)[:100]),
        "promises": list(selectors.promise_list(user=request.user, customer_id=customer.pk)),
        "plans": list(selectors.plan_list(user=request.user, customer_id=customer.pk)),
        "disputes": list(selectors.dispute_list(user=request.user, customer_id=customer.pk)),
    }


@router.post("/customers/{customer_id}/bundle", response=ACCEPTED,
             summary="Evidence bundle for a hand-off: a ZIP with a PDF index (a background job)")
def bundle(request, customer_id: int, payload: BundleIn):
    """202 with the job and ``Location: /api/v1/jobs/{id}``; the finished job's file is the ZIP
    (``GET /api/v1/jobs/{id}/file``) and ``result_data`` names its SHA-256 and the hand-off activity."""
    require_perm(request, "cases.export_bundle")
    customer = customer_get(user=request.user, customer_id=customer_id)
    job, _created = bundle_job_start(customer=customer, recipient=payload.recipient, note=payload.note,
                                     actor=request.user)
    return job_accepted(request, job)


@router.post("/check", response=ACCEPTED,
             summary="Run the daily checks now: promises, plans, dispute SLAs (a background job)")
def check(request, payload: CheckIn):
    """202 with the job and ``Location``; when done, ``result_data`` is ``{"date", "promises": {...},
    "plans": {...}, "disputes": {...}}`` with the counts of each check. One job per day at a time."""
    require_perm(request, "cases.change_promisetopay")
    job, _created = check_job_start(as_of=payload.date or timezone.localdate(), actor=request.user)
    return job_accepted(request, job)
