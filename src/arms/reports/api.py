from ninja import Router

router = Router(tags=["Dashboard and management reports"])
