from ninja import Router

router = Router(tags=["Credit exposure and holds"])
