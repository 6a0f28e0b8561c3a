"""Production: PostgreSQL, a strong secret, the address users reach it at, HTTPS only.

Refuses to start (ImproperlyConfigured) with an empty, short or known-weak ``ARMS_SECRET_KEY``, on SQLite, or
without ``ARMS_BASE_URL`` (links in e-mails would point at the wrong host). Static files are served by gunicorn
itself through WhiteNoise (see ``served``).

HTTPS: ARMS runs behind a TLS-terminating proxy that sets ``X-Forwarded-Proto: https``
(``SECURE_PROXY_SSL_HEADER``; gunicorn must be reachable only through that proxy, or a client could claim
HTTPS itself). Plain-HTTP requests are redirected to HTTPS (``ARMS_SSL_REDIRECT=0`` leaves that to the proxy),
except ``/healthz`` for health checks from inside; browsers are told to use HTTPS only for a year (HSTS,
``ARMS_HSTS_SECONDS``); cookies are sent over HTTPS only. `arms check --deploy` is clean with these settings.
"""

from django.core.exceptions import ImproperlyConfigured

from .served import *  # noqa: F403
from .served import DATABASES, SECRET_KEY, os

#: keys that are public or were ever shipped as examples: never a production secret
KNOWN_WEAK_KEYS = ("arms-insecure", "django-insecure", "changeme", "change-me", "secret", "insecure", "example")
MIN_SECRET_KEY_LENGTH = 50


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` cannot sign production sessions and tokens, or None."""
    if not key.strip():
        return "ARMS_SECRET_KEY is empty"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"ARMS_SECRET_KEY is {len(key)} characters; production needs at least {MIN_SECRET_KEY_LENGTH}"
    if len(set(key)) < 5 or any(key.lower().startswith(weak) for weak in KNOWN_WEAK_KEYS):
        return "ARMS_SECRET_KEY is a known or trivially guessable value"
    return None


_problem = secret_key_problem(SECRET_KEY if os.environ.get("ARMS_SECRET_KEY") is not None else "")
if _problem:
    raise ImproperlyConfigured(
        f"{_problem}. Set ARMS_SECRET_KEY to a long random string, e.g. "
        "python -c \"import secrets; print(secrets.token_urlsafe(50))\"")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("production runs on PostgreSQL: set DATABASE_URL=postgres://...")
if not os.environ.get("ARMS_BASE_URL"):
    raise ImproperlyConfigured("set ARMS_BASE_URL to the address users reach ARMS at (https://ar.example.cn), "
                               "for the links in e-mails")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("ARMS_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the orchestrator's health check speaks plain HTTP to the container
SECURE_HSTS_SECONDS = int(os.environ.get("ARMS_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("ARMS_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("ARMS_HSTS_PRELOAD", "1") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
# the TLS proxy appends the client's address to X-Forwarded-For: the login throttle counts by it
ARMS_PROXY_COUNT = int(os.environ.get("ARMS_PROXY_COUNT", "1"))
