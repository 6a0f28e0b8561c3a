from .base import *  # noqa: F403
from .base import os

DEBUG = os.environ.get("ARMS_DEBUG", "1") == "1"
