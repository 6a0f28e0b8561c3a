"""Production: PostgreSQL, a real secret, the address users reach it at, secure cookies.

Refuses to start with the development key, on SQLite, or without ``ARMS_BASE_URL`` (links in e-mails would
point at the wrong host). Static files are served by gunicorn itself through WhiteNoise (see ``served``).
"""

from .served import *  # noqa: F403
from .served import DATABASES, SECRET_KEY, os

if SECRET_KEY.startswith("arms-insecure"):
    raise RuntimeError("set ARMS_SECRET_KEY for production")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("production runs on PostgreSQL: set DATABASE_URL=postgres://...")
if not os.environ.get("ARMS_BASE_URL"):
    raise RuntimeError("set ARMS_BASE_URL to the address users reach ARMS at (https://ar.example.cn), "
                       "for the links in e-mails")
SESSION_COOKIE_SECURE = os.environ.get("ARMS_INSECURE_COOKIES", "0") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# the TLS proxy appends the client's address to X-Forwarded-For: the login throttle counts by it
ARMS_PROXY_COUNT = int(os.environ.get("ARMS_PROXY_COUNT", "1"))
