"""Every read of legal that is more than a ``.get()``: the review queue, cases with what was recovered, mandates
with what the agency collected and the fee due, settlements, the asset register. Amounts recovered or collected
are read from the ledger (payments allocated to the claims on or after the filing or hand-over date), never typed
in; lists annotate them in SQL (one query per page, whatever its length)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import (
    BigIntegerField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from arms.common.errors import NotFound
from arms.customers.selectors import customers_visible_to
from arms.dunning.models import DunningAction, LetterKind, ReviewStatus
from arms.ledger.models import Allocation
from arms.legal.enums import CLOSED
from arms.legal.models import AgencyMandate, CaseCost, DebtorAsset, LegalCase, Settlement

if TYPE_CHECKING:
    from arms.common.typing import Viewer


def letter_queue(*, user: Viewer, status: str = ReviewStatus.AWAITING) -> QuerySet[DunningAction]:
    """Lawyer's letter drafts for legal's review (``status``: awaiting, approved, rejected; blank: all)."""
    qs = (DunningAction.objects.filter(stage__letter_kind=LetterKind.LAWYER_LETTER,
                                       customer__in=customers_visible_to(user))
          .exclude(review_status=ReviewStatus.NOT_REQUIRED)
          .select_related("customer", "stage", "drafted_by", "reviewed_by")
          .order_by("as_of", "pk"))
    return qs.filter(review_status=status) if status else qs


def letter_get(*, user: Viewer, action_id: int) -> DunningAction:
    found = letter_queue(user=user, status="").filter(pk=action_id).first()
    if found is None:
        raise NotFound("no such letter")
    return found


def _collected(claims_of: str, since: str, until: str | None = None) -> Subquery:
    """Payments allocated (net of reversals) to the claims of the outer row (a case or a mandate) on or after its
    ``since`` date (and, with ``until``, not after that date when it is set). One filter() call: the conditions
    share the join to the outer row."""
    link = f"invoice__{claims_of}"
    filters = Q(**{link: OuterRef("pk")}, payment__isnull=False, date__gte=F(f"{link}__{since}"))
    if until:
        filters &= Q(**{f"{link}__{until}__isnull": True}) | Q(date__lte=F(f"{link}__{until}"))
    return Subquery(Allocation.objects.filter(filters).order_by().values(link)
                    .annotate(total=Sum("amount_minor")).values("total")[:1], output_field=BigIntegerField())


def with_recovered(qs: QuerySet[LegalCase]) -> QuerySet[LegalCase]:
    costs = Subquery(CaseCost.objects.filter(case=OuterRef("pk")).order_by().values("case")
                     .annotate(total=Sum("amount_minor")).values("total")[:1], output_field=BigIntegerField())
    return qs.annotate(recovered_minor=Coalesce(_collected("legal_cases", "filed_on"), 0),
                       costs_minor=Coalesce(costs, 0),
                       claim_count=Count("claims", distinct=True))


def case_list(*, user: Viewer, status: str = "", customer_id: int | None = None, open_only: bool = False,
              search: str = "") -> QuerySet[LegalCase]:
    qs = LegalCase.objects.filter(customer__in=customers_visible_to(user)).select_related("customer")
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.exclude(status__in=[str(s) for s in CLOSED])
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if search:
        qs = qs.filter(Q(customer__name__icontains=search) | Q(case_number__icontains=search)
                       | Q(forum__icontains=search))
    return with_recovered(qs).order_by("-created_at", "-pk")


def case_get(*, user: Viewer, case_id: int) -> LegalCase:
    found = case_list(user=user).filter(pk=case_id).first()
    if found is None:
        raise NotFound("no such case")
    return found


def case_recovered_minor(case: LegalCase) -> int:
    """Payments allocated to the case's claims on or after its filing date (0 before filing)."""
    if case.filed_on is None:
        return 0
    total = Allocation.objects.filter(invoice__legal_cases=case, payment__isnull=False,
                                      date__gte=case.filed_on).aggregate(s=Sum("amount_minor"))["s"]
    return int(total or 0)


def fee_due_minor(collected_minor: int, fee_share_bp: int) -> int:
    """The agency's fee: collected × share, rounded half up to the minor unit."""
    return (collected_minor * fee_share_bp + 5_000) // 10_000


def mandate_list(*, user: Viewer, customer_id: int | None = None, status: str = "") -> QuerySet[AgencyMandate]:
    qs = AgencyMandate.objects.filter(customer__in=customers_visible_to(user)).select_related("customer")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if status:
        qs = qs.filter(status=status)
    collected = Coalesce(_collected("agency_mandates", "handed_over_on", "ended_on"), 0)
    return qs.annotate(collected_minor=collected, fee_due_minor=(
        (collected * F("fee_share_bp") + Value(5_000)) / Value(10_000))).annotate(
        claim_count=Count("claims", distinct=True)).order_by("-handed_over_on", "-pk")


def settlement_list(*, user: Viewer, status: str = "", customer_id: int | None = None) -> QuerySet[Settlement]:
    qs = (Settlement.objects.filter(customer__in=customers_visible_to(user))
          .select_related("customer", "invoice", "requested_by", "decided_by", "credit_note"))
    if status:
        qs = qs.filter(status=status)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-requested_at", "-pk")


def asset_list(*, user: Viewer, customer_id: int | None = None, kind: str = "") -> QuerySet[DebtorAsset]:
    qs = DebtorAsset.objects.filter(customer__in=customers_visible_to(user)).select_related("customer")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("customer__name", "-fact_date", "-pk")




def legal_summary(*, customer_id: int, user: Viewer) -> list[dict[str, str]]:
    """The ``cases.legal_summary`` hook: the customer's cases for its collections case page (one query)."""
    if not user.has_perm("legal.view_legalcase"):
        return []
    cases = LegalCase.objects.filter(customer_id=customer_id).order_by("-created_at", "-pk")[:10]
    return [{"title": f"{case.reference} {case.get_kind_display()} · {case.get_status_display()}",
             "detail": " ".join(x for x in (case.forum, case.case_number, case.filed_on.isoformat()
                                            if case.filed_on else "") if x),
             "url": reverse("legal:case", args=[case.pk])} for case in cases]
