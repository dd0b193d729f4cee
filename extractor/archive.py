"""ZIP bundles of attachments: each member a document of its own.

A member is named by the archive's path, ``!/`` and its path inside the
archive: ``county/bundle.zip!/预算/a.pdf``.  Batch discovery expands an
archive into such names (`expand_archives`); `read_input_bytes` reads a
file or a member, so every later step (hashing, reading, a retry with
--debug) takes a member like any file.  A ZIP inside a ZIP (crawlers bring
bundles of bundles home) is unpacked the same way, its members named
``outer.zip!/inner.zip!/a.pdf``, down to ``MAX_NESTING`` archives deep;
an archive deeper than that is refused with its depth.

The limits are the ones a DOCX (itself a ZIP) gets, checked on the sizes the
archive declares before anything is inflated: everything the archive holds
unpacks to at most ``--max-unzipped``, no large member is compressed past
the ratio limit, and no member is larger than an input may be.  Member
names written by Chinese Windows tools are GBK without the UTF-8 flag;
they are decoded as such, not as the CP437 the ZIP standard assumes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from .errors import InputError, UnreadableInput, UnsupportedFormat
from .limits import DEFAULT_LIMITS, MB, Limits, zip_excess

__all__ = [
    "MAX_NESTING",
    "MEMBER_SEPARATOR",
    "check_archive",
    "expand_archives",
    "list_members",
    "member_path",
    "read_input_bytes",
    "read_member",
    "split_member",
]

MEMBER_SEPARATOR = "!/"
MAX_NESTING = 3  # archives in a member's name: a ZIP in a ZIP in a ZIP
_UTF8_NAMES = 0x800  # general purpose flag bit 11: names are UTF-8
_SKIPPED = ("__MACOSX/", "Thumbs.db")


def member_path(archive: str, member: str) -> str:
    """The name of an archive member: ``bundle.zip!/a/b.pdf``."""
    return f"{archive}{MEMBER_SEPARATOR}{member}"


def split_member(path: str | Path) -> tuple[Path, str] | None:
    """(archive, member) when ``path`` names a member of an existing archive
    file rather than a file of its own; None otherwise."""
    text = str(path)
    start = text.find(MEMBER_SEPARATOR)
    while start > 0:
        archive = Path(text[:start])
        if archive.is_file() and not Path(text).exists():
            return archive, text[start + len(MEMBER_SEPARATOR) :]
        start = text.find(MEMBER_SEPARATOR, start + 1)
    return None


def _name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _UTF8_NAMES:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _open(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableInput(name, f"not a readable ZIP archive ({exc})", "is the file complete?") from None


def check_archive(archive: zipfile.ZipFile, name: str, limits: Limits, kind: str = "ZIP archive") -> None:
    """Refuse a ZIP bomb by the sizes the archive declares, before anything
    is inflated: the total unpacked size and each large member's ratio."""
    excess = zip_excess(archive.infolist(), limits)
    if excess is None:
        return
    if excess.member is None:
        raise UnreadableInput(
            name,
            f"{kind} unpacks to {excess.total / MB:.0f} MB, the limit is {limits.max_unzipped_mb:g} MB",
            "a ZIP bomb? raise --max-unzipped if the file is genuine",
        )
    raise UnreadableInput(
        name,
        f"member {_name(excess.member)} of the {kind} is compressed {excess.ratio:.0f}:1",
        f"a ZIP bomb? the limit is {limits.max_zip_ratio:g}:1",
    )


def _documents(archive: zipfile.ZipFile) -> Iterator[tuple[str, zipfile.ZipInfo]]:
    for info in archive.infolist():
        name = _name(info)
        leaf = PurePosixPath(name).name
        if info.is_dir() or name.startswith(_SKIPPED) or not leaf or leaf.startswith(".") or leaf in _SKIPPED:
            continue
        yield name, info


def list_members(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The members of a ZIP archive that are files (not folders, nor the
    hidden files archivers add), in archive order, after the size checks;
    a member that is itself a ZIP gives its own members in its place (an
    empty or unreadable one stays whole, so that reading it says why)."""
    return _list(data, name, limits, 1)


def _list(data: bytes, name: str, limits: Limits, depth: int) -> list[str]:
    found: list[str] = []
    with _open(data, name) as archive:
        check_archive(archive, name, limits)
        for member, info in _documents(archive):
            inner = _nested(archive, info, member_path(name, member), limits) if depth < MAX_NESTING else None
            try:
                nested = [] if inner is None else _list(inner, member_path(name, member), limits, depth + 1)
            except InputError:
                nested = []
            found.extend([member_path(member, leaf) for leaf in nested] or [member])
    return found


def _nested(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, limits: Limits) -> bytes | None:
    """The content of a member that is a ZIP archive (not a DOCX or a
    workbook, which are ZIPs too), None for any other member."""
    from .readers.sniff import detect_format

    with archive.open(info) as stream:
        if stream.read(4) != b"PK\x03\x04":
            return None
    try:
        data = _unpack(archive, info, shown, limits)
    except InputError:
        return None
    return data if detect_format(data, PurePosixPath(info.filename).suffix) == "zip" else None


def read_member(data: bytes, name: str, member: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The content of one member, within the limits; ``member`` may name a
    member of a nested archive (``inner.zip!/a.pdf``)."""
    if member.count(MEMBER_SEPARATOR) >= MAX_NESTING:
        raise UnsupportedFormat(
            member_path(name, member), f"nested more than {MAX_NESTING} archives deep", "unpack the archive first"
        )
    with _open(data, name) as archive:
        check_archive(archive, name, limits)
        members = dict(_documents(archive))
        outer, rest = _split(member, members)
        if outer is None:
            raise UnreadableInput(member_path(name, member), "no such member in the archive")
        content = _unpack(archive, members[outer], member_path(name, outer), limits)
    return content if rest is None else read_member(content, member_path(name, outer), rest, limits)


def _split(member: str, members: dict[str, zipfile.ZipInfo]) -> tuple[str | None, str | None]:
    """(a member of this archive, the rest of the name inside it)."""
    if member in members:
        return member, None
    start = member.find(MEMBER_SEPARATOR)
    while start > 0:
        if member[:start] in members:
            return member[:start], member[start + len(MEMBER_SEPARATOR) :]
        start = member.find(MEMBER_SEPARATOR, start + 1)
    return None, None


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, limits: Limits) -> bytes:
    if info.file_size > limits.max_input_bytes:
        raise UnreadableInput(
            shown,
            f"too large: {info.file_size / MB:.1f} MB, the limit is {limits.max_input_mb:g} MB",
            "raise it with --max-size if the file is genuine",
        )
    if info.flag_bits & 0x1:
        raise UnsupportedFormat(shown, "the member is encrypted", "unpack the archive with its password first")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise UnreadableInput(shown, f"cannot be unpacked ({exc})", "is the archive complete?") from None


def read_input_bytes(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a file, or of an archive member named ``a.zip!/b.pdf``.
    Raises `OSError` for a file that cannot be read, `InputError` for a
    member that cannot be unpacked."""
    member = split_member(path)
    if member is None:
        return Path(path).read_bytes()
    archive, inner = member
    return read_member(archive.read_bytes(), str(archive), inner, limits)


def expand_archives(
    candidates: Iterable[tuple[Path, str]], limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[Path, str]]:
    """Each (file, shown) pair as it is, except ZIP archives (by content):
    one pair per member instead, within the run's ``limits``.  An archive
    that cannot be listed stays whole, so that reading it reports what is
    wrong."""
    from .readers.sniff import sniff_path

    for file, shown in candidates:
        if sniff_path(file) != "zip":
            yield file, shown
            continue
        try:
            members = list_members(file.read_bytes(), str(file), limits)
        except (OSError, UnreadableInput):
            yield file, shown
            continue
        if not members:
            yield file, shown
        for member in members:
            yield Path(member_path(str(file), member)), member_path(shown, member)
