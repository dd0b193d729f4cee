"""ZIP bundles of attachments: each member a document of its own.

A member is named by the archive's path, ``!/`` and its path inside the
archive: ``county/bundle.zip!/预算/a.pdf``.  Batch discovery expands an
archive into such names (`expand_archives`); `read_input_bytes` reads a
file or a member, so every later step (hashing, reading, a retry with
--debug) takes a member like any file.  A ZIP inside a ZIP (crawlers bring
bundles of bundles home) is unpacked the same way, its members named
``outer.zip!/inner.zip!/a.pdf``, down to ``MAX_NESTING`` archives deep;
an archive deeper than that is refused with its depth.

Every member is read or refused by its name.  A name is read as a path
(``./a.txt`` is ``a.txt``); a name the archive holds twice is read twice,
the later member named with its position in the archive (``a~2.txt``); an
absolute name or one with a ``..`` step is refused (path traversal).  An
archive is opened once for the members read from it in a row (`_opened`):
opened again for each, 4,000 members cost 4,000² directory entries.

The limits are the ones a DOCX (itself a ZIP) gets, checked on the sizes the
archive declares before anything is inflated: it holds at most
``DEFAULT_MAX_MEMBERS`` members, which unpack to at most
``--max-unzipped``, no large member is compressed past
the ratio limit, and no member is larger than an input may be.  Member
names written by Chinese Windows tools are GBK without the UTF-8 flag;
they are decoded as such, not as the CP437 the ZIP standard assumes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import regex

from .errors import InputError, TimedOut, UnreadableInput, UnsupportedFormat
from .limits import DEFAULT_LIMITS, MB, Limits, zip_excess
from .processes import time_limit

__all__ = [
    "MAX_NESTING",
    "MEMBER_SEPARATOR",
    "check_archive",
    "expand_archives",
    "list_members",
    "member_path",
    "read_archive_member",
    "read_input_bytes",
    "split_member",
]

MEMBER_SEPARATOR = "!/"
MAX_NESTING = 3  # archives in a member's name: a ZIP in a ZIP in a ZIP
_UTF8_NAMES = 0x800  # general purpose flag bit 11: names are UTF-8
_SKIPPED = ("__MACOSX/", "Thumbs.db")
_DRIVE = regex.compile(r"^[A-Za-z]:")  # C:/Windows/…


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
    """Refuse a ZIP bomb by what the archive declares, before anything is
    inflated: its number of members, the total unpacked size and each large
    member's ratio."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise UnreadableInput(
            name,
            f"{kind} holds {len(members):,} members, the limit is {limits.max_members:,}",
            "unpack it, and give the folder",
        )
    excess = zip_excess(members, limits)
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


class _Member(NamedTuple):
    """A member file and, for one that is not read, why."""

    info: zipfile.ZipInfo
    refusal: str | None = None


def _refusal(name: str) -> str | None:
    """Why a member is not read: a name that is absolute or climbs out of
    its folder (``../a.txt``, ``x/../../a.txt``) is how a path-traversal
    archive writes outside the folder it is unpacked in."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return f"refused: its name {name} is absolute (a path-traversal archive?)"
    if ".." in name.replace("\\", "/").split("/"):
        return f"refused: its name {name} climbs out of a folder with '..' (a path-traversal archive?)"
    return None


def _numbered(name: str, position: int) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}~{position}{path.suffix}"))


def _documents(archive: zipfile.ZipFile) -> dict[str, _Member]:
    """The members that are files, by the name they are read under: the
    name in the archive without ``.`` and empty steps (``./a.txt`` is
    ``a.txt``, as a path), and for a name held twice, the later member's
    name with its position in the archive (``a~3.txt``).  A name leading
    out of the archive is kept, with the reason it is refused."""
    found: dict[str, _Member] = {}
    for position, info in enumerate(archive.infolist(), start=1):
        raw = _name(info)
        leaf = PurePosixPath(raw).name
        if info.is_dir() or raw.startswith(_SKIPPED) or not leaf or leaf.startswith(".") or leaf in _SKIPPED:
            continue
        name = "/".join(step for step in raw.split("/") if step not in ("", "."))
        while name in found:
            name = _numbered(name, position)
        found[name] = _Member(info, _refusal(raw))
    return found


def list_members(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The members of a ZIP archive that are files (not folders, nor the
    hidden files archivers add), in archive order, after the size checks,
    by the names `read_archive_member` reads them under; a member that is
    itself a ZIP gives its own members in its place (an empty or
    unreadable one stays whole, so that reading it says why)."""
    return _list(data, name, limits, 1)


def _list(data: bytes, name: str, limits: Limits, depth: int) -> list[str]:
    found: list[str] = []
    with _open(data, name) as archive:
        check_archive(archive, name, limits)
        for member, (info, refusal) in _documents(archive).items():
            shown = member_path(name, member)
            inner = _nested(archive, info, shown, limits) if depth < MAX_NESTING and refusal is None else None
            try:
                nested = [] if inner is None else _list(inner, shown, limits, depth + 1)
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


class _Opened(NamedTuple):
    """An archive opened and checked, its name and its members by name."""

    name: str
    archive: zipfile.ZipFile
    members: dict[str, _Member]


@lru_cache(maxsize=MAX_NESTING)
def _opened(file: str, size: int, mtime_ns: int, chain: tuple[str, ...], limits: Limits) -> _Opened:
    """The archive file of that size and time, or the archive its members
    ``chain`` name inside it, opened once for all the members read from it
    in a row (one after the other by the batch, by a worker): reopening it
    for each member made an archive of n members cost n² (194 s for 4,000)."""
    from .readers import read_regular_file

    if chain:
        outer = _opened(file, size, mtime_ns, chain[:-1], limits)
        shown = member_path(file, MEMBER_SEPARATOR.join(chain))
        data = _unpack(outer.archive, outer.members[chain[-1]].info, shown, limits)
    else:
        shown, data = file, read_regular_file(Path(file), limits)
    archive = _open(data, shown)
    check_archive(archive, shown, limits)
    return _Opened(shown, archive, _documents(archive))


def read_archive_member(file: Path, member: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The content of one member of the archive ``file``, within the limits;
    ``member`` may name a member of a nested archive (``inner.zip!/a.pdf``).
    Raises an `InputError` naming the member."""
    if member.count(MEMBER_SEPARATOR) >= MAX_NESTING:
        raise UnsupportedFormat(
            member_path(str(file), member), f"nested more than {MAX_NESTING} archives deep", "unpack the archive first"
        )
    try:
        status = file.stat()
    except OSError:
        status = None  # reading it says why
    signature = (str(file), status.st_size, status.st_mtime_ns) if status else (str(file), -1, -1)
    chain: tuple[str, ...] = ()
    wanted = member
    while True:
        opened = _opened(*signature, chain, limits)
        outer, rest = _split(wanted, opened.members)
        if outer is None:
            raise UnreadableInput(member_path(opened.name, wanted), "no such member in the archive")
        found = opened.members[outer]
        if found.refusal is not None:
            raise UnsupportedFormat(member_path(opened.name, outer), found.refusal)
        if rest is None:
            return _unpack(opened.archive, found.info, member_path(opened.name, outer), limits)
        chain, wanted = (*chain, outer), rest


def _split(member: str, members: dict[str, _Member]) -> tuple[str | None, str | None]:
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
    return read_archive_member(*member, limits)


def expand_archives(
    candidates: Iterable[tuple[Path, str]], limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[Path, str]]:
    """Each (file, shown) pair as it is, except ZIP archives (by content):
    one pair per member instead, within the run's ``limits`` (listing one
    archive may take ``--timeout``).  An archive that cannot be listed
    stays whole, so that reading it reports what is wrong."""
    from .readers.sniff import sniff_path

    for file, shown in candidates:
        if sniff_path(file) != "zip":
            yield file, shown
            continue
        try:
            with time_limit(limits.timeout_seconds, str(file)):
                members = list_members(file.read_bytes(), str(file), limits)
        except (OSError, UnreadableInput, TimedOut):
            yield file, shown
            continue
        if not members:
            yield file, shown
        for member in members:
            yield Path(member_path(str(file), member)), member_path(shown, member)
