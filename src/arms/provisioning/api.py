"""REST API of bad-debt provisioning, mounted at /api/v1/provisioning."""

from ninja import Router

router = Router(tags=["provisioning"])
