"""What each role may do in reports; merged into the role groups by `arms.accounts.roles`.

Everyone has a dashboard (each sees the figures of the customers they may see). The monthly management
report shows company-wide figures, so salespeople (who see only their own customers), collectors and legal
do not download it; finance managers and executives may generate one on demand; the auditor reads.
"""

from arms.accounts.roles import Role

_DASHBOARD = ["reports.view_dashboard"]
_READ_REPORTS = [*_DASHBOARD, "reports.view_reportrun"]
_MAKE_REPORTS = [*_READ_REPORTS, "reports.generate_report"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: _DASHBOARD,
    Role.COLLECTOR: _DASHBOARD,
    Role.CREDIT_MANAGER: _READ_REPORTS,
    Role.FINANCE_CLERK: _READ_REPORTS,
    Role.FINANCE_MANAGER: _MAKE_REPORTS,
    Role.LEGAL: _DASHBOARD,
    Role.AUDITOR: _READ_REPORTS,
    Role.EXECUTIVE: _MAKE_REPORTS,
}
