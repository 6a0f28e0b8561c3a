"""Every CSV and Excel file ARMS hands out is written by arms.web.exports (streamed, BOM, formula escaping).

A source scan: a module that writes CSV, opens an openpyxl workbook for writing, or names the CSV/XLSX media
types is either the export helper or listed here with the reason it is not a second export builder."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "arms"

#: what building a CSV or XLSX file (or a response carrying one) by hand looks like
SIGNS = re.compile(
    r"csv\.(writer|DictWriter)\(|\bWorkbook\(|\\ufeff|codecs\.BOM|text/csv|spreadsheetml|"
    r"content_type=[\"'][^\"']*(csv|excel|xlsx)"
)

ALLOWED = {
    "web/exports.py": "the one export helper",
    "common/jobs.py": "the table of media types a job's stored file is served as (the helper reads it too)",
    # the monthly management report is a stored, multi-sheet document laid out by hand (several tables one
    # below the other); it writes every text cell through arms.web.exports.set_text_safe
    "reports/tables.py": "the monthly report's workbook layout (cells escaped by arms.web.exports)",
    "imports/readers.py": "reads uploaded files; writes none",
    "common/files.py": "the allow-list of media types a stored file may keep when served; builds no file",
    "bank/parsers/tabular.py": "reads uploaded bank statements; writes none",
    "bank/samples.py": "writes the made-up bank statements a bank would send (input to ARMS, not an export of it)",
    "imports/bench.py": "writes the made-up import files the bench imports (input to ARMS, not an export of it)",
}


def test_no_module_but_the_export_helper_builds_csv_or_xlsx():
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = str(path.relative_to(SRC))
        if name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SIGNS.search(line):
                offenders.setdefault(name, []).append(f"{number}: {line.strip()}")
    assert offenders == {}


def test_the_allowed_list_is_not_stale():
    for name in ALLOWED:
        assert (SRC / name).exists(), name
