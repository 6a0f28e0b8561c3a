"""Stored files served over HTTP: always a download, never a page that runs in the ARMS origin.

A file a user uploaded (an activity's attachment) or ARMS made (a letter, a report, an evidence bundle, a job's
export) is served by :func:`file_response` and nothing else, so that

- it is a download (``Content-Disposition: attachment``, the exact name as RFC 5987 ``filename*`` beside an
  ASCII fallback), so the browser does not open it in the ARMS origin;
- its media type is one of :data:`SAFE_TYPES` or ``application/octet-stream`` — never ``text/html``,
  ``image/svg+xml`` or anything else a browser would run scripts from, whatever the uploader's name suggested;
- ``X-Content-Type-Options: nosniff`` stops the browser from guessing a type of its own.

Only raster images (:data:`INLINE_TYPES`) may be shown inline, and only where a page asks for it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

OCTET_STREAM = "application/octet-stream"

#: media types a stored file keeps when served: documents a browser downloads or opens in a viewer without
#: running anything from them. HTML, SVG, XML and JavaScript are absent on purpose.
SAFE_TYPES = frozenset({
    "application/pdf",
    "application/zip",
    "application/json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/msword",
    "text/csv",
    "text/plain",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
})

#: raster images: the only types that may be shown inline (they cannot carry a script)
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def safe_content_type(content_type: str | None) -> str:
    """``content_type`` if its media type is on :data:`SAFE_TYPES` (text keeps a charset), else octet-stream."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type not in SAFE_TYPES:
        return OCTET_STREAM
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def ascii_filename(name: str) -> str:
    """A plain-ASCII stand-in for ``name`` (for clients that do not read ``filename*``)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._-")
    return text or "export"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``Content-Disposition`` with an ASCII fallback and the exact name (RFC 6266 / RFC 5987)."""
    stem, dot, extension = filename.rpartition(".")
    fallback = f"{ascii_filename(stem)}.{ascii_filename(extension)}" if dot else ascii_filename(filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def protect(response: HttpResponseBase, *, filename: str, content_type: str | None, inline: bool = False,
            sha256: str = "") -> HttpResponseBase:
    """Set the headers every stored file is served with (see the module's docstring) on ``response``."""
    safe = safe_content_type(content_type)
    response["Content-Type"] = safe
    response["Content-Disposition"] = content_disposition(filename, inline=inline and safe in INLINE_TYPES)
    response["X-Content-Type-Options"] = "nosniff"
    if sha256:
        response["X-Content-SHA256"] = sha256
    patch_cache_control(response, private=True)
    return response


def file_response(content, *, filename: str, content_type: str | None, inline: bool = False,
                  sha256: str = "") -> HttpResponseBase:
    """A stored file (``bytes`` or an open binary file) as a safe download named ``filename``."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        response: HttpResponseBase = HttpResponse(bytes(content))
    else:
        response = FileResponse(content)
    return protect(response, filename=filename, content_type=content_type, inline=inline, sha256=sha256)
