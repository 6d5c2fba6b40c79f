"""The YAML keys each typed object reads, declared once on its dataclass fields.

A field whose metadata is `yaml_key(...)` says which key of its YAML mapping it
comes from and whether that key is required; `yaml_keys` reads the declarations back. The
parser (`spec`) and the checker's key rules both use these, so the keys `check`
accepts can never drift from the keys the parser reads: there is no second list.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

_KEY = "yaml_key"
_REQUIRED = "yaml_required"


def yaml_key(name: str | None = None, *, required: bool = False) -> Mapping[str, object]:
    """Field metadata: read from the YAML key `name` (the field's own name by default).

    Several fields may read one key (`target` gives `target_value` and `target_period`).
    Example: `unit: str = field(metadata=yaml_key(required=True))`.
    """
    return {_KEY: name, _REQUIRED: required}


def yaml_keys(model: type) -> dict[str, bool]:
    """Every YAML key `model` reads → whether it is required, in field order."""
    keys: dict[str, bool] = {}
    for model_field in dataclasses.fields(model):
        if _KEY in model_field.metadata:
            name = model_field.metadata[_KEY] or model_field.name
            keys[name] = keys.get(name, False) or model_field.metadata[_REQUIRED]
    return keys
