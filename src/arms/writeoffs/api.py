"""REST API of write-offs, mounted at /api/v1/write-offs."""

from ninja import Router

from arms.writeoffs.small_api import router as small_balance_router

router = Router(tags=["write-offs"])
router.add_router("/small-balances", small_balance_router)
