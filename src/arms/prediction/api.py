"""REST API of prediction, mounted at /api/v1/prediction."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["prediction"])
