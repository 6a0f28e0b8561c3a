import pytest

from arms.customers.services import contact_create
from tests import factories
from tests.api.conftest import _media, api_for  # noqa: F401  (the API tests' fixtures, for the portal's API)
from tests.web.test_every_page_in_chinese import complete_book  # noqa: F401  (the page walk's book, module-scoped)


@pytest.fixture
def contact(customer):
    return contact_create(actor=None, customer=customer, name="王会计", email="wang@example.cn", is_primary=True)


@pytest.fixture
def other_customer(company):
    return factories.customer(name="别家客户有限公司")


@pytest.fixture
def other_contact(other_customer):
    return contact_create(actor=None, customer=other_customer, name="李出纳", email="li@example.cn")
