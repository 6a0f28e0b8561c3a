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


PRODUCTION = {"ARMS_SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://arms@db:5432/arms",
              "ARMS_BASE_URL": "https://ar.example.cn"}


def test_production_serves_hashed_static_files_with_secure_cookies(tmp_path):
    done = settings_of("arms.settings.production", {**PRODUCTION, "ARMS_VAR_DIR": str(tmp_path)},
                       "DEBUG", "STORAGES", "SESSION_COOKIE_SECURE", "MIDDLEWARE", "ARMS_BASE_URL")

    values = json.loads(done.stdout)
    assert (values["DEBUG"], values["SESSION_COOKIE_SECURE"]) == (False, True)
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "arms.common.staticfiles.StaticFilesStorage"
    assert values["MIDDLEWARE"][1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert values["ARMS_BASE_URL"] == "https://ar.example.cn"


def test_production_refuses_to_start_without_a_base_url_a_secret_or_postgresql(tmp_path):
    for missing, says in [("ARMS_BASE_URL", "ARMS_BASE_URL"), ("ARMS_SECRET_KEY", "ARMS_SECRET_KEY"),
                          ("DATABASE_URL", "PostgreSQL")]:
        env = {k: v for k, v in PRODUCTION.items() if k != missing}
        done = settings_of("arms.settings.production", {**env, "ARMS_VAR_DIR": str(tmp_path)}, "DEBUG")
        assert done.returncode != 0 and says in done.stderr, missing


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
