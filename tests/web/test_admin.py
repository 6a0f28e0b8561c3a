"""The admin: master data is saved through the services (so it is audited); ledger records are read-only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from arms.audit.models import AuditEvent
from arms.contracts.models import Contract, ContractVersion
from arms.customers.models import Customer
from arms.domain.uscc import make_uscc
from arms.ledger.models import ExchangeRate, Invoice
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.user("root", superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_registered_model_lists_and_opens_for_a_superuser(admin_client, book):
    for model in admin.site._registry:
        listing = admin_client.get(_url(model, "changelist"))
        assert listing.status_code == 200, model
        first = model.objects.first()
        if first is not None:
            assert admin_client.get(_url(model, "change", first.pk)).status_code == 200, model


@pytest.mark.parametrize("model_name", ["invoice", "creditnote", "payment", "allocation", "journalentry", "account"])
def test_ledger_records_cannot_be_added_changed_or_deleted(admin_client, book, model_name):
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name and m._meta.app_label == "ledger")
    model_admin = admin.site._registry[model]

    assert (model_admin.has_add_permission(None), model_admin.has_change_permission(None),
            model_admin.has_delete_permission(None)) == (False, False, False)
    assert admin_client.get(_url(model, "add")).status_code == 403


def test_an_invoice_posted_through_the_admin_is_refused_and_nothing_changes(admin_client, book):
    before = (Invoice.objects.count(), AuditEvent.objects.count())
    invoice = book.invoice_overdue

    response = admin_client.post(_url(Invoice, "change", invoice.pk), {"description": "changed"})

    assert response.status_code == 403
    invoice.refresh_from_db()
    assert invoice.description == ""
    assert (Invoice.objects.count(), AuditEvent.objects.count()) == before


def _customer_form(**overrides) -> dict:
    data = {
        "company": "", "code": "ADM1", "name": "管理后台客户有限公司", "uscc": make_uscc("91440300MA5FAKE01"),
        "status": "active", "industry": "services", "region": "south", "province": "广东", "address": "",
        "salesperson": "", "collector": "", "payment_terms_days": "45", "payment_terms_basis": "month_end",
        "currency": "CNY", "notes": "",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "陈晨", "contacts-0-role": "出纳", "contacts-0-phone": "", "contacts-0-email": "",
        "contacts-0-is_primary": "on",
    }
    data.update(overrides)
    return data


def test_a_customer_added_in_the_admin_goes_through_the_service_and_is_audited(admin_client, book, company, superuser):
    response = admin_client.post(_url(Customer, "add"), _customer_form(company=str(company.pk)))

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    customer = Customer.objects.get(code="ADM1")
    assert (customer.payment_terms_days, customer.payment_terms_basis, customer.province) == (45, "month_end", "广东")
    assert [c.name for c in customer.contacts.all()] == ["陈晨"]
    event = AuditEvent.objects.get(action="customer_created", subject_id=str(customer.pk))
    assert event.actor == superuser
    assert AuditEvent.objects.filter(action="contact_added", actor=superuser).count() == 1


def test_a_customer_changed_in_the_admin_is_audited_with_before_and_after(admin_client, book):
    customer = book.xinan
    data = _customer_form(name=customer.name, uscc=customer.uscc, region="southwest", industry="logistics",
                          payment_terms_days="60", payment_terms_basis="invoice_date",
                          salesperson=str(book.sales_b.pk))
    data.update({"contacts-TOTAL_FORMS": "0"})

    response = admin_client.post(_url(Customer, "change", customer.pk), data)

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.payment_terms_days == 60
    event = AuditEvent.objects.get(action="customer_updated", subject_id=str(customer.pk))
    assert (event.before, event.after) == ({"payment_terms_days": 30, "province": ""},
                                           {"payment_terms_days": 60, "province": "广东"})


def test_a_bad_uscc_in_the_admin_is_shown_on_the_field_and_nothing_is_saved(admin_client, book, company):
    before = (Customer.objects.count(), AuditEvent.objects.count())

    good = make_uscc("91440300MA5FAKE01")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")

    response = admin_client.post(_url(Customer, "add"), _customer_form(company=str(company.pk), uscc=bad))

    assert response.status_code == 200
    assert "uscc" in response.context["adminform"].form.errors
    assert (Customer.objects.count(), AuditEvent.objects.count()) == before


def _contract_form(customer, **overrides) -> dict:
    data = {
        "customer": str(customer.pk), "number": "HT-ADM-1", "title": "运维服务合同", "status": "active",
        "amendment_reason": "", "signed_date": "2026-03-01", "start_date": "", "end_date": "", "currency": "CNY",
        "amount": "1,250,000.00", "payment_terms_days": "30", "payment_terms_basis": "invoice_date",
        "late_interest_rate_daily": "0.0005", "penalty_rate": "0", "penalty_clause": "", "guarantee_type": "none",
        "guarantee_details": "", "dispute_resolution": "arbitration", "dispute_venue": "上海国际仲裁中心",
        "milestones-TOTAL_FORMS": "2", "milestones-INITIAL_FORMS": "0", "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
        "milestones-0-name": "预付款", "milestones-0-share_bp": "3000", "milestones-0-due_days": "0",
        "milestones-1-name": "验收款", "milestones-1-share_bp": "7000", "milestones-1-due_days": "30",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0", "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0", "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_a_contract_added_in_the_admin_is_created_by_the_service_with_its_milestones(admin_client, book):
    response = admin_client.post(_url(Contract, "add"), _contract_form(book.xinan))

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    contract = Contract.objects.get(number="HT-ADM-1")
    assert (contract.amount_minor, contract.late_interest_rate_daily, contract.version) \
        == (125_000_000, Decimal("0.0005"), 1)
    assert [(m.sequence, m.name, m.share_bp) for m in contract.milestones.all()] \
        == [(1, "预付款", 3000), (2, "验收款", 7000)]
    assert AuditEvent.objects.filter(action="contract_created", subject_id=str(contract.pk)).count() == 1


def test_milestones_that_do_not_add_up_are_refused_in_the_admin(admin_client, book):
    response = admin_client.post(_url(Contract, "add"), _contract_form(book.xinan, **{"milestones-1-share_bp": "6000"}))

    assert response.status_code == 200
    assert not Contract.objects.filter(number="HT-ADM-1").exists()


def test_amending_a_contract_in_the_admin_needs_a_reason_and_keeps_the_old_terms(admin_client, book):
    contract = Contract.objects.get(number="HT-2026-001")
    data = _contract_form(book.huadong, title=contract.title, signed_date=contract.signed_date.isoformat(),
                          amount="5,500,000.00", dispute_resolution="litigation", dispute_venue="",
                          late_interest_rate_daily="0", **{"milestones-TOTAL_FORMS": "0"})

    refused = admin_client.post(_url(Contract, "change", contract.pk), data)
    assert refused.status_code == 200
    assert "amendment_reason" in refused.context["adminform"].form.errors
    assert ContractVersion.objects.filter(contract=contract).count() == 0

    accepted = admin_client.post(_url(Contract, "change", contract.pk), {**data, "amendment_reason": "追加设备"})

    assert accepted.status_code == 302
    contract.refresh_from_db()
    assert (contract.amount_minor, contract.version) == (550_000_000, 2)
    version = ContractVersion.objects.get(contract=contract)
    assert (version.version, version.reason, version.terms["amount_minor"]) == (1, "追加设备", 500_000_000)


def test_an_exchange_rate_set_in_the_admin_is_audited(admin_client, book):
    data = {"currency": "USD", "date": "2026-03-02", "rate": "7.12340000", "source": "中国人民银行"}

    response = admin_client.post(_url(ExchangeRate, "add"), data)

    assert response.status_code == 302
    rate = ExchangeRate.objects.get(currency="USD", date=date(2026, 3, 2))
    assert rate.rate == Decimal("7.1234")
    assert AuditEvent.objects.filter(action="exchange_rate_set", subject_id=str(rate.pk)).count() == 1


def test_staff_without_the_view_permission_do_not_see_the_audit_trail(client, book):
    book.clerk.is_staff = True
    book.clerk.save(update_fields=["is_staff"])
    client.force_login(book.clerk)

    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403
    assert client.get(reverse("admin:ledger_invoice_changelist")).status_code == 200
