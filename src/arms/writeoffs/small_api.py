"""REST API of small balances (小额尾差), mounted at /api/v1/write-offs/small-balances.

    GET   ""                          the residues the caller may see (``customer_id``, ``currency``; limit/offset)
    GET   /thresholds                 the thresholds by currency, the default and the write-off account
    PUT   /thresholds/{currency}      a finance manager sets one (``threshold_minor``; 0 turns that currency off)
    PUT   /account                    a finance manager chooses the account (``account``: "6603" or "6711")
    GET   /batches                    the bulk write-offs, newest first (``status``; limit/offset)
    POST  /batches                    ask to write off ``invoice_ids`` (or every residue when omitted)
    GET   /batches/{id}               one batch with its items
    POST  /batches/{id}/approve       a finance manager other than the requester approves (and it is posted)
    POST  /batches/{id}/reject        or rejects, saying why (``note``)

    curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d '{"invoice_ids": [812, 907]}' \
        "$ARMS/api/v1/write-offs/small-balances/batches"
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status

from arms.common.access import require_perm
from arms.common.api_types import InputSchema, ObjectId, QuerySchema, formatted_money, inline_choices
from arms.common.errors import NotFound
from arms.common.pagination import PageParams, paginate
from arms.customers.services import company_ensure
from arms.ledger.models import SmallBalanceBatch
from arms.ledger.models.small_balance import SMALL_BALANCE_DEFAULT_MINOR, SMALL_BALANCE_MAX_MINOR, BatchStatus
from arms.ledger.small_balances import batch_list, small_balance_account, small_balance_thresholds
from arms.writeoffs import small_selectors, small_services

router = Router(tags=["small balances"])

VIEW = "ledger.view_smallbalancebatch"
SETTINGS = "ledger.change_smallbalancethreshold"


class SmallBalanceFilters(QuerySchema):
    customer_id: ObjectId | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)


class SmallBalanceOut(Schema):
    id: int
    number: str
    customer_id: int
    due_date: date
    currency: str
    gross_minor: int
    amount_open_minor: int
    amount_open: str | None = None

    resolve_amount_open = formatted_money("amount_open_minor")


class SmallBalancePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SmallBalanceOut]


class SmallBalanceThresholdOut(Schema):
    currency: str
    threshold_minor: int


class SmallBalanceThresholdsOut(Schema):
    default_minor: int
    account: str
    thresholds: list[SmallBalanceThresholdOut]


class SmallBalanceThresholdIn(InputSchema):
    threshold_minor: int = Field(ge=0, le=SMALL_BALANCE_MAX_MINOR, description="Minor units of the currency.")


class SmallBalanceAccountIn(InputSchema):
    account: str = Field(description='"6603" (财务费用) or "6711" (营业外支出).', min_length=1, max_length=4)


class SmallBalanceBatchIn(InputSchema):
    invoice_ids: list[ObjectId] | None = Field(None, max_length=small_services.MAX_ITEMS,
                                               description="The residues to write off; omitted: every residue.")
    on: date | None = Field(None, description="The write-off date (default today).")
    note: str = Field("", max_length=500)


class SmallBalanceDecisionIn(InputSchema):
    note: str = Field("", max_length=500)


class SmallBalanceBatchFilters(QuerySchema):
    status: inline_choices(BatchStatus) | None = None  # type: ignore[valid-type]


class SmallBalanceBatchItemOut(Schema):
    invoice_id: int
    currency: str
    amount_minor: int
    amount: str | None = None
    posted_at: datetime | None
    skipped: str

    resolve_amount = formatted_money("amount_minor")


class SmallBalanceBatchOut(Schema):
    id: int
    reference: str
    status: str
    account: str
    on: date
    items_count: int
    posted_count: int
    currency: str = "CNY"
    total_base_minor: int
    note: str
    requested_by_id: int | None
    requested_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str


class SmallBalanceBatchDetailOut(SmallBalanceBatchOut):
    items: list[SmallBalanceBatchItemOut]
    job_id: int | None = None

    @staticmethod
    def resolve_items(obj) -> list:
        return list(small_selectors.batch_items(obj))

    @staticmethod
    def resolve_job_id(obj) -> int | None:
        job = small_selectors.batch_job(obj)
        return job.pk if job else None


class SmallBalanceBatchPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SmallBalanceBatchOut]


def _batch(batch_id: int) -> SmallBalanceBatch:
    batch = batch_list().filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(f"small-balance batch {batch_id} not found", field="batch_id")
    return batch


@router.get("", response=SmallBalancePage, summary="Small balances (residues) the caller may see, oldest due first")
def residue_list(request, filters: Query[SmallBalanceFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    qs = small_selectors.residue_list(user=request.user, customer_id=filters.customer_id,
                                      currency=filters.currency or "")
    return paginate(qs, limit=page.limit, offset=page.offset)


def _thresholds() -> dict:
    company = company_ensure()
    return {"default_minor": SMALL_BALANCE_DEFAULT_MINOR, "account": small_balance_account(company),
            "thresholds": [{"currency": c, "threshold_minor": t}
                           for c, t in sorted(small_balance_thresholds(company).items())]}


@router.get("/thresholds", response=SmallBalanceThresholdsOut, summary="Residue thresholds by currency and the account")
def thresholds_get(request):
    require_perm(request, VIEW)
    return _thresholds()


@router.put("/thresholds/{currency}", response=SmallBalanceThresholdsOut,
            summary="Set one currency's residue threshold")
def threshold_set(request, currency: str, payload: SmallBalanceThresholdIn):
    require_perm(request, SETTINGS)
    small_services.small_balance_threshold_set(actor=request.user, currency=currency,
                                               threshold_minor=payload.threshold_minor)
    return _thresholds()


@router.put("/account", response=SmallBalanceThresholdsOut, summary="Choose the small-balance write-off account")
def account_set(request, payload: SmallBalanceAccountIn):
    require_perm(request, SETTINGS)
    small_services.small_balance_account_set(actor=request.user, account=payload.account)
    return _thresholds()


@router.get("/batches", response=SmallBalanceBatchPage, summary="Small-balance write-offs, newest first")
def batch_list_api(request, filters: Query[SmallBalanceBatchFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    return paginate(batch_list(status=filters.status or ""), limit=page.limit, offset=page.offset)


@router.post("/batches", response={201: SmallBalanceBatchDetailOut}, summary="Ask to write off small balances")
def batch_request(request, payload: SmallBalanceBatchIn):
    require_perm(request, small_services.REQUEST_PERMISSION)
    batch = small_services.small_balance_batch_request(actor=request.user, invoice_ids=payload.invoice_ids,
                                                       on=payload.on, note=payload.note)
    return Status(201, _batch(batch.pk))


@router.get("/batches/{batch_id}", response=SmallBalanceBatchDetailOut,
            summary="One small-balance write-off with its items")
def batch_detail(request, batch_id: int):
    require_perm(request, VIEW)
    return _batch(batch_id)


@router.post("/batches/{batch_id}/approve", response=SmallBalanceBatchDetailOut,
             summary="Approve (another finance manager); posted at once, or by a background job when big")
def batch_approve(request, batch_id: int, payload: SmallBalanceDecisionIn):
    require_perm(request, small_services.APPROVE_PERMISSION)
    small_services.small_balance_batch_approve(actor=request.user, batch=_batch(batch_id), note=payload.note)
    return _batch(batch_id)


@router.post("/batches/{batch_id}/reject", response=SmallBalanceBatchDetailOut, summary="Reject, saying why")
def batch_reject(request, batch_id: int, payload: SmallBalanceDecisionIn):
    require_perm(request, small_services.APPROVE_PERMISSION)
    small_services.small_balance_batch_reject(actor=request.user, batch=_batch(batch_id), note=payload.note)
    return _batch(batch_id)
