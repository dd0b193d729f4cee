"""JSON output: one file per document, amounts written as exact JSON numbers."""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal
from pathlib import Path

import simplejson

from ..models import Disclosure

__all__ = ["OUTPUT_MODE", "dumps", "loads", "write_json"]

#: Permissions of written files (mkstemp's own 0600 would hide them from others).
OUTPUT_MODE = 0o644


def dumps(disclosure: Disclosure, indent: int | None = 2) -> str:
    """The disclosure as JSON text; `Decimal` amounts keep every digit."""
    data = disclosure.model_dump(mode="python")
    return simplejson.dumps(data, ensure_ascii=False, indent=indent, use_decimal=True)


def _integer(text: str) -> int | Decimal:
    """A JSON integer; ``-0`` stays ``Decimal('-0')`` (as an int it would
    lose its sign, and a reloaded document would differ from the one written)."""
    return Decimal(text) if text == "-0" else int(text)


def loads(text: str | bytes) -> Disclosure:
    """A disclosure from its JSON, amounts exactly as written (``418.6860``
    stays ``Decimal('418.6860')``, ``-0`` stays ``-0``; pydantic's own JSON
    parsing goes through floats and would give ``418.686``)."""
    return Disclosure.model_validate(simplejson.loads(text, use_decimal=True, parse_int=_integer))


def write_json(disclosure: Disclosure, path: Path, indent: int | None = 2) -> Path:
    """Write atomically: a temporary file in the same folder, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(dumps(disclosure, indent))
            out.write("\n")
        os.chmod(temporary, OUTPUT_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
