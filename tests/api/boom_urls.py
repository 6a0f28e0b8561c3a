"""A URLconf for tests/api/test_error_shape.py: the real one, plus /api/ views that fail outside Ninja (as a
middleware or the session store would), to prove Django's own error path answers in the JSON shape too."""

from django.db import OperationalError
from django.urls import path

from arms.urls import handler400, handler403, handler404, handler500  # noqa: F401
from arms.urls import urlpatterns as real


def database_down(request):
    raise OperationalError("could not connect to server: Connection refused")


def broken(request):
    raise RuntimeError("secret-detail-in-the-traceback")


urlpatterns = [path("api/boom/db", database_down), path("api/boom/bug", broken), *real]
