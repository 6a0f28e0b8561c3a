"""Roles are Django groups with permissions. ``roles_sync`` (run by `arms setup`) keeps them as declared here.

Separation of duties starts here: the auditor reads everything and changes nothing; sales staff see
only the customers they own (enforced in the selectors, not only in the UI).
"""

from __future__ import annotations

from enum import StrEnum
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class Role(StrEnum):
    SALES = "sales"
    COLLECTOR = "collector"
    CREDIT_MANAGER = "credit_manager"
    FINANCE_CLERK = "finance_clerk"
    FINANCE_MANAGER = "finance_manager"
    LEGAL = "legal"
    AUDITOR = "auditor"
    EXECUTIVE = "executive"
    ADMIN = "admin"
    SENIOR_COLLECTOR = "senior_collector"


ROLE_LABELS = {
    Role.SALES: _("Sales"),
    Role.COLLECTOR: _("Collector"),
    Role.CREDIT_MANAGER: _("Credit manager"),
    Role.FINANCE_CLERK: _("Finance clerk"),
    Role.FINANCE_MANAGER: _("Finance manager"),
    Role.LEGAL: _("Legal"),
    Role.AUDITOR: _("Auditor"),
    Role.EXECUTIVE: _("Executive"),
    Role.ADMIN: _("Administrator"),
    Role.SENIOR_COLLECTOR: _("Senior collector"),
}

_VIEW_ALL = [
    "customers.view_company",
    "customers.view_customer",
    "customers.view_contact",
    "customers.view_portalaccess",
    "contracts.view_contract",
    "ledger.view_invoice",
    "ledger.view_creditnote",
    "ledger.view_payment",
    "ledger.view_allocation",
    "ledger.view_journalentry",
    "ledger.view_exchangerate",
]

#: issue and revoke a customer contact's portal link (arms.customers.portal_access)
_PORTAL_LINKS = ["customers.add_portalaccess", "customers.change_portalaccess"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_VIEW_ALL, "customers.add_customer", "customers.change_customer", "contracts.add_contract",
                 "contracts.change_contract", *_PORTAL_LINKS],
    Role.COLLECTOR: [*_VIEW_ALL, *_PORTAL_LINKS],
    Role.CREDIT_MANAGER: [*_VIEW_ALL, "customers.change_customer"],
    Role.FINANCE_CLERK: [
        *_VIEW_ALL,
        *_PORTAL_LINKS,
        "customers.add_customer",
        "customers.change_customer",
        "customers.assign_owner",
        "contracts.add_contract",
        "contracts.change_contract",
        "ledger.add_invoice",
        "ledger.add_creditnote",
        "ledger.add_payment",
        "ledger.add_allocation",
        "ledger.add_exchangerate",
        "imports.run_import",
        "ledger.view_smallbalancebatch",
        "ledger.add_smallbalancebatch",
    ],
    Role.FINANCE_MANAGER: [
        *_VIEW_ALL,
        *_PORTAL_LINKS,
        "customers.add_customer",
        "customers.change_customer",
        "customers.assign_owner",
        "contracts.add_contract",
        "contracts.change_contract",
        "ledger.add_invoice",
        "ledger.add_creditnote",
        "ledger.add_payment",
        "ledger.add_allocation",
        "ledger.reverse_payment",
        "ledger.add_exchangerate",
        "imports.run_import",
        "audit.view_auditevent",
        "ledger.view_smallbalancebatch",
        "ledger.add_smallbalancebatch",
        "ledger.approve_smallbalancebatch",
        "ledger.change_smallbalancethreshold",
    ],
    Role.LEGAL: [*_VIEW_ALL],
    Role.AUDITOR: [*_VIEW_ALL, "audit.view_auditevent", "ledger.view_smallbalancebatch"],
    Role.EXECUTIVE: [*_VIEW_ALL],
    Role.ADMIN: [],  # admins are superusers: every permission, via Django itself
    Role.SENIOR_COLLECTOR: [*_VIEW_ALL, *_PORTAL_LINKS],
}

#: roles that hold every permission of another role besides their own (a senior collector is a collector who
#: may be given key accounts, arms.handover)
ROLE_INCLUDES: dict[Role, Role] = {Role.SENIOR_COLLECTOR: Role.COLLECTOR}

#: roles that see every customer; anyone with none of these but SALES sees only their own.
SEE_ALL_ROLES = {r for r in Role if r != Role.SALES}


def role_permissions() -> dict[Role, list[str]]:
    """The foundation's permissions above plus each installed app's own ``permissions.ROLE_PERMISSIONS``.

    An app that adds a capability (credit, collections, analytics) declares what each role may do there in its
    own ``permissions.py``, so the foundation never imports the apps built on it.
    """
    merged = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        if not config.name.startswith("arms.") or find_spec(f"{config.name}.permissions") is None:
            continue
        for role, perms in import_module(f"{config.name}.permissions").ROLE_PERMISSIONS.items():
            merged[role].extend(p for p in perms if p not in merged[role])
    for role, included in ROLE_INCLUDES.items():
        merged[role].extend(p for p in merged[included] if p not in merged[role])
    return merged


def roles_sync(*_args, **_kwargs) -> None:
    """Create the role groups and give each exactly its declared permissions (two queries per role)."""
    declared = role_permissions()
    wanted = {perm for perms in declared.values() for perm in perms}
    ids = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.filter(
            content_type__app_label__in={p.split(".")[0] for p in wanted},
            codename__in={p.split(".")[1] for p in wanted},
        ).values_list("pk", "content_type__app_label", "codename")
    }
    missing = wanted - set(ids)
    if missing:
        raise RuntimeError(f"roles name permissions that do not exist: {sorted(missing)}")
    for role, perms in declared.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set([ids[p] for p in perms])


def roles_present() -> bool:
    return Group.objects.filter(name__in=[r.value for r in Role]).count() == len(Role)


def user_roles(user: User | AnonymousUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_arms_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._arms_roles = cached
    return cached


def sees_all_customers(user: User | AnonymousUser) -> bool:
    return user.is_superuser or bool(user_roles(user) & {r.value for r in SEE_ALL_ROLES})


def is_senior_collector(user: User) -> bool:
    """Whether ``user`` holds the senior collector role: only they may collect a key account (arms.handover)."""
    return user.groups.filter(name=Role.SENIOR_COLLECTOR.value).exists()
