"""docs/roles.md's permission matrix is what the code grants, role by role (zero deviations), and the groups
`arms setup` makes hold exactly that; who owns a customer is changed only by those the table says may."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from arms.accounts.roles import Role, role_permissions
from arms.audit.models import AuditEvent
from arms.customers.models import Customer
from tests import factories
from tests.api.conftest import Api

ROLES_MD = Path(__file__).resolve().parents[2] / "docs" / "roles.md"


def documented() -> dict[str, set[str]]:
    """{role: permissions} from the matrix in docs/roles.md."""
    text = ROLES_MD.read_text(encoding="utf-8").split("## Permission matrix", 1)[1]
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip().strip("`") for cell in lines[0].strip("|").split("|")]
    assert header[0] == "permission"
    roles = header[1:]
    table: dict[str, set[str]] = {role: set() for role in roles}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        permission = cells[0].strip("`")
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", permission), line
        for role, mark in zip(roles, cells[1:], strict=True):
            assert mark in ("", "✓"), line
            if mark:
                table[role].add(permission)
    return table


def expected_matrix() -> str:
    """The matrix as the code has it (to paste into docs/roles.md when a role's permissions change on purpose)."""
    granted = role_permissions()
    roles = [r for r in Role if r != Role.ADMIN]
    rows = ["| permission | " + " | ".join(f"`{r.value}`" for r in roles) + " |",
            "| --- | " + " | ".join(":-:" for _ in roles) + " |"]
    for permission in sorted({p for perms in granted.values() for p in perms}):
        rows.append(f"| `{permission}` | " + " | ".join("✓" if permission in granted[r] else "" for r in roles) + " |")
    return "\n".join(rows)


def test_the_documented_matrix_is_what_the_code_grants():
    table = documented()
    granted = {role.value: set(perms) for role, perms in role_permissions().items() if role != Role.ADMIN}
    assert set(table) == set(granted)
    deviations = sorted((role, permission, "code only" if permission in granted[role] else "docs only")
                        for role in granted for permission in granted[role] ^ table[role])
    assert deviations == [], "docs/roles.md differs from the code; the matrix as coded:\n" + expected_matrix()


@pytest.mark.django_db
def test_the_groups_hold_exactly_the_documented_permissions():
    table = documented()
    checks = 0
    for role, permissions in table.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}"
                for p in group.permissions.select_related("content_type")}
        assert held == permissions, role
        checks += len(permissions)
    assert checks > 100


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "may"), [("sales", False), ("credit_manager", False), ("finance_clerk", True),
                                           ("finance_manager", True)])
def test_only_finance_moves_a_customer_to_another_salesperson(role, may):
    editor = factories.user(f"editor-{role}", role=role)
    owner = editor if role == "sales" else factories.user("owner", role="sales")
    other = factories.user("other-sales", role="sales")
    customer = factories.customer("C9", salesperson=owner)
    api = Api(editor)
    events = AuditEvent.objects.count()

    response = api.patch(f"/customers/{customer.pk}", {"salesperson_id": other.pk})

    customer.refresh_from_db()
    if may:
        assert response.status_code == 200 and customer.salesperson == other
    else:
        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] == "owner_change_not_allowed"
        assert customer.salesperson == owner and AuditEvent.objects.count() == events
    # the credit manager still edits the credit facts; sales still edit their own customer's details
    if role in ("credit_manager", "sales"):
        assert Api(editor).patch(f"/customers/{customer.pk}", {"payment_terms_days": 45}).status_code == 200
        assert Customer.objects.get(pk=customer.pk).payment_terms_days == 45


@pytest.mark.django_db
def test_the_collector_is_owner_data_too():
    credit = factories.user("cm", role="credit_manager")
    customer = factories.customer("C8", collector=factories.user("col-1", role="collector"))
    response = Api(credit).patch(f"/customers/{customer.pk}",
                                 {"collector_id": factories.user("col-2", role="collector").pk})
    assert response.status_code == 403 and response.json()["error"]["field"] == "collector"
