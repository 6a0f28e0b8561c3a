"""The exposure pages: holds (list, place, release), overrides (request, approve, self-approval refused), the
check form with its reasons, and the gauge and holds panel on the customer page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from arms.exposure import services
from arms.exposure.models import CreditHold, CreditOverride, OverrideStatus
from arms.exposure.templatetags.exposure_tags import DIAL_MAX_BP, _point
from arms.ledger.services import invoice_post
from tests import factories
from tests.exposure.conftest import rate

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_customer_page_shows_the_gauge_and_active_holds(customer, clerk, credit_manager):
    rate(customer, limit=200_000_00)
    invoice_post(actor=clerk, customer=customer, issue_date=TODAY, net_minor=190_000_00, tax_minor=0)
    services.hold_place(customer=customer, reason_code="manual", note="工商异常待核实", actor=credit_manager)

    page = login(credit_manager).get(f"/customers/{customer.pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="credit-exposure"' in html and "<svg" in html
    assert 'data-used-bp="9500"' in html
    assert "工商异常待核实" in html
    assert f'action="/credit/holds/{CreditHold.objects.get().pk}/release/"' in html  # credit managers release


def test_customer_page_without_a_limit_says_so_and_a_clerk_sees_no_release_button(customer, clerk, credit_manager):
    services.hold_place(customer=customer, reason_code="manual", note="x", actor=credit_manager)
    html = login(clerk).get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="exposure-limit"' in html and "/release/" not in html


def test_place_and_release_a_hold_from_the_pages(customer, credit_manager):
    client = login(credit_manager)
    placed = client.post("/credit/holds/place/", {"customer": customer.code, "reason_code": "manual",
                                                  "note": "停止发货"})
    assert placed.status_code == 302
    hold = CreditHold.objects.get(customer=customer, active=True)
    listing = client.get("/credit/holds/")
    assert "停止发货" in listing.content.decode()
    released = client.post(f"/credit/holds/{hold.pk}/release/", {"note": "已回款",
                                                                  "next": f"/customers/{customer.pk}/"})
    assert released.status_code == 302 and released["Location"] == f"/customers/{customer.pk}/"
    hold.refresh_from_db()
    assert (hold.active, hold.release_note) == (False, "已回款")


def test_the_customer_page_form_places_a_hold_and_comes_back(customer, credit_manager):
    client = login(credit_manager)
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    form = page[page.index('action="/credit/holds/place/"'):]
    form = form[:form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert len(fields["csrfmiddlewaretoken"]) > 20 and fields["customer"] == customer.code
    fields["note"] = "客户失联"
    response = client.post("/credit/holds/place/", fields)
    assert response.status_code == 302 and response["Location"] == f"/customers/{customer.pk}/"
    assert CreditHold.objects.get(customer=customer).note == "客户失联"


def test_placing_a_hold_for_an_unknown_code_shows_the_error_beside_the_field(credit_manager):
    response = login(credit_manager).post("/credit/holds/place/", {"customer": "NOPE", "reason_code": "manual",
                                                                   "note": "x"})
    assert response.status_code == 400
    assert 'id="error-customer"' in response.content.decode()
    assert CreditHold.objects.count() == 0


def test_hold_pages_need_their_permissions(customer, credit_manager):
    hold = services.hold_place(customer=customer, reason_code="manual", note="x", actor=credit_manager)
    clerk_client = login(factories.user(role="finance_clerk"))
    assert clerk_client.get("/credit/holds/").status_code == 200
    assert clerk_client.post("/credit/holds/place/", {"customer": customer.code, "note": "x"}).status_code == 403
    assert clerk_client.post(f"/credit/holds/{hold.pk}/release/", {"note": "x"}).status_code == 403
    assert CreditHold.objects.get().active


def test_override_request_self_approval_refused_then_approved_by_another_manager(
        customer, clerk, credit_manager, second_credit_manager):
    requester = login(credit_manager)
    response = requester.post("/credit/holds/overrides/request/", {
        "customer": customer.code, "amount": "12,000.00", "currency": "CNY", "document_kind": "invoice",
        "document_ref": "", "reason": "重点项目", "valid_days": "5"})
    assert response.status_code == 302
    override = CreditOverride.objects.get()
    assert (override.amount_minor, override.valid_days) == (12_000_00, 5)

    page = requester.get("/credit/holds/overrides/").content.decode()
    assert f'/overrides/{override.pk}/approve/' not in page  # the requester gets no buttons
    refused = requester.post(f"/credit/holds/overrides/{override.pk}/approve/", {"note": ""}, follow=True)
    assert refused.status_code == 200
    override.refresh_from_db()
    assert override.status == OverrideStatus.REQUESTED

    other = login(second_credit_manager)
    assert f'/overrides/{override.pk}/approve/' in other.get("/credit/holds/overrides/").content.decode()
    other.post(f"/credit/holds/overrides/{override.pk}/approve/", {"note": "同意"})
    override.refresh_from_db()
    assert (override.status, override.decided_by) == (OverrideStatus.APPROVED, second_credit_manager)


def test_override_request_with_a_bad_amount_is_shown_beside_the_field(customer, clerk):
    response = login(clerk).post("/credit/holds/overrides/request/", {
        "customer": customer.code, "amount": "12.345", "currency": "CNY", "reason": "r", "valid_days": "7"})
    assert response.status_code == 400 and 'id="error-amount"' in response.content.decode()
    assert CreditOverride.objects.count() == 0


def test_the_check_form_shows_the_decision_and_reasons(customer, clerk):
    rate(customer, limit=1_000_00)
    client = login(clerk)
    page = client.get("/credit/holds/check/", {"customer": customer.code, "amount": "1,000.01", "currency": "CNY",
                                               "document_kind": "order"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="decision"' in html and 'data-code="limit_exceeded"' in html
    partial = client.get("/credit/holds/check/", {"customer": customer.code, "amount": "10", "currency": "CNY",
                                                  "document_kind": "order"}, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<section id="check-result"')
    assert "decision-allow" in partial.content.decode()


def test_customer_exposure_page(customer, clerk):
    rate(customer, limit=1_000_00)
    invoice_post(actor=clerk, customer=customer, issue_date=TODAY, net_minor=300_00, tax_minor=0)
    page = login(clerk).get(f"/credit/holds/customers/{customer.pk}/")
    assert page.status_code == 200
    assert 'id="component-receivables">300.00<' in page.content.decode()


def test_the_dial_runs_from_left_to_right_over_the_half_circle():
    assert _point(0) == (20.0, 100.0)
    assert _point(DIAL_MAX_BP // 2) == (100.0, 20.0)
    assert _point(DIAL_MAX_BP) == (180.0, 100.0)
    assert _point(10 * DIAL_MAX_BP) == _point(DIAL_MAX_BP)


def test_a_zero_limit_reads_prepayment_only_not_a_percentage(customer, clerk):
    invoice_post(actor=clerk, customer=customer, issue_date=TODAY, net_minor=500_00, tax_minor=0)
    rate(customer, grade="D", limit=0)  # downgraded afterwards: no credit from now on
    page = login(clerk).get(f"/credit/holds/customers/{customer.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    gauge = page.content.decode().split('class="exposure-gauge', 1)[1].split("</figure>", 1)[0]
    assert "仅限预付" in gauge
    assert not re.search(r"\d%", gauge)  # not "1000%", nor any other share of a limit that is not there


def test_the_released_column_shows_when_and_by_whom_never_active(customer, credit_manager):
    services.hold_place(customer=customer, reason_code="manual", note="先停", actor=credit_manager)
    old = services.hold_place(customer=factories.customer(), reason_code="manual", note="旧的", actor=credit_manager)
    services.hold_release(hold=old, actor=credit_manager, note="已回款")
    credit_manager.first_name, credit_manager.last_name = "强", "李"
    credit_manager.save(update_fields=["first_name", "last_name"])

    html = login(credit_manager).get("/credit/holds/", {"state": "all"}).content.decode()

    released = re.findall(r'<td class="released">(.*?)</td>', html, flags=re.S)
    assert len(released) == 2
    active_cell = next(cell for cell in released if "已回款" not in cell)
    released_cell = next(cell for cell in released if "已回款" in cell)
    assert "active" not in active_cell and "—" in active_cell
    old.refresh_from_db()
    assert timezone.localtime(old.released_at).strftime("%Y-%m-%d %H:%M") in released_cell and "李强" in released_cell
