"""Production: PostgreSQL, a real secret, secure cookies. Refuses to start with the development key."""

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY, os

DEBUG = False
if SECRET_KEY.startswith("arms-insecure"):
    raise RuntimeError("set ARMS_SECRET_KEY for production")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("production runs on PostgreSQL: set DATABASE_URL=postgres://...")
SESSION_COOKIE_SECURE = os.environ.get("ARMS_INSECURE_COOKIES", "0") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
