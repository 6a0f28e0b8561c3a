"""Test settings: the same database engine the suite is asked for (DATABASE_URL), fast hashing."""

from .base import *  # noqa: F403
from .base import HUEY

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
# Tests assert on messages in the language of their message ids; a test about the Chinese UI asks for it
# (a language cookie or Accept-Language), as a browser does. Production defaults to Simplified Chinese.
LANGUAGE_CODE = "en"
