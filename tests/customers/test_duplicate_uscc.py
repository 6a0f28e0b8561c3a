"""A 统一社会信用代码 that another customer has: whoever may see that customer is told which one; a salesperson
for whom it is another salesperson's customer learns only that it exists and whom to ask."""

from __future__ import annotations

import pytest
from django.utils import translation

from arms.common.errors import Conflict
from arms.customers.models import Customer
from arms.customers.services import customer_create, customer_update
from arms.domain.uscc import make_uscc
from tests import factories
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

USCC = make_uscc("91310115MA1K4AB3C")
SECRET_NAME = "保密精工机械有限公司"


@pytest.fixture
def theirs():
    owner = factories.user("zhang-sales", role="sales")
    owner.first_name, owner.last_name = "伟", "张"
    owner.save(update_fields=["first_name", "last_name"])
    return factories.customer("SECRET01", name=SECRET_NAME, uscc=USCC, salesperson=owner)


def refusal(response) -> dict:
    assert response.status_code == 409, response.content
    return response.json()["error"]


def assert_tells_nothing_but_whom_to_ask(error: dict) -> None:
    assert (error["code"], error["field"]) == ("duplicate_uscc", "uscc")
    assert "张伟" in error["message"] and "财务" in error["message"]
    for detail in ("SECRET01", SECRET_NAME, USCC):
        assert detail not in error["message"]
    assert "details" not in error


def test_a_salesperson_creating_a_customer_learns_only_whom_to_ask(theirs):
    sales = factories.user("li-sales", role="sales")
    api = Api(sales)
    before = Customer.objects.count()

    error = refusal(api.post("/customers", {"code": "NEW01", "name": "新客户", "uscc": USCC},
                             headers={"Accept-Language": "zh-hans"}))

    assert_tells_nothing_but_whom_to_ask(error)
    assert Customer.objects.count() == before


def test_a_salesperson_editing_their_customer_learns_only_whom_to_ask(theirs):
    sales = factories.user("li-sales", role="sales")
    mine = factories.customer("MINE01", salesperson=sales)
    own_code = mine.uscc
    api = Api(sales)

    error = refusal(api.patch(f"/customers/{mine.pk}", {"uscc": USCC}, headers={"Accept-Language": "zh-hans"}))

    assert_tells_nothing_but_whom_to_ask(error)
    mine.refresh_from_db()
    assert mine.uscc == own_code


def test_whoever_sees_the_customer_is_told_which_one(theirs):
    clerk = factories.user("clerk-u", role="finance_clerk")
    error = refusal(Api(clerk).post("/customers", {"code": "NEW02", "name": "新客户", "uscc": USCC}))
    assert "SECRET01" in error["message"] and SECRET_NAME in error["message"]
    owner_api = Api(theirs.salesperson)
    error = refusal(owner_api.post("/customers", {"code": "NEW03", "name": "新客户", "uscc": USCC}))
    assert "SECRET01" in error["message"]


def test_a_customer_nobody_owns_points_to_the_finance_team(theirs):
    theirs.salesperson = None
    theirs.save(update_fields=["salesperson"])
    sales = factories.user("li-sales", role="sales")
    with translation.override("zh-hans"), pytest.raises(Conflict) as refused:
        customer_create(actor=sales, code="NEW04", name="新客户", uscc=USCC)
    assert "财务" in refused.value.message and "SECRET01" not in refused.value.message
    with pytest.raises(Conflict):
        customer_update(actor=sales, customer=factories.customer("MINE02", salesperson=sales), uscc=USCC)
