"""The JSON Schema of the output, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .models import Disclosure

__all__ = ["disclosure_schema", "render_schema", "write_schema"]


def disclosure_schema() -> dict[str, Any]:
    schema = Disclosure.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "disclosure.schema.json"
    return schema


def render_schema() -> str:
    return json.dumps(disclosure_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schema(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_schema(), encoding="utf-8")
    return path
