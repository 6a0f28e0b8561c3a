"""REST API of limitation periods, mounted at /api/v1/limitation."""

from ninja import Router

router = Router(tags=["limitation"])
