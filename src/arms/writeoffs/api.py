"""REST API of write-offs, mounted at /api/v1/write-offs.

    GET   ""                                  the requests the caller may see (``status``, ``reason``,
                                              ``customer_id``, ``not_filed``; limit/offset)
    POST  ""                                  ask: ``customer_id``, ``reason``, ``note``, ``items`` [{invoice_id,
                                              amount_minor}] or ``whole_balance``
    GET   /{id}                               one, with its items, sign-offs, evidence and recoveries
    POST  /{id}/sign                          sign (``role``: finance | legal | audit | executive; ``note``)
    POST  /{id}/reject                        reject (``reason``)
    POST  /{id}/withdraw                      the requester withdraws (``reason``)
    POST  /{id}/tax-filing                    record the tax filing (multipart: ``filed_on``, ``reference``,
                                              ``note``, optional ``file``)
    POST  /{id}/evidence                      attach evidence (multipart: ``kind``, ``description``, ``file``)
    GET   /{id}/evidence/{evidence_id}        download an evidence file
    GET   /{id}/collection-record             download the frozen collection record (JSON)
    GET   /{id}/recoveries                    the recoveries of its write-offs

    curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
        -d '{"customer_id": 12, "reason": "bankruptcy", "items": [{"invoice_id": 301, "amount_minor": 11300000}]}' \
        "$ARMS/api/v1/write-offs"
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from arms.common.access import require_perm
from arms.common.api_types import InputSchema, ObjectId, QuerySchema, formatted_money, inline_choices
from arms.common.bounds import MAX_NOTE
from arms.common.errors import NotFound
from arms.common.files import file_response
from arms.common.pagination import PageParams, paginate
from arms.common.uploads import upload_check
from arms.customers.selectors import customer_get
from arms.writeoffs import selectors, services
from arms.writeoffs.enums import EvidenceKind, RequestStatus, SignOffRole, WriteOffReason

router = Router(tags=["write-offs"])

VIEW = "writeoffs.view_writeoffrequest"
#: the tax filing's receipt is an optional multipart file
OPTIONAL_FILE = File(None)
ASK = "writeoffs.add_writeoffrequest"


class WriteOffFilters(QuerySchema):
    status: inline_choices(RequestStatus) | None = None  # type: ignore[valid-type]
    reason: inline_choices(WriteOffReason) | None = None  # type: ignore[valid-type]
    customer_id: ObjectId | None = None
    not_filed: bool = Field(False, description="Only posted requests not yet filed with the tax office.")


class WriteOffItemIn(InputSchema):
    invoice_id: ObjectId
    amount_minor: int = Field(description="Amount to write off, invoice currency minor units; at most its open amount.")


class WriteOffRequestIn(InputSchema):
    customer_id: ObjectId
    reason: inline_choices(WriteOffReason)  # type: ignore[valid-type]
    note: str = Field("", max_length=MAX_NOTE)
    items: list[WriteOffItemIn] = Field([], max_length=services.MAX_ITEMS)
    whole_balance: bool = Field(False, description="Write off every open invoice of the customer at its open amount.")


class WriteOffSignIn(InputSchema):
    role: inline_choices(SignOffRole) | None = Field(  # type: ignore[valid-type]
        None, description="The role signed in; may be left out when the caller can sign in one role only.")
    note: str = Field("", max_length=MAX_NOTE)


class WriteOffRejectIn(InputSchema):
    reason: str = Field(min_length=1, max_length=MAX_NOTE)


class WriteOffWithdrawIn(InputSchema):
    reason: str = Field("", max_length=MAX_NOTE)


class WriteOffTaxFilingIn(InputSchema):
    filed_on: date
    reference: str = Field(min_length=1, max_length=100)
    note: str = Field("", max_length=MAX_NOTE)


class WriteOffEvidenceIn(InputSchema):
    kind: inline_choices(EvidenceKind)  # type: ignore[valid-type]
    description: str = Field("", max_length=300)


class WriteOffItemOut(Schema):
    invoice_id: int
    invoice_number: str
    currency: str
    amount_minor: int
    amount: str | None = None
    open_minor: int
    base_minor: int
    write_off_id: int | None
    recovered_minor: int = 0

    resolve_amount = formatted_money("amount_minor")

    @staticmethod
    def resolve_invoice_number(obj) -> str:
        return obj.invoice.number


class WriteOffSignOffOut(Schema):
    role: str
    user_id: int
    signed_at: datetime
    note: str


class WriteOffEvidenceOut(Schema):
    id: int
    kind: str
    name: str
    description: str
    sha256: str
    uploaded_at: datetime
    uploaded_by_id: int | None

    @staticmethod
    def resolve_sha256(obj) -> str:
        return obj.attachment.sha256


class WriteOffRecoveryOut(Schema):
    id: int
    date: date
    invoice_id: int
    write_off_id: int
    amount_minor: int = Field(description="What was recovered, invoice currency minor units (positive).")
    base_minor: int = Field(description="The receivable restored, CNY fen (positive).")
    reason: str

    @staticmethod
    def resolve_amount_minor(obj) -> int:
        return -obj.amount_minor

    @staticmethod
    def resolve_base_minor(obj) -> int:
        return -obj.receivable_base_minor


class WriteOffRequestOut(Schema):
    id: int
    number: str
    customer_id: int
    reason: str
    note: str
    whole_balance: bool
    status: str
    currency: str = "CNY"
    total_base_minor: int
    total_base: str | None = None
    net_base_minor: int = Field(description="CNY still written off once posted: the write-offs less recoveries.")
    recovered_base_minor: int
    needs_executive: bool
    required_roles: list[str]
    sign_off_count: int
    collection_record_sha256: str
    requested_at: datetime
    requested_by_id: int | None
    decided_at: datetime | None
    decided_by_id: int | None
    decision_note: str
    posted_on: date | None
    tax_filed_on: date | None
    tax_reference: str
    tax_note: str

    resolve_total_base = formatted_money("total_base_minor")


class WriteOffRequestDetailOut(WriteOffRequestOut):
    items: list[WriteOffItemOut]
    sign_offs: list[WriteOffSignOffOut]
    evidence: list[WriteOffEvidenceOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(selectors.write_off_items(obj))

    @staticmethod
    def resolve_sign_offs(obj) -> list:
        return list(obj.sign_offs.all())

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.select_related("attachment"))


class WriteOffRequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[WriteOffRequestOut]


def _get(request, request_id: int):
    return selectors.write_off_request_get(user=request.user, request_id=request_id)


@router.get("", response=WriteOffRequestPage, summary="Write-off requests, newest first")
def write_off_list(request, filters: Query[WriteOffFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    qs = selectors.write_off_request_list(user=request.user, status=filters.status or "",
                                          reason=filters.reason or "", customer_id=filters.customer_id,
                                          not_filed=filters.not_filed)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("", response={201: WriteOffRequestDetailOut},
             summary="Ask for invoices (or a customer's whole balance) to be written off")
def write_off_create(request, payload: WriteOffRequestIn):
    require_perm(request, ASK)
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    made = services.write_off_request_create(
        actor=request.user, customer=customer, reason=payload.reason, note=payload.note,
        items=[services.ItemIn(i.invoice_id, i.amount_minor) for i in payload.items],
        whole_balance=payload.whole_balance)
    return Status(201, _get(request, made.pk))


@router.get("/{request_id}", response=WriteOffRequestDetailOut, summary="One write-off request")
def write_off_detail(request, request_id: int):
    require_perm(request, VIEW)
    return _get(request, request_id)


@router.post("/{request_id}/sign", response=WriteOffRequestDetailOut,
             summary="Sign as finance, legal, audit or executive; the last sign-off posts the write-offs")
def write_off_sign(request, request_id: int, payload: WriteOffSignIn):
    require_perm(request, VIEW)
    services.write_off_request_sign(actor=request.user, request=_get(request, request_id), role=payload.role,
                                    note=payload.note)
    return _get(request, request_id)


@router.post("/{request_id}/reject", response=WriteOffRequestDetailOut, summary="Reject, with the reason")
def write_off_reject(request, request_id: int, payload: WriteOffRejectIn):
    require_perm(request, VIEW)
    services.write_off_request_reject(actor=request.user, request=_get(request, request_id), reason=payload.reason)
    return _get(request, request_id)


@router.post("/{request_id}/withdraw", response=WriteOffRequestDetailOut, summary="The requester withdraws it")
def write_off_withdraw(request, request_id: int, payload: WriteOffWithdrawIn):
    require_perm(request, ASK)
    services.write_off_request_withdraw(actor=request.user, request=_get(request, request_id),
                                        reason=payload.reason)
    return _get(request, request_id)


@router.post("/{request_id}/tax-filing", response=WriteOffRequestDetailOut,
             summary="Record the filing with the tax office (multipart: the fields and an optional `file`)")
def write_off_tax_filing(request, request_id: int, payload: Form[WriteOffTaxFilingIn],
                         file: UploadedFile | None = OPTIONAL_FILE):
    require_perm(request, "writeoffs.file_tax_writeoffrequest")
    upload_check(file, field="file")
    services.write_off_tax_filing_record(
        actor=request.user, request=_get(request, request_id), filed_on=payload.filed_on,
        reference=payload.reference, note=payload.note, file_name=(file.name or "") if file else "",
        content=file.read() if file else None)
    return _get(request, request_id)


@router.post("/{request_id}/evidence", response={201: WriteOffEvidenceOut},
             summary="Attach an evidence file (multipart: `kind`, `description` and `file`)")
def write_off_evidence_add(request, request_id: int, payload: Form[WriteOffEvidenceIn], file: File[UploadedFile]):
    require_perm(request, ASK)
    upload_check(file, field="file")
    made = services.write_off_evidence_add(actor=request.user, request=_get(request, request_id),
                                           kind=payload.kind, name=file.name or "", content=file.read(),
                                           description=payload.description)
    return Status(201, made)


@router.get("/{request_id}/evidence/{evidence_id}", response={200: None}, summary="Download an evidence file")
def write_off_evidence(request, request_id: int, evidence_id: int):
    require_perm(request, VIEW)
    item = _get(request, request_id).evidence.select_related("attachment").filter(pk=evidence_id).first()
    if item is None:
        raise NotFound(_("No such file."), field="evidence_id")
    return file_response(item.attachment.content, filename=item.name, content_type=item.attachment.content_type,
                         sha256=item.attachment.sha256)


@router.get("/{request_id}/collection-record", response={200: None},
            summary="Download the collection record frozen when the request was made (JSON)")
def write_off_collection_record(request, request_id: int):
    require_perm(request, VIEW)
    found = _get(request, request_id)
    if found.collection_record is None:
        raise NotFound(_("No such file."), field="request_id")
    return file_response(found.collection_record.content, filename=f"collection-record-{found.number}.json",
                         content_type="application/json", sha256=found.collection_record.sha256)


@router.get("/{request_id}/recoveries", response=list[WriteOffRecoveryOut],
            summary="Money recovered on the request's write-offs")
def write_off_recoveries(request, request_id: int):
    require_perm(request, VIEW)
    return list(selectors.write_off_recoveries(_get(request, request_id)))
