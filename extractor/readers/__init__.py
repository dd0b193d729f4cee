"""Readers: one per input format, each turning a file into a `SourceDocument`.

The format is decided from the file's content first (`sniff.detect_format`)
and its extension second, so a PDF named ``.docx`` is still read as a PDF.
A path naming a member of a ZIP archive (``bundle.zip!/a.pdf``,
`extractor.archive`) is read from the archive.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..archive import read_archive_member, split_member
from ..blocks import SourceDocument, SourceInfo
from ..errors import DecodeError, UnreadableInput, UnsupportedFormat
from ..limits import DEFAULT_LIMITS, MB, Limits
from ..textutil import path_text
from .captured import library_messages
from .decoding import decode_text, looks_like_utf16
from .pdf import DEFAULT_PDF_BACKEND, PdfBackend
from .sniff import ARCHIVE_KINDS, CONVERTED, detect_format
from .textfile import parse_flat_text

__all__ = ["INPUT_SUFFIXES", "detect_format", "read_bytes", "read_path", "read_regular_file"]

#: Extensions of the files a run picks up (other names are picked by content).
INPUT_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".text", ".docx", ".pdf", ".doc", ".wps", ".rtf", ".xlsx", ".xls", ".htm", ".html", ".zip"}
)


def read_path(
    path: str | Path, limits: Limits = DEFAULT_LIMITS, pdf_backend: PdfBackend = DEFAULT_PDF_BACKEND
) -> SourceDocument:
    """Read one input file into blocks (PDF pages with ``pdf_backend``); raises an `InputError` naming it.
    The document is named by `path_text` (``source.file``): the name as text any output can hold."""
    name = path_text(path)
    if (member := split_member(path)) is not None:
        return read_bytes(read_archive_member(*member, limits), name, limits, pdf_backend)
    return read_bytes(read_regular_file(Path(path), limits), name, limits, pdf_backend)


def read_regular_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a regular file within ``--max-size``.  Opened without
    blocking and checked on the open descriptor before anything is read: a
    FIFO, a device (``/dev/zero``) or a socket is refused instead of waiting
    or reading forever, and a file over the limit is refused by its size."""
    try:
        _check_regular(path, os.stat(path), limits)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            _check_regular(path, os.fstat(descriptor), limits)  # the file opened is the one measured
            data = handle.read(limits.max_input_bytes + 1)
    except FileNotFoundError:
        raise UnreadableInput(path, "no such file") from None
    except OSError as exc:
        raise UnreadableInput(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limits.max_input_bytes:  # grew since it was measured
        raise _too_large(path, len(data), limits)
    return data


def _check_regular(path: Path, status: os.stat_result, limits: Limits) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise UnreadableInput(path, "is a directory, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise UnreadableInput(path, "not a regular file (a FIFO, device or socket)", "give the file itself")
    if status.st_size > limits.max_input_bytes:
        raise _too_large(path, status.st_size, limits)


def _too_large(path: str | Path, size: int, limits: Limits) -> UnreadableInput:
    """The refusal of a file of ``size`` bytes; one that rounds to the limit
    (standard input is read to one byte over it) is said to be over it."""
    measured = (
        f"{size / MB:.1f} MB" if round(size / MB, 1) > limits.max_input_mb else f"over {limits.max_input_mb:g} MB"
    )
    return UnreadableInput(
        path,
        f"too large: {measured}, the limit is {limits.max_input_mb:g} MB",
        "raise it with --max-size if the file is genuine",
    )


def read_bytes(
    data: bytes, name: str, limits: Limits = DEFAULT_LIMITS, pdf_backend: PdfBackend = DEFAULT_PDF_BACKEND
) -> SourceDocument:
    """Read the content of a file called ``name`` into blocks; the libraries'
    own warnings while reading become notes (`captured`), never stderr."""
    with library_messages() as messages:
        document = _read_bytes(data, name, limits, pdf_backend)
    document.notes.extend(messages)
    return document


def _read_bytes(data: bytes, name: str, limits: Limits, pdf_backend: PdfBackend) -> SourceDocument:
    if not data.strip():
        raise UnreadableInput(name, "the file is empty")
    if len(data) > limits.max_input_bytes:
        raise _too_large(name, len(data), limits)
    fmt = detect_format(data, Path(name).suffix)
    if fmt in ("txt", "text"):
        return _read_text(data, name)
    if fmt == "docx":
        from .docx import parse_docx

        blocks, notes = parse_docx(data, name, limits)
        return SourceDocument(_source_info(data, name, "docx", None), blocks, notes)
    if fmt == "pdf":
        from .pdf import parse_pdf

        pdf = parse_pdf(data, name, backend=pdf_backend)
        return SourceDocument(
            source=_source_info(data, name, "pdf", None),
            blocks=pdf.blocks,
            notes=pdf.notes,
            characters=pdf.characters,
            furniture_characters=pdf.furniture_characters,
            dropped_characters=pdf.dropped_characters,
        )
    if fmt in ("xlsx", "xls"):
        from .sheets import parse_sheets

        blocks, notes = parse_sheets(data, name, fmt, limits)
        return SourceDocument(_source_info(data, name, fmt, None), blocks, notes)
    if fmt == "html":
        from .html import parse_html

        blocks, encoding, notes = parse_html(data, name, limits)
        return SourceDocument(_source_info(data, name, "html", encoding), blocks, notes)
    if fmt in CONVERTED:
        from .convert import convert_to_docx
        from .docx import parse_docx

        blocks, notes = parse_docx(convert_to_docx(data, name, fmt, limits), name, limits)
        return SourceDocument(_source_info(data, name, fmt, None), blocks, notes)
    if fmt == "zip":
        from ..archive import MAX_NESTING, MEMBER_SEPARATOR, list_members

        if name.count(MEMBER_SEPARATOR) >= MAX_NESTING:
            raise UnsupportedFormat(
                name, f"a ZIP archive nested more than {MAX_NESTING} archives deep", "unpack the archive first"
            )
        count = len(list_members(data, name, limits))
        if count == 0:
            raise UnsupportedFormat(name, "an empty ZIP archive", "it holds no file to read")
        raise UnsupportedFormat(
            name, f"a ZIP archive of {count} files", "give it to 'extract', which reads each member as a document"
        )
    if fmt in ARCHIVE_KINDS:
        raise UnsupportedFormat(name, f"a {fmt.upper()} archive", "unpack it first; only ZIP archives are read")
    if fmt.startswith("not-"):
        kind = fmt.removeprefix("not-").upper()
        raise UnsupportedFormat(
            name, f"named .{kind.lower()} but its content is not {kind}", "the download may be broken or mislabelled"
        )
    raise _not_a_document(name, fmt)


_KINDS = {"image": "image", "video": "video", "audio": "audio file", "font": "font"}


def _not_a_document(name: str, fmt: str) -> UnsupportedFormat:
    """The refusal of a file of a kind no disclosure comes in: what it is,
    and what its name claims it is (a PNG saved as ``x.pdf``)."""
    import filetype

    known = filetype.get_type(ext=fmt)
    kind = _KINDS.get(known.mime.split("/")[0], "file") if known is not None else "file"
    what = f"a {fmt.upper()} {kind}"
    claimed = Path(name).suffix.lower().lstrip(".")
    hint = "give a PDF, a Word file (.docx, .doc, .wps, .rtf), a workbook, an HTML page or a text file"
    if claimed and claimed != fmt:
        return UnsupportedFormat(name, f"{what}, not a {claimed.upper()}", "the download may be broken or mislabelled")
    return UnsupportedFormat(name, f"{what}, not a disclosure's format", hint)


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
    return SourceDocument(source=_source_info(data, name, "txt", encoding), blocks=blocks)
