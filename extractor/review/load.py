"""The documents a review report shows, and their source files.

Two ways in: a finished run's folder (its JSON files, in the order of its
manifest, and the failures the manifest recorded), or input files, extracted
here in the same process.  The report needs each document's source file to
show its pages; the manifest records where the run read it (an absolute
path), the JSON names it (``source.path``, as the run recorded it: relative
to the folder the run was started in, or as given), so it is looked for
there, then under a few roots; a member of a ZIP (``bundle.zip!/a.pdf``) is
read from its archive.  A file is taken only when its size and sha256 are
the document's: a page of another file would look right and be wrong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..archive import read_input_bytes, split_member
from ..batch import find_input_paths, holds_outputs, read_manifest
from ..errors import InputError
from ..limits import DEFAULT_LIMITS, Limits
from ..models import Disclosure
from ..tasks import extract_file_capped, stage_of
from ..textutil import path_text
from ..writers.json import loads

__all__ = ["Failure", "Loaded", "ReviewInput", "extract_inputs", "find_source", "load_paths", "load_run"]

#: Files in a run folder that are not documents.
_NOT_DOCUMENTS = frozenset({"datapackage.json"})


@dataclass(slots=True)
class ReviewInput:
    """A document and its source file (None when it was not found: ``looked``
    says where it was looked for)."""

    disclosure: Disclosure
    source: Path | None
    looked: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that gave no document, as the run recorded it."""

    path: str
    stage: str
    reason: str


@dataclass(slots=True)
class Loaded:
    documents: list[ReviewInput] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def extend(self, other: Loaded) -> None:
        self.documents.extend(other.documents)
        self.failures.extend(other.failures)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_source(path: Path, disclosure: Disclosure) -> bool:
    """Whether ``path`` (a file, or a member of a ZIP: ``bundle.zip!/a.pdf``)
    holds the document's bytes."""
    try:
        if split_member(path) is not None:
            data = read_input_bytes(path)
            return len(data) == disclosure.source.bytes and hashlib.sha256(data).hexdigest() == disclosure.source.sha256
        if not path.is_file() or path.stat().st_size != disclosure.source.bytes:
            return False
        return _sha256(path) == disclosure.source.sha256
    except (OSError, InputError):
        return False


def find_source(disclosure: Disclosure, names: Iterable[str], roots: Sequence[Path]) -> ReviewInput:
    """The document with its source file: the first of ``names`` (paths as a
    run recorded them) under one of ``roots`` whose content is the
    document's."""
    looked: list[str] = []
    for name in dict.fromkeys(names):
        for root in roots:
            candidate = root / name
            if path_text(candidate) in looked:
                continue
            looked.append(path_text(candidate))
            if _is_source(candidate, disclosure):
                return ReviewInput(disclosure, candidate)
    return ReviewInput(disclosure, None, looked)


def _names(disclosure: Disclosure, recorded: Iterable[str]) -> list[str]:
    """The paths a source may be found under: each path the run recorded (as
    the user named it: the folder given, then the path below it), then each
    of its tails, shortest last (``in/county-a/x.txt``, ``county-a/x.txt``,
    ``x.txt``: the folder may be given again, or moved), then the file name."""
    named = [*([disclosure.source.path] if disclosure.source.path else []), *recorded]
    return [*(tail for path in named for tail in _tails(path)), disclosure.source.file]


def _tails(path: str) -> list[str]:
    parts = PurePosixPath(path).parts
    return [str(PurePosixPath(*parts[i:])) for i in range(len(parts))]


def _document_files(out: Path, order: Sequence[str]) -> list[Path]:
    """The run's JSON documents: in the manifest's order, then any others."""
    files = {p.stem: p for p in sorted(out.glob("*.json")) if p.name not in _NOT_DOCUMENTS}
    ordered = [files.pop(doc_id) for doc_id in order if doc_id in files]
    return ordered + list(files.values())


def load_run(out: Path, roots: Sequence[Path] = ()) -> Loaded:
    """The documents of a finished run in ``out``, their sources looked for
    where the run read them (the absolute paths its manifest recorded), then
    under ``roots``, the current folder and the run folder's parent."""
    manifest = read_manifest(out)
    search = [*roots, Path("."), out.parent]
    loaded = Loaded()
    for file in _document_files(out, list(manifest.paths)):
        try:
            disclosure = loads(file.read_bytes())
        except (OSError, ValueError):
            continue  # not a document of this contract (or cut short): nothing to show
        ident = disclosure.doc_id or file.stem
        names = [*manifest.sources.get(ident, []), *_names(disclosure, manifest.paths.get(ident, {}))]
        loaded.documents.append(find_source(disclosure, names, search))
    loaded.failures = [
        Failure(entry.get("file") or entry["path"], entry.get("stage", ""), entry.get("reason", ""))
        for entry in manifest.failed.values()
    ]
    return loaded


def extract_inputs(paths: Sequence[Path], limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Extract input files (and the files found in folders) in this process,
    within ``limits`` (the memory cap as a run applies it)."""
    loaded = Loaded()
    for item in find_input_paths(paths, limits):
        try:
            disclosure = extract_file_capped(item.file, limits)
        except InputError as exc:
            loaded.failures.append(Failure(item.path, stage_of(exc), str(exc)))
            continue
        disclosure.source.path = item.path
        loaded.documents.append(ReviewInput(disclosure, item.file))
    return loaded


def load_paths(paths: Sequence[Path], roots: Sequence[Path] = (), limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Run folders (they hold a run's outputs) are loaded, every other path
    is extracted within ``limits``; sources of the runs are looked for under ``roots``."""
    loaded = Loaded()
    runs = [path for path in paths if holds_outputs(path)]
    for run in runs:
        loaded.extend(load_run(run, roots))
    inputs = [path for path in paths if path not in runs]
    if inputs:
        loaded.extend(extract_inputs(inputs, limits))
    return loaded
