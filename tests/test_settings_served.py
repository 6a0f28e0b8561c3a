"""The settings modules that serve ARMS with DEBUG off: production (refuses what would be unsafe) and the demo
(production's serving on SQLite and plain HTTP, with a secret generated once). Each is imported in a fresh
interpreter, since settings are read from the environment at import."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

SHOW = """
import importlib, json, sys
s = importlib.import_module(sys.argv[1])
print(json.dumps({name: getattr(s, name) for name in sys.argv[2:]}, default=str))
"""


def settings_of(module: str, env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ARMS_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run([sys.executable, "-c", SHOW, module, *names], env={**clean, **env}, capture_output=True,
                          text=True, timeout=120)


PRODUCTION = {"ARMS_SECRET_KEY": "kP3-vX9q" * 7, "DATABASE_URL": "postgres://arms@db:5432/arms",
              "ARMS_BASE_URL": "https://ar.example.cn"}


def test_production_serves_hashed_static_files_with_secure_cookies(tmp_path):
    done = settings_of("arms.settings.production", {**PRODUCTION, "ARMS_VAR_DIR": str(tmp_path)},
                       "DEBUG", "STORAGES", "SESSION_COOKIE_SECURE", "MIDDLEWARE", "ARMS_BASE_URL")

    values = json.loads(done.stdout)
    assert (values["DEBUG"], values["SESSION_COOKIE_SECURE"]) == (False, True)
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "arms.common.staticfiles.StaticFilesStorage"
    middleware = values["MIDDLEWARE"]
    # the Content-Security-Policy is set on what WhiteNoise serves too, so it wraps WhiteNoise
    assert middleware.index("arms.common.middleware.ContentSecurityPolicyMiddleware") < middleware.index(
        "whitenoise.middleware.WhiteNoiseMiddleware") == 3  # after the API error shape, security and the CSP
    assert values["ARMS_BASE_URL"] == "https://ar.example.cn"


def test_production_refuses_to_start_without_a_base_url_a_secret_or_postgresql(tmp_path):
    for missing, says in [("ARMS_BASE_URL", "ARMS_BASE_URL"), ("ARMS_SECRET_KEY", "ARMS_SECRET_KEY"),
                          ("DATABASE_URL", "PostgreSQL")]:
        env = {k: v for k, v in PRODUCTION.items() if k != missing}
        done = settings_of("arms.settings.production", {**env, "ARMS_VAR_DIR": str(tmp_path)}, "DEBUG")
        assert done.returncode != 0 and says in done.stderr, missing
        assert "ImproperlyConfigured" in done.stderr, missing


def test_production_refuses_an_empty_short_or_known_weak_secret_key(tmp_path):
    for key, says in [("", "is empty"), ("   ", "is empty"), ("x", "is 1 characters"),
                      ("s3cr3t-" * 7, "is 49 characters"), ("x" * 64, "known or trivially guessable"),
                      ("arms-insecure-development-key-change-me" + "k" * 20, "known or trivially guessable"),
                      ("django-insecure-" + "a1b2c3d4" * 6, "known or trivially guessable")]:
        done = settings_of("arms.settings.production",
                           {**PRODUCTION, "ARMS_SECRET_KEY": key, "ARMS_VAR_DIR": str(tmp_path)}, "DEBUG")
        assert done.returncode != 0, key
        assert "ImproperlyConfigured" in done.stderr and says in done.stderr, (key, done.stderr[-300:])
        assert "secrets.token_urlsafe(50)" in done.stderr  # how to make a good one


def test_production_is_https_only(tmp_path):
    values = json.loads(settings_of(
        "arms.settings.production", {**PRODUCTION, "ARMS_VAR_DIR": str(tmp_path)}, "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT", "ARMS_PROXY_COUNT").stdout)
    assert values == {"SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31_536_000,
                      "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SESSION_COOKIE_SECURE": True,
                      "CSRF_COOKIE_SECURE": True, "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
                      "SECURE_REDIRECT_EXEMPT": ["^healthz$"], "ARMS_PROXY_COUNT": 1}
    # the old escape hatch is gone: cookies stay secure whatever the environment says
    values = json.loads(settings_of("arms.settings.production", {**PRODUCTION, "ARMS_VAR_DIR": str(tmp_path),
                                                                  "ARMS_INSECURE_COOKIES": "1"},
                                    "SESSION_COOKIE_SECURE").stdout)
    assert values == {"SESSION_COOKIE_SECURE": True}


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ARMS_", "DJANGO_", "DATABASE_URL"))}
    env = {**clean, **PRODUCTION, "ARMS_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "arms.settings.production",
           "ARMS_ALLOWED_HOSTS": "ar.example.cn"}
    done = subprocess.run([sys.executable, "-m", "arms.cli", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_cli_runs_without_debug_unless_asked(tmp_path):
    env = {"ARMS_VAR_DIR": str(tmp_path)}
    assert json.loads(settings_of("arms.settings.local", env, "DEBUG").stdout) == {"DEBUG": False}
    assert json.loads(settings_of("arms.settings.local", {**env, "ARMS_DEBUG": "1"}, "DEBUG").stdout) == {
        "DEBUG": True}


def test_the_cli_says_the_database_is_down_in_one_line_not_a_traceback(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ARMS_", "DJANGO_", "DATABASE_URL"))}
    env = {**clean, "ARMS_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "arms.settings.demo",
           "DATABASE_URL": "postgres://arms@127.0.0.1:9/nowhere"}
    done = subprocess.run([sys.executable, "-m", "arms.cli", "migrate", "--check"], env=env, capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "the database does not answer" in done.stderr


def test_the_demo_serves_like_production_on_sqlite_with_a_secret_made_once(tmp_path):
    env = {"ARMS_VAR_DIR": str(tmp_path), "ARMS_BASE_URL": "http://192.0.2.7:8102"}
    names = ("DEBUG", "SECRET_KEY", "STORAGES", "SESSION_COOKIE_SECURE", "ALLOWED_HOSTS", "EMAIL_BACKEND",
             "EMAIL_FILE_PATH", "DATABASES")

    first = json.loads(settings_of("arms.settings.demo", env, *names).stdout)
    second = json.loads(settings_of("arms.settings.demo", env, *names).stdout)

    key = tmp_path / "secret_key"
    assert first["SECRET_KEY"] == second["SECRET_KEY"] == key.read_text().strip()
    assert len(first["SECRET_KEY"]) >= 50 and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (first["DEBUG"], first["SESSION_COOKIE_SECURE"]) == (False, False)
    assert first["STORAGES"]["staticfiles"]["BACKEND"] == "arms.common.staticfiles.StaticFilesStorage"
    assert "192.0.2.7" in first["ALLOWED_HOSTS"]
    assert first["EMAIL_BACKEND"] == "arms.common.mail.EmlFileBackend"
    assert first["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    assert first["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_the_demo_keeps_a_secret_and_a_mail_server_it_is_given(tmp_path):
    env = {"ARMS_VAR_DIR": str(tmp_path), "ARMS_SECRET_KEY": "given-" + "k" * 44, "ARMS_SMTP_URL": "smtp://mail:25"}

    values = json.loads(settings_of("arms.settings.demo", env, "SECRET_KEY", "EMAIL_BACKEND").stdout)

    assert values == {"SECRET_KEY": "given-" + "k" * 44, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    assert not (tmp_path / "secret_key").exists()
