"""Panels other apps add to the case page and columns they add to the worklist, without this app importing them.

The dunning app (above this one in the layers) registers in its ``AppConfig.ready()``::

    from arms.cases.panels import register_case_panel, register_worklist_column
    register_case_panel("dunning", lambda *, request, customer: render_to_string(...))
    register_worklist_column("dunning_stage", _("Dunning stage"), lambda customer_ids: {id: "stage 2", ...})

A panel returns HTML (already escaped, e.g. from ``render_to_string``); a column returns text per customer id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import mark_safe

CasePanel = Callable[..., str]
WorklistColumn = Callable[[list[int]], dict[int, str]]

_panels: dict[str, CasePanel] = {}
_columns: dict[str, tuple[str, WorklistColumn]] = {}


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    html: str


def register_case_panel(name: str, render: CasePanel) -> None:
    """``render(*, request, customer) -> str`` (HTML) is shown on every case page, in registration order."""
    _panels[name] = render


def register_worklist_column(name: str, label, values: WorklistColumn) -> None:
    """``values(customer_ids) -> {customer_id: text}`` is shown as a worklist column headed ``label``."""
    _columns[name] = (label, values)


def case_panels(*, request, customer) -> list[RenderedPanel]:
    return [RenderedPanel(name, mark_safe(render(request=request, customer=customer)))
            for name, render in _panels.items()]


def worklist_columns(customer_ids: list[int]) -> list[tuple[str, object, dict[int, str]]]:
    return [(name, label, values(customer_ids)) for name, (label, values) in _columns.items()]
