"""Form definitions as data: one YAML file per form type and per regional variant.

`load_definitions()` reads the packaged files and any folders a user adds,
resolves `extends` (a variant names the definition it starts from and lists
only what differs), and validates each with the pydantic model in
`definition.py`. Nothing here knows how a form is read; `extract/forms/` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models.forms.definition import FieldSpec, FormDefinition, FundsSpec, Grade, IndicatorSpec, Rules

__all__ = [
    "DefinitionError",
    "FieldSpec",
    "FormDefinition",
    "FundsSpec",
    "Grade",
    "IndicatorSpec",
    "Rules",
    "load_definitions",
]


class DefinitionError(ValueError):
    """A definition file is malformed: the message names the file and the field."""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A variant over its base: mappings merge key by key, a null removes the key, anything else replaces."""
    out = dict(base)
    for key, value in override.items():
        if value is None and key in out and isinstance(base, dict):
            del out[key]  # the variant does not print this field or column
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(path: Path | Any) -> dict[str, Any]:
    try:
        # libyaml's loader where it is built in: the definitions load in a tenth of the time (start-up).
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or "id" not in data:
        raise DefinitionError(f"{path}: a form definition is a mapping with at least an 'id'")
    data["_file"] = str(path)
    return data


def _packaged() -> list[Any]:
    root = resources.files(__package__)
    return sorted(
        (f for d in root.iterdir() if d.is_dir() for f in d.iterdir() if f.name.endswith(".yaml")), key=lambda f: str(f)
    )


def load_definitions(extra_dirs: Iterable[str | Path] = ()) -> list[FormDefinition]:
    """Every definition, packaged ones first; a user's file with the same id replaces the packaged one."""
    raw: dict[str, dict[str, Any]] = {}
    for path in _packaged():
        data = _read(path)
        raw[data["id"]] = data
    for folder in extra_dirs:
        folder = Path(folder)
        if not folder.is_dir():
            raise DefinitionError(f"{folder}: no such folder of form definitions")
        for path in sorted(folder.rglob("*.yaml")) + sorted(folder.rglob("*.yml")):
            data = _read(path)
            raw[data["id"]] = data
    resolved: dict[str, dict[str, Any]] = {}

    def resolve(def_id: str, chain: tuple[str, ...] = ()) -> dict[str, Any]:
        if def_id in resolved:
            return resolved[def_id]
        if def_id in chain:
            raise DefinitionError(f"definitions extend each other in a loop: {' -> '.join((*chain, def_id))}")
        data = raw.get(def_id)
        if data is None:
            raise DefinitionError(f"{raw[chain[-1]]['_file']}: extends '{def_id}', which no definition has")
        parent = data.get("extends")
        merged = _merge(resolve(parent, (*chain, def_id)), data) if parent else dict(data)
        resolved[def_id] = merged
        return merged

    out = []
    for def_id in raw:
        data = {k: v for k, v in resolve(def_id).items() if k != "_file"}
        data["id"] = def_id
        data["extends"] = raw[def_id].get("extends")
        try:
            out.append(FormDefinition.model_validate(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            message = first["msg"].removeprefix("Value error, ")
            raise DefinitionError(f"{raw[def_id]['_file']}: {where + ': ' if where else ''}{message}") from exc
    return out
