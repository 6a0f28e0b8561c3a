"""/api/v1/dunning: policies, runs, actions with their letters, the e-mail outbox, exclusions, interest preview.

    GET  /policies                       policies with their ladders       POST /policies, PUT /policies/{id}
    POST /runs {"as_of"}                 dun everything due that day: 202, the job (one run per company and day)
    GET  /runs, /runs/{id}               runs, newest first
    GET  /actions?run_id=&customer_id=&stage_code=&status=&level=&email_status=
    GET  /actions/{id}                   one action with its items and e-mail
    GET  /actions/{id}/letter.pdf        the letter as sent; /actions/{id}/statement.pdf the statement
    POST /actions/{id}/process           carry out a pending or failed action now
    GET  /emails?status=                 the outbox      POST /emails/{id}/retry; POST /emails/retry (202, a job)
    GET  /exclusions                     POST /exclusions, POST /exclusions/{id}/lift
    GET  /customers/{id}                 the customer's policy, language, exclusion and highest stage reached
    PUT  /customers/{id}/profile         the customer's language and own policy
    GET  /interest?invoice_id=&as_of=    late interest and penalty by the contract clause (or given rates)

Lists follow the viewer's customer visibility (sales staff see their own customers only); lawyer's letters need
``dunning.view_lawyer_letter``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.api_types import money_text
from arms.common.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from arms.common.files import file_response
from arms.common.pagination import PageParams, paginate
from arms.customers.selectors import customer_get
from arms.domain.interest import late_interest
from arms.dunning import selectors
from arms.dunning.documents import file_names, may_read, stored_or_rendered
from arms.dunning.jobs import emails_retry_job_start, run_job_start
from arms.dunning.models import DunningEmail, DunningExclusion, DunningPolicy, RunTrigger
from arms.dunning.schemas import (
    ActionDetailOut,
    ActionFilters,
    ActionPage,
    CustomerDunningOut,
    DunningPolicyIn,
    DunningPolicyOut,
    EmailOut,
    EmailPage,
    ExclusionIn,
    ExclusionOut,
    ExclusionPage,
    InterestOut,
    InterestQuery,
    LiftIn,
    PolicyUpdateIn,
    ProfileIn,
    RunIn,
    RunOut,
    RunPage,
)
from arms.dunning.services import (
    action_process,
    email_send,
    exclusion_add,
    exclusion_lift,
    policy_create,
    policy_update,
    profile_set,
)
from arms.ledger.selectors import invoice_list

router = Router(tags=["Dunning"])


def _policy(policy_id: int) -> DunningPolicy:
    policy = DunningPolicy.objects.filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(_("Policy %(id)s not found.") % {"id": policy_id}, field="policy_id")
    return policy


# ---------------------------------------------------------------- policies


@router.get("/policies", response=list[DunningPolicyOut], summary="Dunning policies with their ladders")
def policies(request):
    require_perm(request, "dunning.view_dunningpolicy")
    return list(DunningPolicy.objects.prefetch_related("stages").order_by("priority", "code"))


@router.get("/policies/{policy_id}", response=DunningPolicyOut, summary="One policy")
def policy_detail(request, policy_id: int):
    require_perm(request, "dunning.view_dunningpolicy")
    return _policy(policy_id)


@router.post("/policies", response={201: DunningPolicyOut}, summary="Create a policy with its ladder")
def policy_add(request, payload: DunningPolicyIn):
    require_perm(request, "dunning.add_dunningpolicy", "dunning.add_dunningstage")
    data = payload.model_dump()
    stages = data.pop("stages")
    return Status(201, policy_create(actor=request.user, stages=stages, **data))


@router.put("/policies/{policy_id}", response=DunningPolicyOut, summary="Change a policy or its ladder")
def policy_change(request, policy_id: int, payload: PolicyUpdateIn):
    require_perm(request, "dunning.change_dunningpolicy", "dunning.change_dunningstage")
    data = payload.model_dump(exclude_none=True)
    return policy_update(actor=request.user, policy=_policy(policy_id), **data)


# ---------------------------------------------------------------- runs


@router.post("/runs", response=ACCEPTED, summary="Dun everything due on a day (a background job)")
def run_start(request, payload: RunIn):
    """202 with the job and ``Location: /api/v1/jobs/{id}``. The job makes the day's run (or finds it: one run
    per company and day) and carries out its actions; when done, ``result_data.run_id`` names the run. Asked
    again while the day's job is under way, it answers with that job."""
    require_perm(request, "dunning.add_dunningrun")
    job, _created = run_job_start(as_of=payload.as_of or timezone.localdate(), trigger=RunTrigger.API,
                                  actor=request.user)
    return job_accepted(request, job)


@router.get("/runs", response=RunPage, summary="Dunning runs, newest first")
def runs(request, page: Query[PageParams]):
    require_perm(request, "dunning.view_dunningrun")
    return paginate(selectors.run_list(), limit=page.limit, offset=page.offset)


@router.get("/runs/{run_id}", response=RunOut, summary="One run")
def run_detail(request, run_id: int):
    require_perm(request, "dunning.view_dunningrun")
    run = selectors.run_list().filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("Run %(id)s not found.") % {"id": run_id}, field="run_id")
    return run


# ---------------------------------------------------------------- actions


@router.get("/actions", response=ActionPage, summary="Dunning actions, newest first")
def actions(request, filters: Query[ActionFilters], page: Query[PageParams]):
    require_perm(request, "dunning.view_dunningaction")
    qs = selectors.action_list(user=request.user, **filters.model_dump())
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.get("/actions/{action_id}", response=ActionDetailOut, summary="One action with its items and e-mail")
def action_detail(request, action_id: int):
    require_perm(request, "dunning.view_dunningaction")
    return selectors.action_get(user=request.user, action_id=action_id)


def pdf_response(request, action, kind: str) -> HttpResponse:
    """The document as stored when the action was carried out (rendered from the same figures if none was)."""
    if not may_read(request.user, action, kind):
        raise PermissionDenied("your role lacks the permission dunning.view_lawyer_letter")
    content = stored_or_rendered(action, kind)
    if content is None:
        raise NotFound(_("This action has no such document."), field="action_id", code=ErrorCode.NO_DOCUMENT)
    return file_response(content, filename=file_names(action)[kind], content_type="application/pdf")


@router.get("/actions/{action_id}/letter.pdf", response={200: None}, summary="The letter as sent (PDF)",
            openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}})
def action_letter(request, action_id: int):
    require_perm(request, "dunning.view_dunningaction")
    return pdf_response(request, selectors.action_get(user=request.user, action_id=action_id), "letter")


@router.get("/actions/{action_id}/statement.pdf", response={200: None}, summary="The dunning statement (PDF)",
            openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}})
def action_statement(request, action_id: int):
    require_perm(request, "dunning.view_dunningaction")
    return pdf_response(request, selectors.action_get(user=request.user, action_id=action_id), "statement")


@router.post("/actions/{action_id}/process", response=ActionDetailOut, summary="Carry out a pending action now")
def action_run(request, action_id: int):
    require_perm(request, "dunning.add_dunningrun")
    action = selectors.action_get(user=request.user, action_id=action_id)
    action_process(action_id=action.pk)
    return selectors.action_get(user=request.user, action_id=action_id)


# ---------------------------------------------------------------- e-mail outbox


@router.get("/emails", response=EmailPage, summary="The dunning e-mail outbox")
def emails(request, page: Query[PageParams], status: str = Query("", max_length=20)):
    require_perm(request, "dunning.view_dunningemail")
    return paginate(selectors.email_list(user=request.user, status=status), limit=page.limit, offset=page.offset)


@router.post("/emails/retry", response=ACCEPTED, summary="Send every failed or pending e-mail now (a background job)")
def emails_retry_all(request):
    """202 with the job that sends them (those of the customers the caller sees) and its ``Location``; when done,
    ``result_data`` has the counts ``sent``, ``failed`` and ``counts`` per status."""
    require_perm(request, "dunning.send_dunning_email")
    job, _created = emails_retry_job_start(actor=request.user)
    return job_accepted(request, job)


@router.post("/emails/{email_id}/retry", response=EmailOut, summary="Send one failed or pending e-mail now")
def email_retry(request, email_id: int):
    require_perm(request, "dunning.send_dunning_email")
    email = selectors.email_list(user=request.user).filter(pk=email_id).first()
    if email is None:
        raise NotFound(_("E-mail %(id)s not found.") % {"id": email_id}, field="email_id")
    if email.status == "sent":
        raise Conflict(_("This e-mail was already sent."), field="email_id", code=ErrorCode.ALREADY_SENT)
    if email.status == "no_address":
        raise Conflict(_("The customer has no e-mail address."), field="email_id", code=ErrorCode.NO_ADDRESS)
    email_send(email_id=email.pk)
    return DunningEmail.objects.get(pk=email.pk)


# ---------------------------------------------------------------- exclusions, customers, interest


@router.get("/exclusions", response=ExclusionPage, summary="Customers kept out of dunning")
def exclusions(request, page: Query[PageParams], include_lifted: bool = False):
    require_perm(request, "dunning.view_dunningexclusion")
    qs = selectors.exclusion_list(user=request.user, active_only=not include_lifted)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/exclusions", response={201: ExclusionOut}, summary="Keep a customer out of dunning")
def exclusion_create(request, payload: ExclusionIn):
    require_perm(request, "dunning.add_dunningexclusion")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    exclusion = exclusion_add(customer=customer, reason=payload.reason, until=payload.until, actor=request.user)
    return Status(201, DunningExclusion.objects.select_related("customer", "created_by").get(pk=exclusion.pk))


@router.post("/exclusions/{exclusion_id}/lift", response=ExclusionOut, summary="Lift an exclusion")
def exclusion_end(request, exclusion_id: int, payload: LiftIn):
    require_perm(request, "dunning.change_dunningexclusion")
    exclusion = selectors.exclusion_list(user=request.user, active_only=False).filter(pk=exclusion_id).first()
    if exclusion is None:
        raise NotFound(_("Exclusion %(id)s not found.") % {"id": exclusion_id}, field="exclusion_id")
    exclusion_lift(exclusion=exclusion, actor=request.user, note=payload.note)
    return DunningExclusion.objects.select_related("customer", "created_by").get(pk=exclusion.pk)


def _customer_out(customer) -> dict:
    exclusion = selectors.customer_excluded(customer, timezone.localdate())
    policy = selectors.policy_of(customer)
    stage = selectors.dunning_stage_of(customer)
    return {"customer_id": customer.pk, "language": selectors.customer_language(customer),
            "policy_code": policy.code if policy else None, "excluded": exclusion is not None,
            "exclusion_reason": exclusion.reason if exclusion else "",
            "stage_offset": stage.offset_days if stage else None, "stage_code": stage.code if stage else None,
            "stage_level": stage.level if stage else None, "stage_as_of": stage.as_of if stage else None}


@router.get("/customers/{customer_id}", response=CustomerDunningOut, summary="A customer's dunning at a glance")
def customer_dunning(request, customer_id: int):
    require_perm(request, "dunning.view_dunningaction")
    return _customer_out(customer_get(user=request.user, customer_id=customer_id))


@router.put("/customers/{customer_id}/profile", response=CustomerDunningOut,
            summary="Set a customer's dunning language and own policy")
def customer_profile(request, customer_id: int, payload: ProfileIn):
    require_perm(request, "dunning.change_dunningprofile")
    customer = customer_get(user=request.user, customer_id=customer_id)
    policy = _policy(payload.policy_id) if payload.policy_id is not None else None
    profile_set(customer=customer, actor=request.user, language=str(payload.language or ""), policy=policy)
    return _customer_out(customer)


@router.get("/interest", response=InterestOut, summary="Late interest and penalty by the contract clause")
def interest(request, query: Query[InterestQuery]):
    require_perm(request, "dunning.view_dunningaction")
    as_of = query.as_of or timezone.localdate()
    invoice = None
    if query.invoice_id is not None:
        invoice = invoice_list(user=request.user).filter(pk=query.invoice_id).first()
        if invoice is None:
            raise NotFound(_("Invoice %(id)s not found.") % {"id": query.invoice_id}, field="invoice_id")
    elif query.amount_minor is None or query.due_date is None:
        raise ValidationFailed(_("Name an invoice, or give amount_minor and due_date."), field="invoice_id")
    contract = invoice.contract if invoice else None
    amount = query.amount_minor if query.amount_minor is not None else invoice.amount_open_minor
    if amount < 0:
        raise ValidationFailed(_("Must not be negative."), field="amount_minor")
    due = query.due_date or invoice.due_date
    daily = query.daily_rate if query.daily_rate is not None else (
        contract.late_interest_rate_daily if contract else Decimal(0))
    penalty = query.penalty_rate if query.penalty_rate is not None else (
        contract.penalty_rate if contract else Decimal(0))
    # the contract's tiered clause applies unless a single daily rate is asked for
    tiers = contract.late_interest_tiers if contract and query.daily_rate is None else []
    charge = late_interest(amount_minor=amount, due_date=due, as_of=as_of, daily_rate=daily, penalty_rate=penalty,
                           grace_days=query.grace_days, tiers=tiers)
    currency = invoice.currency if invoice else "CNY"
    return {"invoice_id": invoice.pk if invoice else None, "currency": currency, "amount_minor": amount,
            "due_date": due, "as_of": as_of, "days_overdue": charge.days_overdue, "daily_rate": daily,
            "tiers": tiers,
            "penalty_rate": penalty, "interest_minor": charge.interest_minor,
            "interest": money_text(charge.interest_minor, currency), "penalty_minor": charge.penalty_minor,
            "penalty": money_text(charge.penalty_minor, currency), "total_minor": charge.total_minor,
            "total": money_text(charge.total_minor, currency)}
