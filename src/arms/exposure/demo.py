"""Demo data of credit exposure: a few holds and override requests on customers the credit demo has rated, so the
holds page, the overrides page and the customer page's exposure panel show something. Deterministic per seed."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from arms.credit.models import Guarantee
from arms.credit.services import guarantee_record
from arms.customers.models import Customer
from arms.exposure.models import DEFAULT_GUARANTEE_WARN_DAYS, DEFAULT_UNRATED_LIMIT_MINOR, CreditOverride
from arms.exposure.selectors import credit_profile_of
from arms.exposure.services import (
    control_settings_update,
    hold_place,
    hold_release,
    override_approve,
    override_request,
)


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    rng = random.Random(f"exposure-{seed}")
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["credit", "clerk", "sales1",
                                                                                   "finmgr"])}
    manager = users.get("credit")
    if manager is None:
        return {}
    rated = [c for c in Customer.objects.filter(credit_profile__limit_minor__isnull=False).order_by("code")]
    customers = rated or list(Customer.objects.order_by("code")[:10])
    if not customers:
        return {}
    picked = rng.sample(customers, k=min(3, len(customers)))
    notes = ["工商信息变更待核实, 暂停发货", "客户涉诉, 法务评估期间暂停赊销", "大额退票, 待重新付款"]
    for index, customer in enumerate(picked):
        hold = hold_place(customer=customer, reason_code="manual", note=notes[index], source_ref=f"demo:{index + 1}",
                          actor=manager)
        if index == 2 and hold.active:
            hold_release(hold=hold, actor=manager, note="客户已重新付款, 解除冻结")
    overrides = 0
    reasons = ["年底备货订单, 客户承诺下月初回款", "重点项目首批到货, 合同已签"]
    if not CreditOverride.objects.exists():
        for index, customer in enumerate(rng.sample(customers, k=min(2, len(customers)))):
            profile = credit_profile_of(customer)
            limit = getattr(profile, "limit_minor", None) or 100_000_00
            requester = users.get("sales1" if index == 0 else "clerk") or manager
            override = override_request(
                customer=customer, amount_minor=max(limit // 10, 1_000_00), currency=customer.currency,
                document_kind="invoice", reason=reasons[index], actor=requester)
            overrides += 1
            if index == 1 and requester.pk != manager.pk:
                override_approve(override=override, actor=manager, note="同意一次, 7天内有效")
    return {"credit overrides": overrides, **_terms_in_force(today=today, rng=rng, users=users, manager=manager)}
    # the holds are counted once dunning has placed its own


def _terms_in_force(*, today: date, rng: random.Random, users: dict, manager) -> dict[str, int]:
    """Issue 16: every customer whose grade requires a guarantee holds one (so the demo's later documents pass),
    one of them expiring in three weeks; and one terms exception waiting for a credit manager."""
    company = Customer.objects.order_by("pk").values_list("company_id", flat=True).first()
    if company is not None:  # the seed loaded its history with the warn policy: the product default from now on
        control_settings_update(company_id=company, actor=manager, unrated_policy="limit",
                                unrated_limit_minor=DEFAULT_UNRATED_LIMIT_MINOR,
                                guarantee_warn_days=DEFAULT_GUARANTEE_WARN_DAYS)
    if Guarantee.objects.exists():
        return {}
    needing = list(Customer.objects.filter(credit_profile__guarantee_required=True).order_by("code"))
    kinds = ["bank_guarantee", "personal", "mortgage", "pledge"]
    for index, customer in enumerate(needing):
        expiry = today + timedelta(days=20) if index == 0 else today + timedelta(days=300 + rng.randint(0, 300))
        guarantee_record(actor=manager, customer=customer, guarantor=f"{customer.name[:4]}融资担保有限公司",
                         kind=kinds[index % len(kinds)], amount_minor=rng.randint(10, 60) * 10_000_00,
                         currency="CNY", valid_from=today - timedelta(days=rng.randint(30, 300)), expiry_date=expiry,
                         reference=f"BG-{today.year}-{index + 1:04d}")
    exceptions = 0
    rated = list(Customer.objects.filter(credit_profile__grade__in=["B", "C"]).order_by("code")[:1])
    requester = users.get("sales1") or manager
    for customer in rated:
        override_request(customer=customer, amount_minor=200_000_00, currency=customer.currency,
                         document_kind="invoice", reason="年度框架合同约定账期90天, 客户为重点项目业主",
                         actor=requester, terms_days=90)
        exceptions += 1
    return {"guarantees": len(needing), "terms exceptions": exceptions}
