"""Walk every operation of the one NinjaAPI: the classes its schemas are made of, by the name OpenAPI gives them."""

from __future__ import annotations

import enum
import typing
from collections import defaultdict

from pydantic import BaseModel, WithJsonSchema

from arms.api import api


def operations():
    """(method, path, operation) for every operation mounted under the API."""
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, (prefix + path).replace("//", "/"), operation


def _inline(metadata) -> bool:
    """Written out where used (``WithJsonSchema``, as ``inline_choices`` does): no shared name in the document."""
    return any(isinstance(meta, WithJsonSchema) for meta in metadata)


def _classes(annotation, seen: set) -> None:
    if typing.get_origin(annotation) is typing.Annotated:
        if _inline(annotation.__metadata__):
            return
        _classes(typing.get_args(annotation)[0], seen)
        return
    if isinstance(annotation, type):
        if annotation in seen:
            return
        if issubclass(annotation, BaseModel):
            seen.add(annotation)
            for field in annotation.model_fields.values():
                if not _inline(field.metadata):
                    _classes(field.annotation, seen)
            return
        if issubclass(annotation, enum.Enum):
            seen.add(annotation)
            return
    for arg in typing.get_args(annotation):
        _classes(arg, seen)


def schema_classes_by_name() -> dict[str, set[type]]:
    """Every model and enum an operation's body, parameters or responses use, grouped by the schema name."""
    seen: set[type] = set()
    for _method, _path, operation in operations():
        for model in operation.models:
            _classes(model, seen)
        for model in (operation.response_models or {}).values():
            _classes(model, seen)
    by_name: dict[str, set[type]] = defaultdict(set)
    for cls in seen:
        if getattr(cls, "__ninja_param_source__", None) or cls.__name__ == "NinjaResponseSchema":
            continue  # Ninja's wrappers of an operation's parameters and responses: never named in the document
        name = cls.model_config.get("title") or cls.__name__ if issubclass(cls, BaseModel) else cls.__name__
        by_name[name].add(cls)
    return by_name


def collisions() -> dict[str, list[str]]:
    return {name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
            for name, classes in schema_classes_by_name().items() if len(classes) > 1}
