"""What each role may do in analytics; merged into the role groups by `arms.accounts.roles`.

Everyone who works receivables sees aging, KPIs and budgets (sales staff for their own customers only: the
selectors filter by ``customers_visible_to``); the team ranking is for managers and the auditor; only the
finance manager sets budgets. The auditor reads everything and changes nothing.
"""

from arms.accounts.roles import Role

_SEE = ["analytics.view_analytics", "analytics.view_budget"]
_MANAGE = [*_SEE, "analytics.view_team_performance"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: list(_SEE),
    Role.COLLECTOR: list(_SEE),
    Role.CREDIT_MANAGER: list(_MANAGE),
    Role.FINANCE_CLERK: list(_SEE),
    Role.FINANCE_MANAGER: [*_MANAGE, "analytics.add_budget", "analytics.change_budget", "analytics.delete_budget"],
    Role.LEGAL: list(_SEE),
    Role.AUDITOR: list(_MANAGE),
    Role.EXECUTIVE: list(_MANAGE),
}
