"""The output contract, generated from the pydantic models: the JSON Schema
(``schemas/disclosure.schema.json``) and the contract for people
(``docs/contract.md``: every JSON field and every CSV column with its type
and description).  Both are committed; tests fail when either is stale."""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .models import SCHEMA_VERSION, Disclosure

__all__ = [
    "DEFAULT_CONTRACT",
    "disclosure_schema",
    "render_contract",
    "render_schema",
    "write_contract",
    "write_schema",
]

DEFAULT_CONTRACT = Path("docs/contract.md")

_INTRO = """\
# Output contract (schema version {version})

Generated from `extractor/models.py` and `extractor/writers/tables.py` by
`extract schema --markdown {path}`; do not edit by hand. The contract's
prose and examples are in `shared/spec/OUTPUT.md`; the JSON Schema is
`schemas/disclosure.schema.json` (`extract schema`).

Conventions: amounts are exact decimals in the unit of their block
(`amount_unit`, almost always 万元), written as JSON numbers with every digit;
percentages are numbers out of 100; an empty source cell is `null`, never `0`
or `""`; text is kept as written; records read from tables carry a
`location` back into the source; whatever could not be placed or had to be
repaired is an entry in `issues`.

## JSON: one document per input
"""

_CSV_INTRO = """\
## CSV set and Data Package

One CSV file per table, every row beginning with `doc_id`, described by
`datapackage.json` (Frictionless Table Schema: the types, keys and
descriptions below). Codes are `string` however they look (`201001`): read
them as text (pandas `dtype=str`, DuckDB `types={{'unit_code': 'VARCHAR'}}`,
or through the Data Package). `number` columns are exact decimals
(DuckDB `DECIMAL(38,10)`).

Files are UTF-8 with a byte-order mark, so that Excel opens Chinese text
correctly, and `datapackage.json` declares them `utf-8-sig`; with
`--csv-encoding utf-8` the mark is dropped and the files are declared `utf-8`.
With `--no-csv`, `files.csv` and `failures.csv` are still written (the
run's ledger: every path read, every input refused), without a Data Package.

The budget tables (version 3): `budget_tables.csv` has one row per table,
`budget_lines.csv` one row per non-empty amount cell, keyed by (`doc_id`,
`table`, `row`, `column`), `amount` in the table's own unit and `amount_yuan`
the same amount in 元, exact. `documents.csv` carries the headline figures
(`income_total` … `assets_total`) in one unit, `figures_unit`. In SQLite and
PostgreSQL `table` and `column` are reserved words: quote them
(`SELECT "column", amount FROM budget_lines WHERE "table" = 1`).
"""


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


def render_contract() -> str:
    """The contract as Markdown: a table per model (those reached from
    `Disclosure`, in field order), then a table per CSV file."""
    from .writers.tables import TABLES

    lines = [_INTRO.format(version=SCHEMA_VERSION, path=DEFAULT_CONTRACT.as_posix())]
    for model in _models(Disclosure):
        lines.append(f"### {model.__name__}\n")
        if model.__doc__:
            lines.append(_cell(model.__doc__) + "\n")
        lines.append("| field | type | description |\n|---|---|---|")
        lines.extend(
            f"| `{name}` | {_type_name(field.annotation)} | {_cell(field.description or '')} |"
            for name, field in model.model_fields.items()
        )
        lines.append("")
    lines.append(_CSV_INTRO.format())
    for spec in TABLES.values():
        keys = f"Primary key: {', '.join(f'`{key}`' for key in spec.primary_key) or 'none'}."
        for local, table, _ in spec.foreign_keys:
            keys += f" ({', '.join(local)}) → {table}."
        lines.append(f"### {spec.name}.csv\n\n{keys}\n\n| column | type | description |\n|---|---|---|")
        for column in spec.columns:
            kind = column.type + (": " + ", ".join(f"`{value}`" for value in column.enum) if column.enum else "")
            lines.append(f"| `{column.name}` | {_cell(kind)} | {_cell(column.description)} |")
        lines.append("")
    return "\n".join(lines)


def write_contract(path: Path = DEFAULT_CONTRACT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_contract(), encoding="utf-8")
    return path


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model reached from ``root``, each once, depth first in field order."""
    found = [root]
    for field in root.model_fields.values():
        for inner in _inner_models(field.annotation):
            found.extend(model for model in _models(inner) if model not in found)
    return found


def _inner_models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    else:
        for argument in get_args(annotation):
            yield from _inner_models(argument)


def _type_name(annotation: Any) -> str:
    """A field's type in the contract's words: str, decimal, list of …, or null."""
    origin = get_origin(annotation)
    arguments = get_args(annotation)
    if origin is Annotated:
        return _type_name(arguments[0])
    if origin in (Union, types.UnionType):
        named = " or ".join(_type_name(a) for a in arguments if a is not type(None))
        return f"{named} or null" if type(None) in arguments else named
    if origin is Literal:
        return "one of " + ", ".join(f"`{value}`" for value in arguments)
    if origin is list:
        return f"list of {_type_name(arguments[0])}"
    if origin is dict:
        return f"{{{_type_name(arguments[0])}: {_type_name(arguments[1])}}}"
    if annotation is Decimal:
        return "decimal"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return str(getattr(annotation, "__name__", annotation))


def _cell(text: str) -> str:
    """Text on one line, safe in a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")
