"""The demo users: one per role, all with the same password, so a visitor can try every view."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from arms.accounts.roles import ROLE_LABELS, Role
from arms.audit.services import audit_record

DEMO_PASSWORD = "demo12345"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    first_name: str
    last_name: str


DEMO_USERS: list[DemoUser] = [
    DemoUser("sales1", Role.SALES, "伟", "王"),
    DemoUser("sales2", Role.SALES, "芳", "李"),
    DemoUser("sales3", Role.SALES, "强", "张"),
    DemoUser("collector1", Role.COLLECTOR, "静", "刘"),
    DemoUser("collector2", Role.COLLECTOR, "磊", "陈"),
    DemoUser("credit", Role.CREDIT_MANAGER, "敏", "杨"),
    DemoUser("clerk", Role.FINANCE_CLERK, "丽", "赵"),
    DemoUser("finmgr", Role.FINANCE_MANAGER, "军", "黄"),
    DemoUser("legal", Role.LEGAL, "洋", "周"),
    DemoUser("auditor", Role.AUDITOR, "艳", "吴"),
    DemoUser("exec", Role.EXECUTIVE, "勇", "徐"),
    DemoUser("admin", Role.ADMIN, "超", "孙"),
    DemoUser("senior", Role.SENIOR_COLLECTOR, "华", "张"),
]


@transaction.atomic
def demo_users_ensure() -> dict[str, object]:
    """Create the demo users that are missing (audited); leave existing ones, and their passwords, alone.

    Returns every demo user by username. The admin is a superuser; everyone else is in their role's group
    (the groups come from ``roles_sync``, which the caller runs first).
    """
    User = get_user_model()
    users = {}
    encoded = None
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            # One hash for the shared password: PBKDF2 is deliberately slow (~0.3 s a user), and a demo
            # password known to everyone gains nothing from a salt of its own.
            encoded = encoded or make_password(DEMO_PASSWORD)
            superuser = demo.role == Role.ADMIN
            user = User.objects.create_user(
                username=demo.username, password=None, first_name=demo.first_name,
                last_name=demo.last_name, email=f"{demo.username}@demo.arms.invalid",
                is_staff=superuser, is_superuser=superuser,
            )
            user.password = encoded
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=demo.role.value))
            audit_record(actor=None, action="demo_user_created", subject=user,
                         after={"username": user.username, "role": demo.role.value, "superuser": superuser})
        users[demo.username] = user
    return users


def demo_logins() -> list[tuple[str, str, bool]]:
    """(username, role label, exists) for every demo user, in the order of ``DEMO_USERS``."""
    names = [d.username for d in DEMO_USERS]
    existing = set(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
    return [(d.username, str(ROLE_LABELS[d.role]), d.username in existing) for d in DEMO_USERS]
