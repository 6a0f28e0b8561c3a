"""REST API of write-offs, mounted at /api/v1/write-offs."""

from ninja import Router

router = Router(tags=["write-offs"])
