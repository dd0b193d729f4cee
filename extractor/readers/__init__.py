"""Readers: one per input format, each turning a file into a `SourceDocument`.

The format is decided from the file's content first (magic bytes) and its
extension second, so a PDF named ``.docx`` is still read as a PDF.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..blocks import SourceDocument, SourceInfo
from ..errors import DecodeError, UnreadableInput, UnsupportedFormat
from .decoding import decode_text
from .textfile import parse_flat_text

__all__ = ["SUPPORTED_SUFFIXES", "detect_format", "read_bytes", "read_path"]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".text", ".docx", ".pdf"})

_CONVERT_HINT = "save it from Word as .docx, or convert it with 'soffice --headless --convert-to docx FILE'"


def detect_format(data: bytes, suffix: str) -> str:
    """``txt``, ``docx``, ``pdf`` or ``doc`` from the content, else the suffix."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    return suffix.lstrip(".").lower() or "txt"


def read_path(path: str | Path) -> SourceDocument:
    """Read one input file into blocks; raises an `InputError` naming it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(path, "no such file") from None
    except IsADirectoryError:
        raise UnreadableInput(path, "is a directory, not a file") from None
    except OSError as exc:
        raise UnreadableInput(path, f"cannot be read: {exc.strerror or exc}") from None
    return read_bytes(data, str(path))


def read_bytes(data: bytes, name: str) -> SourceDocument:
    """Read the content of a file called ``name`` into blocks."""
    if not data.strip():
        raise UnreadableInput(name, "the file is empty")
    fmt = detect_format(data, Path(name).suffix)
    if fmt in ("txt", "text"):
        return _read_text(data, name)
    if fmt == "docx":
        from .docx import parse_docx

        return SourceDocument(source=_source_info(data, name, "docx", None), blocks=parse_docx(data, name))
    if fmt == "pdf":
        from .pdf import parse_pdf

        blocks, notes = parse_pdf(data, name)
        return SourceDocument(source=_source_info(data, name, "pdf", None), blocks=blocks, notes=notes)
    if fmt == "doc":
        raise UnsupportedFormat(name, "old binary Word (.doc) is not read", _CONVERT_HINT)
    raise UnsupportedFormat(name, f"unknown file type '.{fmt}'", "give a .docx, or a .txt flattened from Word")


def _source_info(data: bytes, name: str, fmt: str, encoding: str | None) -> SourceInfo:
    return SourceInfo(
        file=Path(name).name,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
        encoding=encoding,
    )


def _read_text(data: bytes, name: str) -> SourceDocument:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFormat(name, "binary data, not text", "give a .txt flattened from Word")
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            name,
            f"not valid UTF-8 or GB18030 text (bad byte at offset {exc.start})",
            "re-save it as UTF-8",
        ) from None
    return SourceDocument(source=_source_info(data, name, "txt", encoding), blocks=parse_flat_text(text))
