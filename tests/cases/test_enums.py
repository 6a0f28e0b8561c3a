"""The escalation level and the task kind are defined once (arms.cases.enums) and used by cases and dunning alike;
the order of the levels is the domain's (the rule that checks dunning ladders)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation

import arms
from arms.cases.enums import LEVEL_ORDER, Level, TaskKind, next_level
from arms.domain.dunning import LEVELS
from arms.dunning.models import STAGE_TASK_CHOICES, DunningAction, DunningStage


def _classes_named(name: str) -> list[str]:
    root = Path(arms.__file__).parent
    return [str(path.relative_to(root)) for path in root.rglob("*.py") if "migrations" not in path.parts
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ClassDef) and node.name == name]


def test_each_enum_is_defined_once():
    assert _classes_named("Level") == ["cases/enums.py"]
    assert _classes_named("TaskKind") == ["cases/enums.py"]


def test_dunning_uses_the_cases_choices_and_the_domain_order():
    assert tuple(Level.values) == LEVELS == tuple(LEVEL_ORDER)
    assert next_level(Level.SALES) == Level.FINANCE and next_level(Level.CREDIT_LEGAL) == Level.CREDIT_LEGAL
    for model in (DunningStage, DunningAction):
        assert model._meta.get_field("level").choices == Level.choices
    stage_tasks = [code for code, _label in STAGE_TASK_CHOICES]
    assert stage_tasks[0] == "" and set(stage_tasks[1:]) <= set(TaskKind.values)
    assert DunningStage._meta.get_field("task_kind").choices == STAGE_TASK_CHOICES


def test_one_label_each_in_chinese():
    with translation.override("zh-hans"):
        assert str(Level.CREDIT_LEGAL.label) == "信用/法务"
        assert dict(STAGE_TASK_CHOICES)["handoff"] == TaskKind.HANDOFF.label
        assert str(dict(STAGE_TASK_CHOICES)["handoff"]) == "移交"
