from ninja import Router

router = Router(tags=["Credit management"])
