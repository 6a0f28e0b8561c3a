from ninja import Router

router = Router(tags=["Collection cases"])
