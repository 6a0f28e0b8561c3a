"""REST API of legal, mounted at /api/v1/legal."""

from ninja import Router

router = Router(tags=["legal"])
