import hashlib
from datetime import date
from decimal import Decimal

import pytest

from arms.audit.models import AuditEvent
from arms.common.errors import Conflict, ValidationFailed
from arms.contracts.models import Contract, ContractVersion
from arms.contracts.services import MilestoneIn, contract_amend, contract_attach, contract_create
from arms.ledger.errors import CurrencyMismatch
from tests import factories


def _contract(customer, actor, **kw):
    fields = {"number": "HT-2026-001", "signed_date": date(2026, 1, 5), "amount_minor": 1_000_000_00,
              "payment_terms_days": 45, "late_interest_rate_daily": "0.0005", "penalty_rate": "0.05",
              "guarantee_type": "mortgage", "dispute_resolution": "arbitration", "dispute_venue": "上海国际仲裁中心"}
    fields.update(kw)
    return contract_create(actor=actor, customer=customer, **fields)


@pytest.mark.django_db
def test_contract_with_milestones_sets_invoice_terms(clerk, customer):
    contract = _contract(customer, clerk, milestones=[MilestoneIn("预付款", 3000), MilestoneIn("到货款", 6000, 30),
                                                     MilestoneIn("质保金", 1000, 365)])
    assert [m.share_bp for m in contract.milestones.all()] == [3000, 6000, 1000]
    assert contract.late_interest_rate_daily == Decimal("0.0005")
    invoice = factories.invoice(customer, issued=date(2026, 2, 1), actor=clerk, contract=contract)
    assert invoice.due_date == date(2026, 3, 18)  # the contract's 45 days, not the customer's 30


@pytest.mark.django_db
def test_milestones_must_add_up_to_100_percent(clerk, customer):
    with pytest.raises(ValidationFailed) as refused:
        _contract(customer, clerk, milestones=[MilestoneIn("预付款", 3000), MilestoneIn("尾款", 6000)])
    assert refused.value.field == "milestones"
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_amendment_keeps_the_previous_terms_as_a_version(clerk, customer):
    contract = _contract(customer, clerk)
    amended = contract_amend(actor=clerk, contract=contract, reason="补充协议一：延长账期", payment_terms_days=60,
                             amount_minor=1_200_000_00)
    assert (amended.version, amended.payment_terms_days, amended.amount_minor) == (2, 60, 1_200_000_00)
    old = ContractVersion.objects.get(contract=contract)
    assert (old.version, old.terms["payment_terms_days"], old.terms["amount_minor"]) == (1, 45, 1_000_000_00)
    assert old.reason == "补充协议一：延长账期"
    assert AuditEvent.objects.filter(action="contract_amended").count() == 1


@pytest.mark.django_db
def test_amendment_cannot_cut_the_amount_below_what_is_invoiced(clerk, customer):
    contract = _contract(customer, clerk, amount_minor=200_000)
    factories.invoice(customer, net=100_000, tax=13_000, actor=clerk, contract=contract)
    with pytest.raises(ValidationFailed) as refused:
        contract_amend(actor=clerk, contract=contract, reason="减少", amount_minor=100_000)
    assert refused.value.field == "amount_minor"
    contract.refresh_from_db()
    assert (contract.version, contract.amount_minor) == (1, 200_000)
    assert ContractVersion.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [({"amount_minor": 0}, "amount_minor"), ({"penalty_rate": "1.5"}, "penalty_rate"),
     ({"guarantee_type": "hope"}, "guarantee_type"), ({"start_date": date(2026, 2, 1), "end_date": date(2026, 1, 1)},
                                                      "end_date")],
)
def test_contract_bad_fields_are_named(clerk, customer, fields, field):
    with pytest.raises(ValidationFailed) as refused:
        _contract(customer, clerk, **fields)
    assert refused.value.field == field
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_contract_number_and_foreign_currency_invoice(clerk, customer):
    contract = _contract(customer, clerk)
    with pytest.raises(Conflict):
        _contract(customer, clerk)
    with pytest.raises(CurrencyMismatch):
        factories.invoice(customer, actor=clerk, contract=contract, currency="USD")


@pytest.mark.django_db
def test_attachment_is_fingerprinted(clerk, customer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    contract = _contract(customer, clerk)
    attachment = contract_attach(actor=clerk, contract=contract, filename="scan.pdf", content=b"%PDF-1.4 test")
    assert attachment.sha256 == hashlib.sha256(b"%PDF-1.4 test").hexdigest()
    assert (tmp_path / attachment.file.name).read_bytes() == b"%PDF-1.4 test"


@pytest.mark.django_db
def test_review_terms_are_checked_and_kept(clerk, customer):
    contract = _contract(customer, clerk, acceptance_clause="到货后7日内验收", governing_law="中华人民共和国法律",
                         late_interest_tiers=[{"from_day": 1, "daily_rate": "0.0003"},
                                              {"from_day": 30, "daily_rate": "0.0005"}],
                         discount_pct="2", discount_days=10, deposit_pct="30", review_date=date(2026, 6, 30))
    contract.refresh_from_db()
    assert contract.late_interest_tiers == [{"from_day": 1, "daily_rate": "0.0003"},
                                            {"from_day": 30, "daily_rate": "0.0005"}]
    assert (contract.discount_pct, contract.discount_days, contract.deposit_pct) == (Decimal(2), 10, Decimal(30))
    amended = contract_amend(actor=clerk, contract=contract, reason="押金取客户政策", deposit_pct=None)
    assert amended.deposit_pct is None
    assert ContractVersion.objects.get(contract=contract).terms["governing_law"] == "中华人民共和国法律"


@pytest.mark.parametrize(("terms", "field"), [
    ({"discount_pct": "2"}, "discount_days"),
    ({"discount_days": 10}, "discount_pct"),
    ({"discount_pct": "101", "discount_days": 10}, "discount_pct"),
    ({"discount_pct": "2", "discount_days": 366}, "discount_days"),
    ({"deposit_pct": "-1"}, "deposit_pct"),
    ({"governing_law": "法" * 101}, "governing_law"),
    ({"late_interest_tiers": [{"from_day": 0, "daily_rate": "0.0003"}]}, "late_interest_tiers[0].from_day"),
    ({"late_interest_tiers": [{"from_day": 30, "daily_rate": "0.0003"}, {"from_day": 30, "daily_rate": "0.001"}]},
     "late_interest_tiers[1].from_day"),
    ({"late_interest_tiers": [{"from_day": 1, "daily_rate": "0.02"}]}, "late_interest_tiers[0].daily_rate"),
    ({"late_interest_tiers": [{"from_day": d, "daily_rate": "0.001"} for d in range(1, 12)]}, "late_interest_tiers"),
])
@pytest.mark.django_db
def test_bad_review_terms_are_refused_naming_the_field(clerk, customer, terms, field):
    with pytest.raises(ValidationFailed) as refused:
        _contract(customer, clerk, **terms)
    assert refused.value.field == field
    assert Contract.objects.count() == 0
