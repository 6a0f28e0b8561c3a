"""What each role may do with stress tests; merged into the role groups by `arms.accounts.roles`.

A finance manager (or an administrator) keeps the scenarios and the settings and runs them; executives, auditors
and credit managers read the scenarios, the runs' results and the cost of overdue.
"""

from arms.accounts.roles import Role

_VIEW = ["stress.view_scenario", "stress.view_scenariorun", "stress.view_stresssettings"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.FINANCE_MANAGER: [*_VIEW, "stress.add_scenario", "stress.change_scenario", "stress.delete_scenario",
                           "stress.run_scenario", "stress.change_stresssettings"],
    Role.CREDIT_MANAGER: [*_VIEW],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
