"""What each role may do with the allowance for doubtful accounts; merged into the role groups by
`arms.accounts.roles`.

A finance manager (or an administrator) edits the matrix, records individual assessments and posts runs; finance
clerks, auditors and executives read the matrix, the loss rates, the assessments and the runs' reports.
"""

from arms.accounts.roles import Role

_VIEW = ["provisioning.view_provisionrun", "provisioning.view_provisionmatrix",
         "provisioning.view_individualassessment"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.FINANCE_CLERK: [*_VIEW],
    Role.FINANCE_MANAGER: [*_VIEW, "provisioning.add_provisionrun", "provisioning.add_provisionmatrix",
                           "provisioning.add_individualassessment", "provisioning.change_individualassessment"],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
