"""What a file of a kind no disclosure comes in is refused as: what it is,
and what its name claims it is."""

from __future__ import annotations

import pytest

from extractor import UnsupportedFormat, read_bytes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_png_saved_as_pdf_is_named_for_what_it_is() -> None:
    # issue 29: refused as "unknown file type '.png' (give a .docx, or a .txt …)"
    with pytest.raises(UnsupportedFormat) as refused:
        read_bytes(PNG, "附件1.pdf")
    assert refused.value.one_line() == "附件1.pdf: a PNG image, not a PDF (the download may be broken or mislabelled)"


def test_png_under_its_own_name_is_not_a_disclosures_format() -> None:
    with pytest.raises(UnsupportedFormat) as refused:
        read_bytes(PNG, "scan.png")
    assert refused.value.one_line().startswith("scan.png: a PNG image, not a disclosure's format (give a PDF, a Word")
