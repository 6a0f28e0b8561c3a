"""The demo, served as production serves it (gunicorn, DEBUG off, WhiteNoise, a Huey consumer), on one machine.

What differs from production, and why:

- SQLite (``var/arms.sqlite3``) is allowed: the demo must start with nothing but Python installed.
- The secret key is generated once and kept in ``var/secret_key`` (readable by its owner only), so sessions
  survive a restart and no shared, published key signs them.
- Cookies are not marked secure: the demo is plain HTTP on the machine's own address, without a TLS proxy.
- E-mail goes to ``var/mail/*.eml`` unless ``ARMS_SMTP_URL`` names a server (there is none in a demo).
- The host of ``ARMS_BASE_URL`` (what `make demo` serves) is an allowed host.
"""

import secrets
from urllib.parse import urlsplit

from .served import *  # noqa: F403
from .served import ALLOWED_HOSTS, ARMS_BASE_URL, SECRET_KEY, VAR_DIR, os


def demo_secret_key(path) -> str:
    """The key stored at ``path``, made (random, 50 URL-safe characters, mode 0600) the first time."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(key + "\n")
        return key


if SECRET_KEY.startswith("arms-insecure"):
    SECRET_KEY = demo_secret_key(VAR_DIR / "secret_key")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False  # plain HTTP: a secure cookie would never come back
_served_host = urlsplit(ARMS_BASE_URL).hostname
if _served_host and _served_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, _served_host]

if not os.environ.get("ARMS_SMTP_URL"):
    EMAIL_BACKEND = "arms.common.mail.EmlFileBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
