"""What a file is, from its content: the one place formats are told apart.

A crawl brings files whose names lie: a PDF saved as ``download.php``, an
Excel workbook named ``.docx``, an HTML error page named ``.pdf``.  The
magic bytes are matched by the ``filetype`` library; two containers need a
look inside, because their magic bytes are shared:

* a ZIP is a DOCX when it holds ``word/document.xml``, an XLSX when it holds
  ``xl/workbook.xml``, otherwise an archive of documents (``zip``);
* an OLE2 compound file (``D0 CF 11 E0``) is old Word (or WPS Writer) when it
  has a ``WordDocument`` stream, old Excel when it has a ``Workbook`` or
  ``Book`` stream.

The extension decides only for plain text, and for a ZIP too damaged to list
(so a cut DOCX is still reported as a damaged DOCX).
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import filetype

__all__ = ["ARCHIVE_KINDS", "CONVERTED", "DOCUMENT_FORMATS", "detect_format", "sniff_path"]

#: Formats LibreOffice converts to DOCX for us.
CONVERTED = frozenset({"doc", "wps", "rtf"})
#: Formats a batch picks up by content, whatever the file's name.
DOCUMENT_FORMATS = frozenset({"pdf", "docx", "xlsx", "xls", "html", "zip"}) | CONVERTED
#: Archive formats named in refusals (only ZIP is unpacked).
ARCHIVE_KINDS = frozenset({"rar", "7z", "gz", "bz2", "xz", "tar", "cab", "Z", "zst", "lz", "lz4"})

_BINARY_SUFFIXES = frozenset({"docx", "pdf", "doc", "xlsx", "xls", "zip", "wps", "rtf"})
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_WORD = "WordDocument".encode("utf-16-le")
_OLE_EXCEL = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))
_HEAD = 8192


def _zip_kind(data: bytes, suffix: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return suffix if suffix in ("docx", "xlsx") else "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def _ole_kind(data: bytes, suffix: str) -> str:
    """The stream names sit in the compound file's directory, anywhere in it."""
    if _OLE_WORD in data:
        return "wps" if suffix == "wps" else "doc"
    if any(name in data for name in _OLE_EXCEL):
        return "xls"
    guess = filetype.guess_extension(data[:_HEAD])
    if guess in ("doc", "xls"):
        return str(guess)
    return suffix if suffix in ("doc", "wps", "xls") else "doc"


def _is_html(data: bytes) -> bool:
    """Markup first (after a byte-order mark or blank lines), with an
    ``<html>`` or ``<body>`` element near the top."""
    head = data[:_HEAD].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (b"<html" in head or b"<body" in head)


def detect_format(data: bytes, suffix: str) -> str:
    """The format of ``data``: ``pdf``, ``docx``, ``xlsx``, ``zip``, ``doc``,
    ``wps``, ``xls``, ``rtf``, ``html``, another type ``filetype`` knows (an
    image, a RAR…), or for text the suffix (``txt``); ``not-<suffix>`` when
    a binary suffix names content that is none of these."""
    suffix = suffix.lstrip(".").lower()
    if data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, suffix)
    if data.startswith(_OLE):
        return _ole_kind(data, suffix)
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if _is_html(data):
        return "html"
    kind = filetype.guess(data[:_HEAD])
    if kind is not None:
        return str(kind.extension)
    fmt = suffix or "txt"
    return f"not-{fmt}" if fmt in _BINARY_SUFFIXES else fmt


def sniff_path(path: Path) -> str | None:
    """The format of a file whatever its name, or None when it cannot be
    read.  Reads the head only, and the whole file only for a ZIP (whose
    directory is at its end).  Not a regular file (a FIFO, a device): None
    without opening it, since opening a FIFO waits for a writer."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
            if head.startswith((b"PK\x03\x04", _OLE)):
                head += handle.read()
    except OSError:
        return None
    return detect_format(head, path.suffix)
