"""A scenario run's report as an A4 PDF (through ``arms.common.pdf``): the headline figures base beside stressed,
the cash-in and cash position per week, the defaulted customers and the recommendations."""

from __future__ import annotations

from arms.common.pdf import render_pdf
from arms.stress.exports import summary_rows
from arms.stress.models import ScenarioRun
from arms.stress.services import recommendation_texts


def render_run_pdf(run: ScenarioRun, *, shocks: str) -> bytes:
    return render_pdf("stress/pdf/run.html", {
        "run": run, "results": run.results, "summary": summary_rows(run.results), "shocks": shocks,
        "recommendations": recommendation_texts(run.results)})


def file_stem(run: ScenarioRun) -> str:
    return f"stress-{run.pk}-{run.as_of:%Y%m%d}"
