"""What each role may do in credit exposure and holds; merged into the role groups by `arms.accounts.roles`.

Separation of duties: anyone who posts documents may request an override; only a credit manager may approve
or reject one (and never their own request, which the service refuses); holds are placed and released by
credit and finance managers (dunning places its stop-supply holds as the system).
"""

from arms.accounts.roles import Role

_VIEW = ["exposure.view_credithold", "exposure.view_creditoverride", "exposure.check_credit",
         "exposure.view_creditcontrolsettings"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_VIEW, "exposure.add_creditoverride"],
    Role.COLLECTOR: [*_VIEW, "exposure.add_creditoverride"],
    Role.CREDIT_MANAGER: [*_VIEW, "exposure.add_credithold", "exposure.change_credithold",
                          "exposure.add_creditoverride", "exposure.approve_creditoverride",
                          "exposure.change_creditcontrolsettings"],
    Role.FINANCE_CLERK: [*_VIEW, "exposure.add_creditoverride"],
    Role.FINANCE_MANAGER: [*_VIEW, "exposure.add_credithold", "exposure.change_credithold",
                           "exposure.add_creditoverride"],
    Role.LEGAL: [*_VIEW],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
