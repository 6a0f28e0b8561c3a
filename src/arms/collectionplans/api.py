from ninja import Router

router = Router(tags=["collection-plans"])
