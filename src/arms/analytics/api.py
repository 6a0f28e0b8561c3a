from ninja import Router

router = Router(tags=["Analytics and reports"])
