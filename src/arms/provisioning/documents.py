"""The run's report as a PDF (A4, through ``arms.common.pdf``): totals, the bands, and the customers with the
largest allowance (the whole list is the Excel export)."""

from __future__ import annotations

from arms.common.pdf import render_pdf
from arms.provisioning.models import ProvisionRun
from arms.provisioning.selectors import run_lines

#: customers listed in the PDF, largest allowance first
PDF_LINES = 300


def render_run_pdf(run: ProvisionRun) -> bytes:
    lines = run_lines(run)
    count = lines.count()
    return render_pdf("provisioning/pdf/run.html", {
        "run": run, "lines": list(lines[:PDF_LINES]), "count": count, "shown": min(count, PDF_LINES),
        "bands": run.band_totals})


def file_stem(run: ProvisionRun) -> str:
    return f"provision-{run.as_of:%Y%m%d}"
