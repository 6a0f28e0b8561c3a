"""What each role may do with the cash-in forecast; merged into the role groups by `arms.accounts.roles`.

The finance manager and finance clerks run forecasts (on demand; the schedule runs them daily); executives,
auditors and credit managers read them and their measured accuracy.
"""

from arms.accounts.roles import Role

_VIEW = ["forecast.view_forecast"]
_RUN = [*_VIEW, "forecast.add_forecast"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.FINANCE_MANAGER: _RUN,
    Role.FINANCE_CLERK: _RUN,
    Role.CREDIT_MANAGER: _VIEW,
    Role.AUDITOR: _VIEW,
    Role.EXECUTIVE: _VIEW,
}
