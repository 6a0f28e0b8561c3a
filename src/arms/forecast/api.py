"""REST API of forecast, mounted at /api/v1/forecast."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["forecast"])
