"""Legal cases (filing interrupts the claims' limitation; recoveries come from the ledger), agency mandates (the fee
due on what was collected), settlements (four eyes; the waived principal is a credit note; letters stop claiming
interest) and the debtor asset register (one refresh task per stale period). Bad input names its field and writes
nothing."""

from __future__ import annotations

from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.cases.models import Task
from arms.common.approvals import FourEyes
from arms.common.errors import Conflict, Forbidden, ValidationFailed
from arms.ledger.models import CreditNote
from arms.ledger.services import payment_allocate, payment_record
from arms.ledger.services.allocations import AllocationRequest
from arms.legal import selectors
from arms.legal.models import AgencyMandate, DebtorAsset, LegalCase, Settlement
from arms.legal.services import (
    asset_record,
    assets_stale_remind,
    case_file,
    case_judgment,
    case_open,
    case_preservation,
    case_status_set,
    cost_record,
    hearing_record,
    mandate_create,
    settlement_approve,
    settlement_request,
)
from arms.limitation.models import LimitationInterruption
from arms.limitation.selectors import limitation_state
from tests import factories

pytestmark = pytest.mark.django_db
ISSUED = date(2026, 1, 10)  # due 9 Feb on 30 days


def pay(actor, customer, invoice, amount: int, on: date) -> None:
    payment = payment_record(actor=actor, customer=customer, received_date=on, amount_minor=amount)
    payment_allocate(actor=actor, payment=payment, lines=[AllocationRequest(invoice.pk, amount)], on=on)


@pytest.mark.clock(date(2026, 9, 30))
def test_a_case_from_filing_to_enforcement(company, customer, lawyer, manager):
    a = factories.invoice(customer, net=10_000_000, tax=1_300_000, issued=ISSUED)
    b = factories.invoice(customer, net=5_000_000, tax=650_000, issued=ISSUED)
    before = limitation_state(a).expires_on
    pay(manager, customer, a, 1_300_000, date(2026, 3, 1))  # before the case: not a recovery

    case = case_open(actor=lawyer, customer=customer, kind="litigation", forum="上海市浦东新区人民法院",
                     invoice_ids=[a.pk, b.pk])
    assert (case.claim_minor, case.currency, case.status) == (10_000_000 + 5_650_000, "CNY", "preparing")
    assert not LimitationInterruption.objects.exists()

    # filing interrupts both claims' limitation on the filing day
    case_file(actor=lawyer, case=case, filed_on=date(2026, 6, 1), case_number="(2026)沪0115民初12345号")
    rows = LimitationInterruption.objects.filter(source=f"legal.case:{case.pk}").order_by("invoice_id")
    assert [(r.invoice_id, r.kind, r.date) for r in rows] == [(a.pk, "lawsuit", date(2026, 6, 1)),
                                                              (b.pk, "lawsuit", date(2026, 6, 1))]
    assert limitation_state(a).last_interruption == date(2026, 6, 1) and limitation_state(a).expires_on > before

    asset = asset_record(actor=lawyer, customer=customer, kind="bank_account", description="基本户 招商银行",
                         location="招商银行上海分行", estimated_value_minor=8_000_000, source="法院查询",
                         fact_date=date(2026, 5, 20))
    case_preservation(actor=lawyer, case=case, applied_on=date(2026, 6, 2), ordered_on=date(2026, 6, 5),
                      amount_minor=15_650_000, order_number="(2026)沪0115财保88号", asset_ids=[asset.pk])
    case_status_set(actor=lawyer, case=case, status="preservation")
    hearing_record(actor=lawyer, case=case, on=date(2026, 7, 15), note="第一次开庭")
    cost_record(actor=lawyer, case=case, kind="court_fee", on=date(2026, 6, 1), amount_minor=118_300)
    cost_record(actor=lawyer, case=case, kind="preservation_fee", on=date(2026, 6, 2), amount_minor=80_520)
    case_status_set(actor=lawyer, case=case, status="hearing")
    case_judgment(actor=lawyer, case=case, judgment_on=date(2026, 8, 20), awarded_minor=14_350_000,
                  awarded_costs_minor=250_000, document_name="判决书.pdf", document_bytes=b"%PDF judgment")
    case_status_set(actor=lawyer, case=case, status="judgment")
    case_status_set(actor=lawyer, case=case, status="enforcement")

    # the debtor pays 3,000,000.00 on B after filing: that is what the case recovered
    pay(manager, customer, b, 3_000_000, date(2026, 9, 1))
    listed = selectors.case_list(user=lawyer).get(pk=case.pk)
    assert (listed.recovered_minor, listed.costs_minor, listed.claim_count) == (3_000_000, 198_820, 2)
    assert selectors.case_recovered_minor(listed) == 3_000_000
    assert list(listed.preserved_assets.all()) == [asset]
    assert listed.judgment_document.content == b"%PDF judgment"

    case_status_set(actor=lawyer, case=case, status="closed_won")
    with pytest.raises(Conflict) as closed:
        case_status_set(actor=lawyer, case=case, status="hearing")
    assert closed.value.code == "case_status_not_allowed"


@pytest.mark.clock(date(2026, 9, 30))
def test_bad_case_input_names_the_field_and_writes_nothing(company, customer, lawyer):
    a = factories.invoice(customer, issued=ISSUED)
    other = factories.invoice(factories.customer(), issued=ISSUED)
    events = AuditEvent.objects.count()
    cases = [
        ({"kind": "mediation"}, "kind"),
        ({"forum": "  "}, "forum"),
        ({"invoice_ids": []}, "invoice_ids"),
        ({"invoice_ids": [a.pk, other.pk]}, "invoice_ids"),
        ({"claim_minor": -1}, "claim_minor"),
    ]
    for change, field in cases:
        args = {"actor": lawyer, "customer": customer, "kind": "litigation", "forum": "法院", "invoice_ids": [a.pk],
                **change}
        with pytest.raises(ValidationFailed) as refused:
            case_open(**args)
        assert refused.value.field == field, change
    assert not LegalCase.objects.exists() and AuditEvent.objects.count() == events

    case = case_open(actor=lawyer, customer=customer, kind="arbitration", forum="上海仲裁委员会", invoice_ids=[a.pk])
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as future:
        case_file(actor=lawyer, case=case, filed_on=date(2026, 10, 1))
    assert future.value.field == "filed_on"
    with pytest.raises(ValidationFailed) as early:
        case_file(actor=lawyer, case=case, filed_on=date(2026, 1, 1))
    assert early.value.field == "filed_on"
    with pytest.raises(ValidationFailed) as filing:
        case_status_set(actor=lawyer, case=case, status="filed")
    assert filing.value.field == "filed_on"
    with pytest.raises(Conflict):
        case_status_set(actor=lawyer, case=case, status="judgment")
    with pytest.raises(ValidationFailed) as cost:
        cost_record(actor=lawyer, case=case, kind="court_fee", on=date(2026, 6, 1), amount_minor=0)
    assert cost.value.field == "amount_minor"
    case.refresh_from_db()
    assert case.status == "preparing" and not LimitationInterruption.objects.exists()
    assert AuditEvent.objects.count() == events
    # arbitration interrupts as an arbitration
    case_file(actor=lawyer, case=case, filed_on=date(2026, 6, 1))
    assert LimitationInterruption.objects.get().kind == "arbitration"


@pytest.mark.clock(date(2026, 9, 30))
def test_an_agency_earns_its_share_of_what_it_collected(company, customer, lawyer, manager):
    a = factories.invoice(customer, net=1_000_000, tax=130_000, issued=ISSUED)
    pay(manager, customer, a, 100_000, date(2026, 4, 30))  # before the hand-over: not the agency's
    with pytest.raises(ValidationFailed) as share:
        mandate_create(actor=lawyer, customer=customer, agency_name="华信催收", handed_over_on=date(2026, 5, 1),
                       fee_share_bp=10_001, invoice_ids=[a.pk])
    assert share.value.field == "fee_share_bp" and not AgencyMandate.objects.exists()
    mandate = mandate_create(actor=lawyer, customer=customer, agency_name="华信催收", handed_over_on=date(2026, 5, 1),
                             fee_share_bp=1_500, invoice_ids=[a.pk])
    pay(manager, customer, a, 333_333, date(2026, 6, 10))
    listed = selectors.mandate_list(user=lawyer).get(pk=mandate.pk)
    # 15% of 3,333.33 = 499.9995 -> 500.00
    assert (listed.collected_minor, listed.fee_due_minor) == (333_333, 50_000)
    assert selectors.fee_due_minor(333_333, 1_500) == 50_000


@pytest.mark.clock(date(2026, 9, 30))
def test_a_settlement_needs_a_second_person_and_posts_a_credit_note(company, customer, lawyer, lawyer2, manager):
    from arms.dunning.documents import charges_waived
    from tests import conftest

    a = factories.invoice(customer, net=1_000_000, tax=130_000, issued=ISSUED)
    events = AuditEvent.objects.count()
    refused = [
        ({"waived_interest_minor": -1}, "waived_interest_minor"),
        ({"waived_principal_minor": 1_130_001}, "waived_principal_minor"),  # more than is open
        ({"terms": " "}, "terms"),
        ({"waived_principal_minor": 0}, "waived_interest_minor"),  # waives nothing
    ]
    for change, field in refused:
        args = {"actor": lawyer, "invoice": a, "terms": "分期付清本金，免除利息", "waived_principal_minor": 113_000,
                **change}
        with pytest.raises(ValidationFailed) as error:
            settlement_request(**args)
        assert error.value.field == field, change
    assert not Settlement.objects.exists() and AuditEvent.objects.count() == events

    settlement = settlement_request(actor=lawyer, invoice=a, terms="9月底前付清余款，免除利息、违约金及本金1,130.00",
                                    waived_interest_minor=25_000, waived_penalty_minor=56_500,
                                    waived_principal_minor=113_000)
    # the requester cannot approve; a collector cannot approve at all; nothing changes
    with pytest.raises(FourEyes):
        settlement_approve(actor=lawyer, settlement=settlement)
    collector = factories.user("collector-s", role="collector")
    with pytest.raises(Forbidden):
        settlement_approve(actor=collector, settlement=settlement)
    a.refresh_from_db()
    assert a.amount_open_minor == 1_130_000 and not CreditNote.objects.exists()
    assert charges_waived([a.pk]) == set()

    approved = settlement_approve(actor=lawyer2, settlement=settlement, note="同意")
    a.refresh_from_db()
    note = approved.credit_note
    assert approved.status == "approved" and (note.net_minor, note.tax_minor, note.gross_minor) == (
        100_000, 13_000, 113_000)
    assert a.amount_open_minor == 1_130_000 - 113_000
    assert charges_waived([a.pk]) == {a.pk}  # letters no longer claim its interest and penalty
    assert conftest.ledger_problems() == {}
    with pytest.raises(Conflict) as again:
        settlement_approve(actor=manager, settlement=settlement)
    assert again.value.code == "settlement_not_pending"


@pytest.mark.clock(date(2026, 9, 30))
def test_legal_approves_up_to_its_limit_and_a_finance_manager_above(company, customer, lawyer, lawyer2, manager):
    a = factories.invoice(customer, net=100_000_000, tax=13_000_000, issued=ISSUED)
    big = settlement_request(actor=lawyer, invoice=a, terms="免除违约金", waived_penalty_minor=5_000_001)
    with pytest.raises(Forbidden):
        settlement_approve(actor=lawyer2, settlement=big)  # legal's limit is 50,000.00
    assert settlement_approve(actor=manager, settlement=big).status == "approved"


@pytest.mark.clock(date(2026, 9, 30))
def test_stale_asset_facts_of_a_customer_in_a_legal_stage_raise_one_task_per_period(
        company, customer, lawyer, time_machine):
    quiet = factories.customer()  # no legal stage: never reminded
    a = factories.invoice(customer, issued=ISSUED)
    factories.invoice(quiet, issued=ISSUED)
    asset_record(actor=lawyer, customer=quiet, kind="vehicle", description="沪A12345", source="现场走访",
                 fact_date=date(2026, 1, 5))
    case = case_open(actor=lawyer, customer=customer, kind="litigation", forum="法院", invoice_ids=[a.pk])
    asset_record(actor=lawyer, customer=customer, kind="real_estate", description="厂房 一处", source="企查查",
                 fact_date=date(2026, 6, 1), estimated_value_minor=300_000_000)
    # 1 June + 90 days = 30 August: stale on 30 September
    assert assets_stale_remind(as_of=date(2026, 9, 30), company=company) == 1
    assert assets_stale_remind(as_of=date(2026, 9, 30), company=company) == 0  # once
    [task] = Task.objects.filter(source="legal")
    assert task.customer == customer and "厂房" not in task.title and "2026-06-01" in task.title
    # the next day, still the same stale period: nothing new
    assert assets_stale_remind(as_of=date(2026, 10, 1), company=company) == 0
    # a fresh fact ends it
    asset_record(actor=lawyer, customer=customer, kind="equity", description="子公司 60% 股权", source="企查查",
                 fact_date=date(2026, 9, 29))
    assert assets_stale_remind(as_of=date(2026, 9, 30), company=company) == 0
    # bad input names the field and writes nothing
    count = DebtorAsset.objects.count()
    for change, field in [({"kind": "boat"}, "kind"), ({"description": ""}, "description"),
                          ({"source": ""}, "source"), ({"estimated_value_minor": -5}, "estimated_value_minor"),
                          ({"fact_date": date(2026, 10, 2)}, "fact_date")]:
        args = {"actor": lawyer, "customer": customer, "kind": "vehicle", "description": "车", "source": "走访",
                "fact_date": date(2026, 9, 1), **change}
        with pytest.raises(ValidationFailed) as refused:
            asset_record(**args)
        assert refused.value.field == field
    assert DebtorAsset.objects.count() == count
    # a closed case takes the customer out of the legal stage
    case_status_set(actor=lawyer, case=case, status="withdrawn")
    assert list(selectors.asset_list(user=lawyer, customer_id=customer.pk).values_list("kind", flat=True)) == [
        "equity", "real_estate"]
