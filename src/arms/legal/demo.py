"""Demo data of legal, after the ledger and dunning are loaded: a law firm issues the lawyer's letters (the dunning
runs left their drafts awaiting legal's review), the customer owing most on its oldest invoices is sued (filed three
weeks ago, property preservation, a hearing ahead, the court fee), another customer's claims are with a collection
agency, and a few debtor asset facts are on record, one of them stale.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Min, Sum

from arms.customers.models import Customer
from arms.customers.services import company_ensure
from arms.dunning.models import DunningAction, ReviewStatus
from arms.ledger.models import Invoice
from arms.legal import services
from arms.legal.models import AgencyMandate, DebtorAsset, LegalCase


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    company = company_ensure()
    users = get_user_model().objects.filter(is_active=True)
    lawyer = (users.filter(groups__name="legal").order_by("pk").first()
              or users.filter(is_superuser=True).order_by("pk").first())
    services.legal_settings_update(
        actor=lawyer, company=company, issuer_mode="law_firm", firm_name="上海明理律师事务所", lawyer_name="张明",
        licence_number="13101200910123456", firm_address="上海市黄浦区中山东一路1号", firm_phone="021-63210000")

    filed_on = today - timedelta(days=21)
    debtors = list(Customer.objects.filter(invoices__amount_open_minor__gt=0, invoices__currency="CNY",
                                           invoices__due_date__lt=today - timedelta(days=120),
                                           invoices__issue_date__lte=filed_on)
                   .annotate(owed=Sum("invoices__amount_open_minor"), oldest=Min("invoices__due_date"))
                   .order_by("-owed", "code")[:2])
    if debtors and not LegalCase.objects.exists():
        sued = debtors[0]
        claims = list(Invoice.objects.filter(customer=sued, currency="CNY", amount_open_minor__gt=0,
                                             due_date__lt=today - timedelta(days=120),
                                             issue_date__lte=filed_on).values_list("pk", flat=True))
        building = services.asset_record(actor=lawyer, customer=sued, kind="real_estate",
                                         description="厂房及土地使用权一处", location="上海市松江区不动产登记中心",
                                         estimated_value_minor=1_200_000_000,
                                         encumbrances="已抵押给某银行", source="法院查询", fact_date=filed_on)
        services.asset_record(actor=lawyer, customer=sued, kind="bank_account", description="基本存款账户",
                              location="中国工商银行上海分行", source="企查查", fact_date=today - timedelta(days=200))
        case = services.case_open(actor=lawyer, customer=sued, kind="litigation", forum="上海市浦东新区人民法院",
                                  invoice_ids=claims, note="多次催收无果，提起诉讼")
        services.case_file(actor=lawyer, case=case, filed_on=filed_on,
                           case_number=f"({filed_on.year})沪0115民初8123号")
        services.case_preservation(actor=lawyer, case=case, applied_on=filed_on,
                                   ordered_on=filed_on + timedelta(days=3), amount_minor=case.claim_minor,
                                   order_number=f"({filed_on.year})沪0115财保56号", asset_ids=[building.pk])
        services.case_status_set(actor=lawyer, case=case, status="preservation")
        services.hearing_record(actor=lawyer, case=case, on=today + timedelta(days=24), note="第一次开庭")
        services.cost_record(actor=lawyer, case=case, kind="court_fee", on=filed_on,
                             amount_minor=max(5_000, case.claim_minor // 100), note="案件受理费")
        if len(debtors) > 1:
            agency_claims = list(Invoice.objects.filter(customer=debtors[1], currency="CNY", amount_open_minor__gt=0)
                                 .values_list("pk", flat=True))
            services.mandate_create(actor=lawyer, customer=debtors[1], agency_name="华信商账管理有限公司",
                                    handed_over_on=today - timedelta(days=10), fee_share_bp=1500,
                                    invoice_ids=agency_claims, contact="王经理 021-60000000")
    return {
        "lawyer letters awaiting review": DunningAction.objects.filter(review_status=ReviewStatus.AWAITING).count(),
        "legal cases": LegalCase.objects.count(),
        "agency mandates": AgencyMandate.objects.count(),
        "debtor assets": DebtorAsset.objects.count(),
    }
