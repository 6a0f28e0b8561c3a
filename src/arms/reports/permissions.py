"""What each role may do in reports; merged into the role groups by `arms.accounts.roles`."""

from arms.accounts.roles import Role

ROLE_PERMISSIONS: dict[Role, list[str]] = {}
