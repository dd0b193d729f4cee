"""Readers: one per input format, each turning a file into a `SourceDocument`.

The format is decided from the file's content first (magic bytes) and its
extension second, so a PDF named ``.docx`` is still read as a PDF.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..blocks import SourceDocument, SourceInfo, block_characters
from ..errors import DecodeError, UnreadableInput, UnsupportedFormat
from ..limits import DEFAULT_LIMITS, MB, Limits
from .decoding import decode_text, looks_like_utf16
from .textfile import parse_flat_text

__all__ = ["INPUT_SUFFIXES", "detect_format", "read_bytes", "read_path"]

#: Extensions of the files a run picks up (.doc too, to refuse it with a hint).
INPUT_SUFFIXES: frozenset[str] = frozenset({".txt", ".text", ".docx", ".pdf", ".doc"})

_CONVERT_HINT = "save it from Word as .docx, or convert it with 'soffice --headless --convert-to docx FILE'"


_HTML = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")
_BINARY_SUFFIXES = frozenset({"docx", "pdf", "doc"})


def detect_format(data: bytes, suffix: str) -> str:
    """``txt``, ``docx``, ``pdf``, ``doc`` or ``html`` from the content (a PDF
    named .docx is a PDF); the suffix decides only for plain text."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith(_HTML):
        return "html"
    fmt = suffix.lstrip(".").lower() or "txt"
    return f"not-{fmt}" if fmt in _BINARY_SUFFIXES else fmt


def read_path(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> SourceDocument:
    """Read one input file into blocks; raises an `InputError` naming it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_input_bytes:
            raise UnreadableInput(
                path,
                f"too large: {size / MB:.1f} MB, the limit is {limits.max_input_mb:g} MB",
                "raise it with --max-size if the file is genuine",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(path, "no such file") from None
    except IsADirectoryError:
        raise UnreadableInput(path, "is a directory, not a file") from None
    except OSError as exc:
        raise UnreadableInput(path, f"cannot be read: {exc.strerror or exc}") from None
    return read_bytes(data, str(path), limits)


def read_bytes(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> SourceDocument:
    """Read the content of a file called ``name`` into blocks."""
    if not data.strip():
        raise UnreadableInput(name, "the file is empty")
    if len(data) > limits.max_input_bytes:
        raise UnreadableInput(
            name,
            f"too large: {len(data) / MB:.1f} MB, the limit is {limits.max_input_mb:g} MB",
            "raise it with --max-size if the file is genuine",
        )
    fmt = detect_format(data, Path(name).suffix)
    if fmt in ("txt", "text"):
        return _read_text(data, name)
    if fmt == "docx":
        from .docx import parse_docx

        blocks = parse_docx(data, name, limits)
        return SourceDocument(
            source=_source_info(data, name, "docx", None), blocks=blocks, characters=block_characters(blocks)
        )
    if fmt == "pdf":
        from .pdf import parse_pdf

        pdf = parse_pdf(data, name)
        return SourceDocument(
            source=_source_info(data, name, "pdf", None),
            blocks=pdf.blocks,
            notes=pdf.notes,
            characters=pdf.characters,
            furniture_characters=pdf.furniture_characters,
            dropped_characters=pdf.dropped_characters,
        )
    if fmt == "doc":
        raise UnsupportedFormat(name, "old binary Word (.doc) is not read", _CONVERT_HINT)
    if fmt == "html":
        raise UnsupportedFormat(name, "an HTML page, not a disclosure", "a download error page? fetch the file again")
    if fmt.startswith("not-"):
        kind = fmt.removeprefix("not-").upper()
        raise UnsupportedFormat(
            name, f"named .{kind.lower()} but its content is not {kind}", "the download may be broken or mislabelled"
        )
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
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not looks_like_utf16(data):
        raise UnsupportedFormat(name, "binary data, not text", "give a .docx, a .pdf, or a .txt flattened from Word")
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            name,
            f"not valid UTF-8, GB18030 or UTF-16 text (bad byte at offset {exc.start})",
            "re-save it as UTF-8",
        ) from None
    blocks = parse_flat_text(text)
    return SourceDocument(
        source=_source_info(data, name, "txt", encoding), blocks=blocks, characters=block_characters(blocks)
    )
