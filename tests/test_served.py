"""Served as in production: gunicorn alone, with the production settings, serves the pages' stylesheet, htmx and
the API docs' assets (WhiteNoise, hashed and compressed names) — no proxy, no DEBUG.

The static files are collected into a scratch ARMS_VAR_DIR first, as `arms setup` does. The production settings
insist on PostgreSQL but serving static files never touches the database: the server is pointed at a port where
none answers, which also shows /healthz saying so.
"""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.served

if importlib.util.find_spec("gunicorn") is None:
    pytest.skip("gunicorn is not installed, so production serving cannot be tried", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, **headers) -> tuple[int, dict[str, str], bytes]:
    # as the TLS proxy forwards it (production redirects plain HTTP to HTTPS)
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn (one worker) with arms.settings.production on a free port; yields its base URL."""
    var = tmp_path_factory.mktemp("served-var")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ARMS_", "DJANGO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "arms.settings.production", "ARMS_VAR_DIR": str(var),
        "ARMS_SECRET_KEY": secrets.token_urlsafe(50), "DATABASE_URL": "postgres://arms@127.0.0.1:9/nowhere",
        "ARMS_BASE_URL": f"http://127.0.0.1:{port}", "ARMS_ALLOWED_HOSTS": "127.0.0.1",
    })
    subprocess.run([sys.executable, "-m", "arms.cli", "collectstatic", "--noinput", "-v0"], env=env, check=True,
                   timeout=600, cwd=var)
    log = (var / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "arms.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--no-control-socket"], env=env, cwd=var, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited with {process.returncode}:\n{(var / 'gunicorn.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not answer in 120 s:\n{(var / 'gunicorn.log').read_text()}")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_gunicorn_alone_serves_the_stylesheet_and_htmx_that_the_pages_name(server):
    status, _headers, body = get(f"{server}/login/")
    page = body.decode()
    assert status == 200
    css = re.search(r'href="(/static/web/arms\.[0-9a-f]{12}\.css)"', page).group(1)
    htmx = re.search(r'src="(/static/django_htmx/htmx[^"]*\.[0-9a-f]{12}\.js)"', page).group(1)

    for path, content_type, text in [(css, "text/css", b"{"), (htmx, "text/javascript", b"htmx")]:
        status, headers, body = get(server + path)
        assert (status, headers["content-type"].split(";")[0]) == (200, content_type), path
        assert text in body
        assert "immutable" in headers["cache-control"]  # hashed names may be cached for ever
        status, headers, _body = get(server + path, **{"Accept-Encoding": "gzip"})
        assert (status, headers.get("content-encoding")) == (200, "gzip"), path


def test_gunicorn_alone_serves_the_api_docs_assets(server):
    status, _headers, body = get(f"{server}/api/docs")
    assert status == 200
    assets = re.findall(r'(?:href|src)="(/static/ninja/[^"]+)"', body.decode())
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for path in assets:
        assert get(server + path)[0] == 200, path


def test_pages_static_files_and_the_api_carry_the_content_security_policy(server):
    _status, _headers, body = get(f"{server}/login/")
    css = re.search(r'href="(/static/web/arms\.[0-9a-f]{12}\.css)"', body.decode()).group(1)
    for path in ("/login/", css, "/api/v1/customers", "/api/docs", "/healthz"):
        _status, headers, _body = get(server + path)
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "script-src 'self';" in headers["content-security-policy"], path


def test_plain_http_is_redirected_to_https_and_https_gets_hsts(server):
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(server)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request("GET", "/login/")  # no X-Forwarded-Proto: plain HTTP (urllib would follow the redirect)
    response = connection.getresponse()
    assert response.status == 301 and response.getheader("Location").startswith("https://")
    connection.close()
    status, headers, _body = get(f"{server}/login/")
    assert status == 200 and "max-age=31536000" in headers["strict-transport-security"]


def test_healthz_says_when_the_database_does_not_answer(server):
    status, headers, body = get(f"{server}/healthz")

    assert (status, headers["content-type"]) == (503, "application/json")
    assert body == b'{"status": "unavailable", "database": "unavailable"}'
