"""REST API of stress, mounted at /api/v1/stress."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["stress"])
