"""PDF documents (dunning letters, lawyer's letters, evidence indexes, management reports) from Django templates.

WeasyPrint lays the HTML out with Pango, so Chinese text needs a CJK font installed on the machine: the setup
installs Debian's ``fonts-noto-cjk`` (see docs/production.md). Templates extend ``pdf/base.html``, which asks for
Noto Sans CJK SC first and falls back to any installed CJK face.
"""

from __future__ import annotations

import shutil
import subprocess

from django.template.loader import render_to_string

from arms.common.errors import ArmsError, ErrorCode

CJK_FONT_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei")


class PdfUnavailable(ArmsError):
    status = 503
    code = ErrorCode.PDF_UNAVAILABLE


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template to PDF bytes. Raises PdfUnavailable with the fix when WeasyPrint cannot load Pango."""
    html = render_to_string(template_name, context)
    try:
        from weasyprint import HTML
    except OSError as exc:  # WeasyPrint imports fine but Pango (a system library) is missing
        raise PdfUnavailable(
            f"PDF output needs the Pango library and a CJK font: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            f"libharfbuzz-subset0 fonts-noto-cjk ({exc})"
        ) from exc
    return HTML(string=html).write_pdf()


def cjk_font_installed() -> bool:
    """True when fontconfig knows a Chinese font (what `arms setup` checks and reports)."""
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return bool(listed.strip())
