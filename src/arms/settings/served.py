"""What production and the demo share: served by gunicorn with DEBUG off, static files from WhiteNoise.

Not used alone: ``production`` adds its requirements (PostgreSQL, a real secret, the base URL, secure cookies),
``demo`` what one machine without TLS needs (SQLite, a generated secret, e-mail to files).
"""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
# Hashed names (arms.<hash>.css) that browsers may cache for ever, and gzip/brotli copies next to them; written by
# collectstatic (`arms setup`), so a {% static %} tag naming a file that is not collected fails loudly.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "arms.common.staticfiles.StaticFilesStorage"}}
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
