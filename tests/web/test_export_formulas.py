"""No export lets a customer's name or a note become a live formula: every CSV and XLSX goes through
arms.web.exports (or the monthly workbook's writer, which uses its ``set_text_safe``).

tests/web/test_lists.py exports each list page with formula-like names and notes; this module proves that no
export escapes that test (every view that calls ``export_response`` is one of its cases or is exported here),
that nothing else in ``src/`` builds a CSV or a workbook by hand, and exports the tables the list test does not
reach (the dashboard's panels, the KPIs, the statement, the evidence bundle's index).
"""

from __future__ import annotations

import ast
import csv
import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from arms.web.exports import FORMULA_STARTS
from tests import factories
from tests.web import test_lists

SRC = Path(__file__).resolve().parents[2] / "src" / "arms"
HYPERLINK = '=HYPERLINK("http://x","y")'
NOTES = ["@SUM(1)", "+1", "-1", "=cmd|' /C calc'!A0"]

#: views that export and are checked in this module rather than in test_lists
EXPORTED_HERE = {"web:customer_statement", "reports:export", "analytics:kpis",
                 "web:audit_list",  # (the audit trail: tests/web/test_audit_trail.py)
                 # a contact's own downloads in the customer portal: tests/portal/test_exports.py
                 "portal:invoices", "portal:payments", "portal:statement",
                 # one object's tables, not lists: test_stress_run_and_forecast_exports_have_no_formula below
                 "stress:run", "forecast:home", "forecast:detail"}
#: the only modules that may build a CSV or a workbook: the export helper and the monthly workbook (which writes
#: every text cell through the helper's set_text_safe)
WRITERS = {"web/exports.py", "reports/tables.py",
           "bank/samples.py",  # the made-up bank statements of the benches and the demo: ARMS's input
           "imports/bench.py"}  # the made-up import files of the import bench: ARMS's input too


def _callbacks(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _callbacks(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _exporting_views() -> set[tuple[str, str]]:
    """(module, function) of every view function in src/ that calls export_response."""
    found = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = "arms." + ".".join(path.relative_to(SRC).with_suffix("").parts)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(call, ast.Call) and getattr(call.func, "id", "") == "export_response"
                    for call in ast.walk(node)):
                found.add((module, node.name))
    found.discard(("arms.web.exports", "export_response"))
    return found


def test_every_exporting_view_is_exported_with_formula_like_text_by_a_test(db):
    from tests.web.test_lists import CASES

    viewer = factories.user("coverage-viewer", superuser=True)
    today = timezone.localdate()
    covered_paths = set()
    for builder in CASES.values():  # each case's rows are made and rolled back: only its URL is wanted
        atomic = transaction.atomic()
        atomic._from_testcase = True  # services with a durable transaction (a statement import) run inside it
        with atomic:
            covered_paths.add(builder(viewer, today).url)
            transaction.set_rollback(True)
    by_view = {}
    for name, callback in _callbacks():
        callback = getattr(callback, "func", callback)  # a functools.partial
        by_view.setdefault((callback.__module__, getattr(callback, "__name__", "")), []).append(name)
    exporting = _exporting_views()
    assert exporting, "no view calls export_response?"
    uncovered = []
    for view in sorted(exporting):
        names = by_view.get(view)
        assert names, f"{view} exports but has no URL"
        for name in names:
            if name in EXPORTED_HERE:
                continue
            try:
                path = reverse(name)
            except Exception:  # a URL with arguments: covered if a case's URL resolves to the same view
                path = None
            if path not in covered_paths and not any(_resolves_to(p, view) for p in covered_paths):
                uncovered.append(name)
    assert uncovered == [], "exports no test feeds formula-like text: add a case to tests/web/test_lists.py"


def _resolves_to(path: str, view: tuple[str, str]) -> bool:
    from django.urls import resolve

    match = resolve(path)
    return (match.func.__module__, match.func.__name__) == view


def test_nothing_else_builds_a_csv_or_a_workbook():
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = str(path.relative_to(SRC))
        if "migrations" in path.parts or relative in WRITERS:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bcsv\.(writer|DictWriter)\(|\bWorkbook\(|\bxlsxwriter\b", text):
            offenders.append(relative)
    assert offenders == []


def _no_formula_in_csv(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    text = b"".join(response.streaming_content).decode("utf-8") if response.streaming else response.content.decode()
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
    assert [c for c in cells if c.lstrip(" ").startswith(FORMULA_STARTS) and not test_lists.NUMBER.match(c)] == []
    return cells


def _no_formula_in_xlsx(response) -> set:
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return {c.value for c in cells}


@pytest.fixture
def hostile_book(db):
    """A customer named like a formula with an overdue invoice and a note-like description."""
    today = timezone.localdate()
    clerk = factories.user("fx-clerk", role="finance_clerk")
    cust = factories.customer("F001", name=HYPERLINK, region="east")
    for i, note in enumerate(NOTES):
        factories.customer(f"F{i + 2:03d}", name=note, region="east")
    factories.invoice(cust, issued=today - timedelta(days=120), net=1_000_000, tax=0, actor=clerk)
    return cust, today


def test_dashboard_panels_export_names_as_text(client, hostile_book):
    _cust, today = hostile_book
    client.force_login(factories.user("fx-admin", superuser=True))
    from arms.reports.selectors.dashboard import dashboard_panels

    keys = [p.key for p in dashboard_panels(user=factories.user("fx-root", superuser=True), as_of=today)
            if p.table is not None]
    assert keys
    seen = set()
    for key in keys:
        seen |= set(_no_formula_in_csv(client.get(reverse("reports:export", args=[key, "csv"]),
                                                  {"as_of": today.isoformat()})))
        seen |= _no_formula_in_xlsx(client.get(reverse("reports:export", args=[key, "xlsx"]),
                                               {"as_of": today.isoformat()}))
    assert any(HYPERLINK in str(value) for value in seen), seen  # the name was exported (as text)


def test_kpi_and_statement_exports_have_no_formula(client, hostile_book):
    cust, today = hostile_book
    client.force_login(factories.user("fx-admin", superuser=True))
    period = {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}
    for table in ("", "trend"):
        _no_formula_in_csv(client.get(reverse("analytics:kpis"), {**period, "table": table, "export": "csv"}))
        _no_formula_in_xlsx(client.get(reverse("analytics:kpis"), {**period, "table": table, "export": "xlsx"}))
    statement = {"date_from": (today - timedelta(days=200)).isoformat(), "date_to": today.isoformat()}
    url = reverse("web:customer_statement", args=[cust.pk])
    assert "'" + HYPERLINK in _no_formula_in_csv(client.get(url, {**statement, "export": "csv"}))
    assert HYPERLINK in _no_formula_in_xlsx(client.get(url, {**statement, "export": "xlsx"}))


def test_the_evidence_bundles_index_csv_has_no_formula(hostile_book, monkeypatch):
    from arms.cases.services import activity_record, bundles

    monkeypatch.setattr(bundles, "render_pdf", lambda template, context: b"%PDF-1.7 index")
    cust, _today = hostile_book
    actor = factories.user("fx-legal", role="legal")
    for note in NOTES:
        activity_record(customer=cust, kind="note", note=note, actor=actor, attachment_name=f"{note}.txt",
                        attachment_bytes=note.encode())
    made = bundles.evidence_bundle(customer=cust, actor=actor, recipient=HYPERLINK)
    archive = zipfile.ZipFile(io.BytesIO(made.content))
    texts = [archive.read(n).decode("utf-8-sig") for n in archive.namelist() if n.endswith(".csv")]
    assert texts
    for text in texts:
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert [c for c in cells if c.lstrip(" ").startswith(FORMULA_STARTS)
                and not test_lists.NUMBER.match(c)] == [], cells


def test_stress_run_and_forecast_exports_have_no_formula(client, hostile_book):
    from arms.forecast.services import forecast_run
    from arms.stress.services import scenario_create, scenario_run

    _cust, today = hostile_book
    manager = factories.user("fx-fm", role="finance_manager")
    company = factories.company_ensure()
    scenario = scenario_create(actor=manager, company=company, name=HYPERLINK, parameters={"default_top_n": 1})
    run = scenario_run(actor=manager, scenario=scenario, as_of=today)
    forecast = forecast_run(actor=manager, company=company, as_of=today)
    client.force_login(factories.user("fx-admin", superuser=True))
    seen = set()
    for url in (reverse("stress:run", args=[run.pk]), reverse("forecast:home"),
                reverse("forecast:detail", args=[forecast.pk])):
        seen |= set(_no_formula_in_csv(client.get(url, {"export": "csv"})))
        seen |= _no_formula_in_xlsx(client.get(url, {"export": "xlsx"}))
    assert any(HYPERLINK in str(value) for value in seen), seen  # the scenario's name was exported, as text
