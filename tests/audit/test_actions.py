"""The audit-action catalogue: audit_record refuses an action outside it, and every call site names one."""

import re
from pathlib import Path

import pytest
from django.db import transaction

from arms.audit.actions import AuditAction, action_label
from arms.audit.models import AuditEvent, AuditHead
from arms.audit.services import audit_record
from arms.cases.enums import PlanStatus

SRC = Path(__file__).resolve().parents[2] / "src" / "arms"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "audit.md"
CALL = re.compile(r"audit_record\((?:[^()]|\([^()]*\))*?action=(?P<action>[^,)]+)", re.S)
#: actions built from a value at run time, and every value they are built from
DYNAMIC = {
    'f"promise_{outcome}"': [f"promise_{outcome}" for outcome in ("kept", "broken")],
    # audit_batch_anchor's one event for a bulk write (arms.audit.services): its own, or the import run's
    "action": ["audit_batch_anchored", "import_completed"],
    'f"installment_plan_{plan.status}"': [
        f"installment_plan_{status}" for status in (PlanStatus.COMPLETED, PlanStatus.BREACHED)
    ],
}


def call_sites() -> list[tuple[str, str]]:
    sites = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for match in CALL.finditer(path.read_text()):
            sites.append((str(path.relative_to(SRC)), match["action"].strip()))
    return sites


def test_every_call_site_names_an_action_in_the_catalogue():
    sites = call_sites()
    assert len(sites) > 60
    for where, expression in sites:
        if expression.startswith("AuditAction."):
            assert hasattr(AuditAction, expression.removeprefix("AuditAction.")), (where, expression)
        elif expression in DYNAMIC:
            assert set(DYNAMIC[expression]) <= set(AuditAction.values), (where, expression)
        else:  # a literal, or a choice between literals
            literals = re.findall(r'(?<![\w])"([a-z_]+)"', expression)
            assert literals and 'f"' not in expression, f"{where}: an action the scan cannot read: {expression}"
            for literal in literals:
                assert literal in AuditAction.values, f"{where}: {literal} is not in AuditAction"


@pytest.mark.django_db
def test_an_action_outside_the_catalogue_is_refused_and_nothing_is_written(customer):
    head = AuditHead.objects.get(pk=1).last_seq
    with pytest.raises(ValueError, match="not in the catalogue"), transaction.atomic():
        audit_record(actor=None, action="invoice_postd", subject=customer)
    assert AuditEvent.objects.count() == 0 and AuditHead.objects.get(pk=1).last_seq == head


def test_every_action_has_a_chinese_label_and_is_documented(settings):
    from django.utils import translation

    documented = DOCS.read_text()
    with translation.override("zh-hans"):
        for action in AuditAction:
            assert f"`{action.value}`" in documented, action
            assert action_label(action.value) != action.value
    assert action_label("no_longer_used") == "no_longer_used"
