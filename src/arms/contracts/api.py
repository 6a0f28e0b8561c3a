"""/api/v1/contracts: create (with milestones), list, read (with milestones, versions, attachments), amend
(the old terms are kept as a version) and attach a scan. A contract is visible exactly when its customer is."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from arms.common.access import require_perm
from arms.common.api_types import idempotency_header
from arms.common.errors import NotFound
from arms.common.pagination import PageParams, paginate
from arms.common.uploads import upload_check
from arms.contracts import services
from arms.contracts.models import Contract, ContractStatus
from arms.contracts.schemas import (
    AttachmentIn,
    AttachmentOut,
    ContractAmendIn,
    ContractDetailOut,
    ContractFilters,
    ContractIn,
    ContractPage,
)
from arms.customers.selectors import customer_get, customers_visible_to

router = Router(tags=["contracts"])

#: A contract scan is a few megabytes; anything much larger is a mistake, not evidence.


def _visible(user) -> QuerySet[Contract]:
    return Contract.objects.filter(customer__in=customers_visible_to(user)).select_related("customer")


def _contract_get(user, contract_id: int) -> Contract:
    contract = _visible(user).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound(_("Contract %(id)s not found.") % {"id": contract_id}, field="contract_id")
    return contract


def _milestones(items) -> list[services.MilestoneIn] | None:
    if items is None:
        return None
    return [services.MilestoneIn(name=m.name, share_bp=m.share_bp, due_days=m.due_days) for m in items]


@router.post("", response={201: ContractDetailOut}, summary="Create a contract with its milestones")
def contract_create(request, payload: ContractIn, idempotency_key: str | None = idempotency_header()):
    require_perm(request, "contracts.add_contract")
    if payload.status != ContractStatus.DRAFT:  # a contract already signed elsewhere: only who may sign records it
        require_perm(request, "contracts.sign_contract")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    data = payload.model_dump(exclude_unset=True, exclude={"customer_id", "milestones"})
    data["status"] = payload.status  # the API's default (a draft), not the model's (signed, for imports)
    contract = services.contract_create(actor=request.user, customer=customer,
                                        milestones=_milestones(payload.milestones),
                                        idempotency_key=idempotency_key, **data)
    return Status(201, _contract_get(request.user, contract.pk))


@router.get("", response=ContractPage, summary="List contracts")
def contract_list(request, filters: Query[ContractFilters], page: Query[PageParams]):
    require_perm(request, "contracts.view_contract")
    qs = _visible(request.user)
    if filters.customer_id:
        qs = qs.filter(customer_id=filters.customer_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.search:
        qs = qs.filter(Q(number__icontains=filters.search) | Q(title__icontains=filters.search)
                       | Q(customer__name__icontains=filters.search))
    return paginate(qs.order_by("-signed_date", "number"), limit=page.limit, offset=page.offset)


@router.get("/{contract_id}", response=ContractDetailOut, summary="One contract with milestones and versions")
def contract_detail(request, contract_id: int):
    require_perm(request, "contracts.view_contract")
    return _contract_get(request.user, contract_id)


@router.post("/{contract_id}/amend", response=ContractDetailOut, summary="Amend a contract's terms")
def contract_amend(request, contract_id: int, payload: ContractAmendIn):
    require_perm(request, "contracts.change_contract")
    contract = _contract_get(request.user, contract_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"reason", "milestones"})
    amended = services.contract_amend(actor=request.user, contract=contract, reason=payload.reason,
                                      milestones=_milestones(payload.milestones), **fields)
    return _contract_get(request.user, amended.pk)


@router.post("/{contract_id}/attachments", response={201: AttachmentOut}, summary="Attach a scan or PDF")
def contract_attach(request, contract_id: int, file: File[UploadedFile], form: Form[AttachmentIn]):
    require_perm(request, "contracts.change_contract")
    contract = _contract_get(request.user, contract_id)
    upload_check(file, field="file")
    attachment = services.contract_attach(actor=request.user, contract=contract, filename=file.name,
                                          content=file.read(), description=form.description)
    return Status(201, attachment)
