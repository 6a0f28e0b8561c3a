"""/api/v1/contracts: create with milestones, list, read with versions, amend, attach a scan."""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from arms.audit.models import AuditEvent
from arms.contracts.models import Contract, ContractAttachment
from tests import factories
from tests.api.conftest import make_contract

CONTRACT = {
    "number": "HT-2026-001", "title": "数控机床采购", "signed_date": "2026-01-05", "amount_minor": 1_000_001,
    "start_date": "2026-01-10", "end_date": "2026-12-31", "late_interest_rate_daily": "0.0005",
    "guarantee_type": "bank_guarantee", "dispute_resolution": "arbitration", "dispute_venue": "上海国际仲裁中心",
    "milestones": [
        {"name": "预付款", "share_bp": 3000},
        {"name": "到货款", "share_bp": 6000, "due_days": 30},
        {"name": "质保金", "share_bp": 1000, "due_days": 365},
    ],
}


def test_create_contract_with_milestones(clerk_api, customer):
    response = clerk_api.post("/contracts", {"customer_id": customer.pk, **CONTRACT})

    assert response.status_code == 201, response.content
    body = response.json()
    contract = Contract.objects.get(number="HT-2026-001")
    assert (body["id"], body["customer_id"], body["customer_code"], body["version"]) == (
        contract.pk, customer.pk, customer.code, 1)
    assert (body["amount_minor"], body["amount"], body["currency"]) == (1_000_001, "10,000.01", "CNY")
    assert (body["payment_terms_days"], body["payment_terms_basis"]) == (30, "invoice_date")
    assert (body["guarantee_type"], body["dispute_resolution"], body["status"]) == (
        "bank_guarantee", "arbitration", "draft")  # a new contract is a draft until reviewed and signed
    assert body["late_interest_rate_daily"] == "0.0005000"
    # largest remainder: the odd fen goes to the largest share, and the parts add up to the amount
    assert body["milestones"] == [
        {"sequence": 1, "name": "预付款", "share_bp": 3000, "due_days": 0, "amount_minor": 300_000,
         "amount": "3,000.00"},
        {"sequence": 2, "name": "到货款", "share_bp": 6000, "due_days": 30, "amount_minor": 600_001,
         "amount": "6,000.01"},
        {"sequence": 3, "name": "质保金", "share_bp": 1000, "due_days": 365, "amount_minor": 100_000,
         "amount": "1,000.00"},
    ]
    assert (body["versions"], body["attachments"]) == ([], [])
    assert AuditEvent.objects.filter(action="contract_created", subject_id=str(contract.pk)).count() == 1


def test_list_contracts_with_filters(clerk_api, customer):
    other = factories.customer(name="另一家公司")
    make_contract(customer, "HT-A", signed=date(2026, 1, 1), title="设备")
    make_contract(customer, "HT-B", signed=date(2026, 3, 1), status="completed")
    make_contract(other, "HT-C", signed=date(2026, 2, 1))

    everything = clerk_api.get("/contracts").json()
    assert (everything["count"], [c["number"] for c in everything["items"]]) == (3, ["HT-B", "HT-C", "HT-A"])

    def numbers(**params):
        return [c["number"] for c in clerk_api.get("/contracts", params).json()["items"]]

    assert numbers(customer_id=customer.pk) == ["HT-B", "HT-A"]
    assert numbers(status="completed") == ["HT-B"]
    assert numbers(search="设备") == ["HT-A"]
    assert numbers(search="另一家") == ["HT-C"]
    assert numbers(limit=1, offset=1) == ["HT-C"]


def test_get_contract_with_milestones_and_versions(clerk_api, customer):
    contract = make_contract(customer, "HT-G", amount=300_000)

    body = clerk_api.get(f"/contracts/{contract.pk}").json()

    assert (body["number"], body["amount"], body["version"]) == ("HT-G", "3,000.00", 1)
    assert [(m["name"], m["amount_minor"]) for m in body["milestones"]] == [("全款", 300_000)]
    assert body["versions"] == []


def test_amend_contract_keeps_the_old_terms_as_a_version(clerk_api, customer):
    contract = make_contract(customer, "HT-M", amount=500_000)

    response = clerk_api.post(f"/contracts/{contract.pk}/amend", {
        "reason": "增加采购数量", "amount_minor": 800_000, "payment_terms_days": 60,
        "milestones": [{"name": "预付款", "share_bp": 5000}, {"name": "尾款", "share_bp": 5000, "due_days": 90}],
    })

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["amount_minor"], body["payment_terms_days"]) == (2, 800_000, 60)
    assert [(m["name"], m["amount_minor"], m["due_days"]) for m in body["milestones"]] == [
        ("预付款", 400_000, 0), ("尾款", 400_000, 90)]
    [version] = body["versions"]
    assert (version["version"], version["reason"], version["amended_by"]) == (1, "增加采购数量", "clerk")
    assert (version["terms"]["amount_minor"], version["terms"]["payment_terms_days"]) == (500_000, 30)
    assert version["terms"]["milestones"] == [{"sequence": 1, "name": "全款", "share_bp": 10000, "due_days": 0}]
    assert AuditEvent.objects.filter(action="contract_amended").count() == 1


def test_attach_a_scan_to_a_contract(clerk_api, customer, settings):
    contract = make_contract(customer, "HT-S")
    content = b"%PDF-1.4 signed contract"

    response = clerk_api.upload(f"/contracts/{contract.pk}/attachments", {
        "file": SimpleUploadedFile("合同扫描件.pdf", content, content_type="application/pdf"),
        "description": "双方盖章版",
    })

    assert response.status_code == 201, response.content
    attachment = ContractAttachment.objects.get(contract=contract)
    assert response.json() == {
        "id": attachment.pk, "filename": "合同扫描件.pdf", "description": "双方盖章版",
        "sha256": hashlib.sha256(content).hexdigest(), "created_at": response.json()["created_at"],
    }
    assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == content
    detail = clerk_api.get(f"/contracts/{contract.pk}").json()
    assert [a["filename"] for a in detail["attachments"]] == ["合同扫描件.pdf"]
    assert AuditEvent.objects.filter(action="contract_attachment_added").count() == 1
