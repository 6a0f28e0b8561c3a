"""/api/v1/customers: create, list with filters and pages, read, change, add a contact."""

from __future__ import annotations

from arms.audit.models import AuditEvent
from arms.customers.models import Contact, Customer
from arms.domain.uscc import make_uscc
from tests import factories

USCC = make_uscc("91310000MA1FL0000")


def test_create_customer(clerk_api):
    collector = factories.user("collector_wang", role="collector")

    response = clerk_api.post("/customers", {
        "code": "C-API-1", "name": "上海测试机械有限公司", "uscc": USCC.lower(), "industry": "manufacturing",
        "region": "east", "province": "上海", "collector_id": collector.pk, "payment_terms_days": 60,
        "payment_terms_basis": "month_end", "notes": "老客户",
    })

    assert response.status_code == 201, response.content
    body = response.json()
    customer = Customer.objects.get(code="C-API-1")
    assert body == {
        "id": customer.pk, "code": "C-API-1", "name": "上海测试机械有限公司", "uscc": USCC,
        "industry": "manufacturing", "region": "east", "province": "上海", "address": "",
        "salesperson_id": None, "salesperson": None, "collector_id": collector.pk, "collector": "collector_wang",
        "payment_terms_days": 60, "payment_terms_basis": "month_end", "currency": "CNY", "status": "active",
        "notes": "老客户", "key_account": False, "created_at": body["created_at"], "contacts": [],
    }
    event = AuditEvent.objects.get(action="customer_created")
    assert (event.actor_name, event.subject_id) == ("clerk", str(customer.pk))


def test_salesperson_creates_a_customer_they_own(sales_api):
    response = sales_api.post("/customers", {"code": "C-SALES", "name": "销售自建客户"})

    assert response.status_code == 201, response.content
    assert (response.json()["salesperson_id"], response.json()["salesperson"]) == (sales_api.user.pk, "sales_li")
    assert sales_api.get(f"/customers/{response.json()['id']}").status_code == 200


def test_list_customers_with_filters_and_pages(clerk_api):
    sales = factories.user("sales_zhao", role="sales")
    factories.customer("A-1", name="甲公司", region="north", industry="energy", salesperson=sales)
    factories.customer("A-2", name="乙公司", region="south", status="on_hold")
    factories.customer("A-3", name="丙公司", region="north", industry="energy")

    first = clerk_api.get("/customers", {"limit": 2, "offset": 0}).json()
    second = clerk_api.get("/customers", {"limit": 2, "offset": 2}).json()

    assert (first["count"], first["limit"], first["offset"]) == (3, 2, 0)
    assert [c["code"] for c in first["items"]] == ["A-1", "A-2"]
    assert [c["code"] for c in second["items"]] == ["A-3"]

    def codes(**params):
        return [c["code"] for c in clerk_api.get("/customers", params).json()["items"]]

    assert codes(region="north") == ["A-1", "A-3"]
    assert codes(status="on_hold") == ["A-2"]
    assert codes(industry="energy", search="丙") == ["A-3"]
    assert codes(salesperson_id=sales.pk) == ["A-1"]
    assert codes(search="A-2") == ["A-2"]


def test_get_customer_with_its_contacts(clerk_api, customer):
    Contact.objects.create(customer=customer, name="王会计", role="财务", phone="13800000000", is_primary=True)

    response = clerk_api.get(f"/customers/{customer.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["code"], body["name"]) == (customer.pk, customer.code, customer.name)
    assert [(c["name"], c["role"], c["phone"], c["is_primary"]) for c in body["contacts"]] == [
        ("王会计", "财务", "13800000000", True)
    ]


def test_patch_customer_changes_only_what_is_sent(clerk_api, customer):
    old_name = customer.name

    response = clerk_api.patch(f"/customers/{customer.pk}", {"name": "新名称有限公司", "payment_terms_days": 45,
                                                             "status": "on_hold"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["payment_terms_days"], body["status"], body["uscc"]) == (
        "新名称有限公司", 45, "on_hold", customer.uscc)
    customer.refresh_from_db()
    assert (customer.name, customer.payment_terms_days, customer.status) == ("新名称有限公司", 45, "on_hold")
    event = AuditEvent.objects.get(action="customer_updated")
    assert event.before == {"name": old_name, "payment_terms_days": 30, "status": "active"}
    assert event.after == {"name": "新名称有限公司", "payment_terms_days": 45, "status": "on_hold"}


def test_add_contact_is_audited_and_a_new_primary_replaces_the_old(clerk_api, customer):
    old = Contact.objects.create(customer=customer, name="旧联系人", is_primary=True)

    response = clerk_api.post(f"/customers/{customer.pk}/contacts", {
        "name": "李经理", "role": "采购经理", "phone": "021-12345678", "email": "li@example.cn", "is_primary": True,
    })

    assert response.status_code == 201, response.content
    body = response.json()
    contact = Contact.objects.get(name="李经理")
    assert body == {"id": contact.pk, "name": "李经理", "role": "采购经理", "phone": "021-12345678",
                    "email": "li@example.cn", "is_primary": True, "created_at": body["created_at"]}
    old.refresh_from_db()
    assert old.is_primary is False
    event = AuditEvent.objects.get(action="contact_added")
    assert event.after == {"customer": customer.code, "name": "李经理", "role": "采购经理",
                           "phone": "021-12345678", "email": "li@example.cn", "is_primary": True}
