"""Old Word files through LibreOffice: a .doc made from the DOCX fixture by
``soffice`` gives the DOCX's document.  CI installs LibreOffice (.ci/run), so
these tests need ``soffice`` and do not skip without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import UnsupportedFormat, extract_file, read_bytes
from extractor.blocks import Table
from extractor.readers import convert
from fixtures.make_format_fixtures import SEED_DOCX, to_doc
from tests.readers.test_docx import _without_locations


@pytest.fixture(scope="module")
def seed_doc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return to_doc(SEED_DOCX, tmp_path_factory.mktemp("doc"))


def test_doc_made_by_libreoffice_gives_the_docx_document(seed_doc: Path) -> None:
    assert seed_doc.read_bytes().startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    from_doc = extract_file(seed_doc)
    assert from_doc.source.format == "doc"
    assert from_doc.performance is not None
    assert from_doc.performance.projects[0].project_code == "130624210SN9T0TGCCC6F"
    assert _without_locations(from_doc.model_dump()) == _without_locations(extract_file(SEED_DOCX).model_dump())


def test_doc_named_docx_is_converted_too(seed_doc: Path) -> None:
    document = read_bytes(seed_doc.read_bytes(), "mislabelled.docx")
    assert document.source.format == "doc"
    assert sum(isinstance(block, Table) for block in document.blocks) == 52


def test_without_libreoffice_a_doc_gets_one_clear_line(seed_doc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "soffice", lambda: None)
    with pytest.raises(UnsupportedFormat) as caught:
        read_bytes(seed_doc.read_bytes(), "old.doc")
    assert caught.value.one_line() == (
        "old.doc: old binary Word (.doc) is not read: LibreOffice is not installed "
        "(install LibreOffice (soffice) to read it, or save it from Word as .docx)"
    )


def test_temporary_folders_are_removed(seed_doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    read_bytes(seed_doc.read_bytes(), "old.doc")
    assert list(tmp_path.iterdir()) == []
