"""Settings, all from the environment. Defaults run ARMS on one machine with SQLite under var/.

DATABASE_URL       sqlite:///var/arms.sqlite3 (default) or postgres://user@host:5432/arms
ARMS_QUEUE_URL     empty -> Huey on SQLite (var/huey.sqlite3); redis://... -> Huey on Redis
ARMS_QUEUE_WORKERS worker threads of each `arms run_huey` (default 2)
ARMS_SECRET_KEY    required in production
ARMS_DEBUG         1 to turn on debug pages
ARMS_ALLOWED_HOSTS comma-separated
ARMS_BASE_URL      the address users reach ARMS at, for absolute links (e-mails, notifications)
ARMS_VAR_DIR       where SQLite files, uploads and logs live (default ./var)
ARMS_UPLOAD_MAX_BYTES, ARMS_IMPORT_MAX_*, ARMS_XLSX_MAX_*  bounds on uploaded files (arms.common.uploads)
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ARMS_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("ARMS_SECRET_KEY", "arms-insecure-development-key-change-me")
DEBUG = os.environ.get("ARMS_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ARMS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ARMS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves /api/docs with its bundled Swagger UI assets instead of a CDN
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "axes",  # login throttling by account and by address (arms.accounts.throttle)
    "arms.common",
    "arms.accounts",
    "arms.audit",
    "arms.customers",
    "arms.contracts",
    "arms.ledger",
    "arms.imports",
    "arms.bank",
    "arms.credit",
    "arms.exposure",
    "arms.contractreview",
    "arms.cases",
    "arms.collectionplans",
    "arms.dunning",
    "arms.confirmations",
    "arms.limitation",
    "arms.legal",
    "arms.provisioning",
    "arms.writeoffs",
    "arms.prediction",
    "arms.analytics",
    "arms.earlywarning",
    "arms.forecast",
    "arms.stress",
    "arms.reports",
    "arms.portal",
    "arms.salesrecon",
    "arms.handover",
    "arms.incentives",
    "arms.web",
    "arms.seed",
    "arms.bench",
]

MIDDLEWARE = [
    # Outermost: every error under /api/ leaves as the JSON error shape (arms.common.api_errors).
    "arms.common.api_errors.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, static files included (so before WhiteNoise)
    "arms.common.middleware.ContentSecurityPolicyMiddleware",
    # Static files from gunicorn alone (no proxy needed): compressed, and cached for ever under hashed names where
    # the storage hashes them (production, demo). Before the session middleware, so a stylesheet costs no query.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # turns a refused (throttled) login into the lockout page; last, as django-axes asks
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "arms.urls"
# A failed CSRF check under /api/ is the JSON error (403 forbidden); elsewhere Django's page.
CSRF_FAILURE_VIEW = "arms.common.api_errors.csrf_failure"
WSGI_APPLICATION = "arms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "arms.web.notifications.unread_count",
            ],
        },
    }
]


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("ARMS_DB_CONN_MAX_AGE", "0")))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE: a transaction takes SQLite's write lock when it begins, so two writers queue
        # instead of one failing half-way with "database is locked" (SQLite's answer to row locks).
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles a plan for seconds to save milliseconds on ARMS's short aggregate queries
        # (1.4 s of a 2.1 s aging query at 100k invoices): off, unless the URL's options say otherwise.
        config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return config


DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'arms.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's full set for every password a person chooses (createsuperuser, changepassword, the admin's forms).
# The demo users' shared password is set as a hash by arms.seed.users and never passes through them: it is
# published on the login page of a demo on purpose, and a demo is not production.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "arms.accounts.throttle.LoginThrottleBackend",  # refuses a throttled username or address before the check
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes; arms.accounts.throttle): ARMS_LOGIN_FAILURE_LIMIT failures for one username,
# or from one address, lock that username or address out for ARMS_LOGIN_COOLOFF_MINUTES; a success resets them.
AXES_FAILURE_LIMIT = int(os.environ.get("ARMS_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ARMS_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: by account, and by address
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lockout ends on time, whatever is tried meanwhile
AXES_LOCKOUT_CALLABLE = "arms.accounts.throttle.lockout_response"  # 429 with web/locked_out.html
AXES_CLIENT_IP_CALLABLE = "arms.accounts.throttle.client_ip"
AXES_VERBOSE = False
#: trusted reverse proxies in front of ARMS that append to X-Forwarded-For (production: 1, the TLS proxy)
ARMS_PROXY_COUNT = int(os.environ.get("ARMS_PROXY_COUNT", "0"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # `arms setup` collects the static files here; WhiteNoise serves them
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

def huey_config(queue_url: str, var_dir: Path, workers: int = 2) -> dict:
    """Huey on Redis when ARMS_QUEUE_URL names one (many consumers, many machines), else on a SQLite file.

    ``arms run_huey`` runs ``workers`` threads (ARMS_QUEUE_WORKERS, default 2), so a long job (a report, a
    dunning run) does not hold up the e-mails and the heartbeat behind it (ADR 0007)."""
    consumer = {"workers": workers, "worker_type": "thread"}
    if queue_url.startswith(("redis://", "rediss://", "unix://")):
        return {"huey_class": "huey.RedisHuey", "name": "arms", "url": queue_url, "immediate": False,
                "consumer": consumer}
    return {"huey_class": "huey.SqliteHuey", "name": "arms", "filename": str(var_dir / "huey.sqlite3"),
            "immediate": False, "consumer": consumer}


QUEUE_URL = os.environ.get("ARMS_QUEUE_URL", "")
HUEY = huey_config(QUEUE_URL, VAR_DIR, int(os.environ.get("ARMS_QUEUE_WORKERS", "2")))


def email_config(smtp_url: str) -> dict:
    """E-mail through the SMTP server ``ARMS_SMTP_URL`` names (smtp://user:pass@host:port, smtps:// for TLS)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(smtp_url)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "127.0.0.1",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_TIMEOUT": 20,
    }


globals().update(email_config(os.environ.get("ARMS_SMTP_URL", "smtp://127.0.0.1:25")))
DEFAULT_FROM_EMAIL = os.environ.get("ARMS_MAIL_FROM", "ARMS <arms@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
#: credit: limit changes above this (CNY fen) also need a finance manager; re-rating cadence in months
ARMS_CREDIT_LIMIT_FM_THRESHOLD = int(os.environ.get("ARMS_CREDIT_LIMIT_FM_THRESHOLD", 1_000_000_00))
ARMS_CREDIT_REVIEW_MONTHS = int(os.environ.get("ARMS_CREDIT_REVIEW_MONTHS", 3))
#: the credit check warns when a document takes exposure above this share of the limit, in basis points (90%)
ARMS_CREDIT_WARN_SHARE_BP = int(os.environ.get("ARMS_CREDIT_WARN_SHARE_BP", 9000))
#: 回收率 (recovery rate): working days after the due date (itself moved past a weekend or holiday) that a
#: payment still counts as made by the due date; 0 = the due date (docs/analytics-kpis.md says why)
ARMS_RECOVERY_GRACE_DAYS = int(os.environ.get("ARMS_RECOVERY_GRACE_DAYS", 0))
#: the address users reach this ARMS at; every absolute link (e-mails, notifications) starts with it
#: (arms.common.links.absolute_url). Production requires it; `make demo` and `make serve` set it to HOST:PORT.
ARMS_BASE_URL = os.environ.get("ARMS_BASE_URL", "http://127.0.0.1:8000")
#: the customer portal (docs/portal.md): days a portal link stays valid unless its issuer says otherwise (1..366),
#: and how many bad links one address may try within the cool-off before it is refused (HTTP 429)
ARMS_PORTAL_LINK_DAYS = int(os.environ.get("ARMS_PORTAL_LINK_DAYS", 30))
ARMS_PORTAL_ENTRY_FAILURE_LIMIT = int(os.environ.get("ARMS_PORTAL_ENTRY_FAILURE_LIMIT", 10))
ARMS_PORTAL_ENTRY_COOLOFF_MINUTES = int(os.environ.get("ARMS_PORTAL_ENTRY_COOLOFF_MINUTES", 15))
#: the company lets contacts set a password (from a link) and log in at /portal/login/ (off: links only)
ARMS_PORTAL_CONTACT_LOGIN = os.environ.get("ARMS_PORTAL_CONTACT_LOGIN", "").lower() in ("1", "true", "yes", "on")
#: hours a portal session opened by a contact's login lasts
ARMS_PORTAL_LOGIN_HOURS = int(os.environ.get("ARMS_PORTAL_LOGIN_HOURS", 8))

#: what a user's file may make ARMS read (arms.common.uploads): an XLSX archive is refused before it is
#: unpacked when it would unpack to more than these, and every import stops at these many rows and cells
ARMS_XLSX_MAX_UNPACKED_BYTES = int(os.environ.get("ARMS_XLSX_MAX_UNPACKED_BYTES", 200 * 1024 * 1024))
ARMS_XLSX_MAX_MEMBER_BYTES = int(os.environ.get("ARMS_XLSX_MAX_MEMBER_BYTES", 100 * 1024 * 1024))
ARMS_XLSX_MAX_RATIO = int(os.environ.get("ARMS_XLSX_MAX_RATIO", 100))
ARMS_IMPORT_MAX_ROWS = int(os.environ.get("ARMS_IMPORT_MAX_ROWS", 100_000))
ARMS_IMPORT_MAX_CELLS = int(os.environ.get("ARMS_IMPORT_MAX_CELLS", 2_000_000))
ARMS_IMPORT_MAX_BYTES = int(os.environ.get("ARMS_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
#: every uploaded file (attachments, contract scans, imports) is at most this; files come as multipart form
#: data, which DATA_UPLOAD_MAX_MEMORY_SIZE does not count: it bounds JSON bodies and form fields only. An
#: upload above FILE_UPLOAD_MAX_MEMORY_SIZE is spooled to a temporary file instead of held in memory.
ARMS_UPLOAD_MAX_BYTES = int(os.environ.get("ARMS_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_in_one_line": {"()": "arms.common.log.ClientErrorsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_in_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("ARMS_LOG_LEVEL", "WARNING")},
}

ARMS_COMPANY_CODE = os.environ.get("ARMS_COMPANY_CODE", "DEFAULT")
ARMS_UI_NAME = _("ARMS 应收账款管理系统")
