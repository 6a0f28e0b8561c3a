"""REST API of earlywarning, mounted at /api/v1/warnings."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["earlywarning"])
