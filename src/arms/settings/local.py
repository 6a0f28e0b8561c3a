from .base import *  # noqa: F403
from .base import VAR_DIR, os

# Debug pages (tracebacks, settings) only when asked for: ARMS_DEBUG=1, as `make serve` does. The `arms` command
# runs with these settings by default, and a traceback page is no default for a server someone may expose.
DEBUG = os.environ.get("ARMS_DEBUG", "0") == "1"

# On a development machine with no mail server configured, e-mail (dunning letters, notifications, reports)
# is written as .eml files under var/mail/ instead of failing: open them with any mail client.
# Set ARMS_SMTP_URL to send through a real SMTP server instead.
if not os.environ.get("ARMS_SMTP_URL"):
    EMAIL_BACKEND = "arms.common.mail.EmlFileBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
