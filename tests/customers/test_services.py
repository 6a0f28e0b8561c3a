from datetime import date

import pytest
from django.utils import translation

from arms.audit.models import AuditEvent
from arms.common.errors import Conflict, ValidationFailed
from arms.customers.models import Customer
from arms.customers.services import customer_create, customer_update
from arms.domain.uscc import make_uscc
from tests import factories

VALID = make_uscc("91310115MA1K4ABC1")


@pytest.mark.django_db
def test_customer_create_normalises_uscc_and_audits(clerk):
    customer = customer_create(actor=clerk, code="C1", name=" 上海测试有限公司 ", uscc=VALID.lower(),
                               industry="manufacturing", payment_terms_days=45)
    assert (customer.name, customer.uscc, customer.payment_terms_days) == ("上海测试有限公司", VALID, 45)
    event = AuditEvent.objects.get(action="customer_created")
    assert (event.actor_name, event.after["code"], event.after["uscc"]) == ("clerk", "C1", VALID)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"uscc": VALID[:-1] + ("0" if VALID[-1] != "0" else "1")}, "uscc", "check digit"),
        ({"uscc": "91310115MA1K4ABC"}, "uscc", "18 characters"),
        ({"industry": "mining"}, "industry", "mining"),
        ({"payment_terms_days": -1}, "payment_terms_days", "3650"),
        ({"currency": "yuan"}, "currency", "ISO 4217"),
        ({"salesperson": "nobody"}, "salesperson", "nobody"),
        ({"name": "  "}, "name", ""),
    ],
)
def test_customer_create_refuses_bad_field_and_writes_nothing(clerk, fields, field, fragment):
    kwargs = {"code": "C9", "name": "某公司", **fields}
    with pytest.raises(ValidationFailed) as refused:
        customer_create(actor=clerk, **kwargs)
    assert refused.value.field == field
    assert fragment in refused.value.message
    assert Customer.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_customer_codes_and_uscc_are_unique(clerk):
    customer_create(actor=clerk, code="C1", name="甲", uscc=VALID)
    with pytest.raises(Conflict) as dup_code:
        customer_create(actor=clerk, code="C1", name="乙")
    with pytest.raises(Conflict) as dup_uscc:
        customer_create(actor=clerk, code="C2", name="丙", uscc=VALID)
    assert (dup_code.value.field, dup_uscc.value.field) == ("code", "uscc")
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_customer_update_audits_only_what_changed(clerk):
    customer = customer_create(actor=clerk, code="C1", name="甲公司", payment_terms_days=30)
    sales = factories.user("sales9", role="sales")
    customer_update(actor=clerk, customer=customer, payment_terms_days=60, salesperson="sales9", name="甲公司")
    customer.refresh_from_db()
    assert (customer.payment_terms_days, customer.salesperson) == (60, sales)
    event = AuditEvent.objects.get(action="customer_updated")
    assert event.before == {"payment_terms_days": 30, "salesperson": None}
    assert event.after == {"payment_terms_days": 60, "salesperson": sales.pk}


@pytest.mark.django_db
def test_month_end_terms_drive_the_invoice_due_date(clerk):
    customer = customer_create(actor=clerk, code="C1", name="甲公司", payment_terms_days=60,
                               payment_terms_basis="month_end")
    invoice = factories.invoice(customer, issued=date(2026, 1, 10), actor=clerk)
    assert invoice.due_date == date(2026, 4, 1)  # 31 Jan + 60 days


@pytest.mark.django_db
def test_a_bad_uscc_is_refused_in_the_users_language(clerk):
    wrong = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")

    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        customer_create(actor=clerk, code="C9", name="某公司", uscc=wrong)

    assert refused.value.message == f"统一社会信用代码校验码为 {wrong[-1]}，应为 {VALID[-1]}"
    assert Customer.objects.count() == 0
