"""What each role may do with collection plans; merged into the role groups by `arms.accounts.roles`.

Salespeople and collectors draft, edit and submit the plans of the customers they see; a finance manager (财务主管)
approves or returns them (never their own submission: the four-eyes rule) and may draft too; finance clerks,
credit managers, auditors and executives read the plans and the variance per salesperson.
"""

from arms.accounts.roles import Role

_VIEW = ["collectionplans.view_collectionplan"]
_DRAFT = [*_VIEW, "collectionplans.add_collectionplan", "collectionplans.change_collectionplan"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: _DRAFT,
    Role.COLLECTOR: _DRAFT,
    Role.FINANCE_MANAGER: [*_DRAFT, "collectionplans.approve_collectionplan"],
    Role.FINANCE_CLERK: _VIEW,
    Role.CREDIT_MANAGER: _VIEW,
    Role.AUDITOR: _VIEW,
    Role.EXECUTIVE: _VIEW,
}
