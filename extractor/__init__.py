"""Extract Chinese department budget disclosures (部门预算信息公开) into
validated structured data.

    >>> from extractor import extract_file
    >>> disclosure = extract_file("fixtures/fuping-2021-county-party-office.txt")
    >>> disclosure.performance.projects[0].project_code
    '130624210SN9T0TGCCC6F'
"""

from __future__ import annotations

from .errors import (
    DecodeError,
    ExtractorError,
    InputError,
    NotADisclosure,
    UnreadableInput,
    UnsupportedFormat,
)
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
    "NotADisclosure",
    "Project",
    "UnreadableInput",
    "UnsupportedFormat",
    "extract_document",
    "extract_file",
    "read_bytes",
    "read_path",
]

__version__ = "0.1.0"
