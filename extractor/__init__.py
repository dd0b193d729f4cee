"""Extract Chinese department budget disclosures (部门预算信息公开) into
validated structured data.

    >>> from extractor import extract_file
    >>> disclosure = extract_file("fixtures/fuping-2021-county-party-office.txt")
    >>> disclosure.performance.projects[0].project_code
    '130624210SN9T0TGCCC6F'

Names are loaded on first use, so that importing the package (as the
``extract`` command does) costs nothing until extraction starts.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import (
        DecodeError,
        ExtractorError,
        InputError,
        NotADisclosure,
        TimedOut,
        UnreadableInput,
        UnsupportedFormat,
    )
    from .limits import Limits
    from .models import Disclosure, Indicator, IndicatorValue, Issue, Project
    from .pipeline import Extraction, extract_document, extract_file
    from .readers import read_bytes, read_path

__all__ = [
    "DecodeError",
    "Disclosure",
    "Extraction",
    "ExtractorError",
    "Indicator",
    "IndicatorValue",
    "InputError",
    "Issue",
    "Limits",
    "NotADisclosure",
    "Project",
    "TimedOut",
    "UnreadableInput",
    "UnsupportedFormat",
    "extract_document",
    "extract_file",
    "read_bytes",
    "read_path",
]

__version__ = "0.1.0"

_HOMES = {
    **dict.fromkeys(
        (
            "DecodeError",
            "ExtractorError",
            "InputError",
            "NotADisclosure",
            "TimedOut",
            "UnreadableInput",
            "UnsupportedFormat",
        ),
        "errors",
    ),
    "Limits": "limits",
    **dict.fromkeys(("Disclosure", "Indicator", "IndicatorValue", "Issue", "Project"), "models"),
    **dict.fromkeys(("Extraction", "extract_document", "extract_file"), "pipeline"),
    **dict.fromkeys(("read_bytes", "read_path"), "readers"),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'extractor' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
