"""Decoding text files published by Chinese government sites.

They come as UTF-8, UTF-8 with a byte-order mark, GB18030/GBK/GB2312, and
now and then UTF-16 with a byte-order mark.  We try the strict decoders in
that order: UTF-8 first (a GB18030 file almost never decodes as UTF-8), then
GB18030, which covers GBK and GB2312.  Statistical detectors are not used:
they mistake GB18030 for GB2312 and lose characters.
"""

from __future__ import annotations

import codecs

__all__ = ["DEFAULT_ENCODINGS", "decode_text"]

DEFAULT_ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, encodings: tuple[str, ...] = DEFAULT_ENCODINGS) -> tuple[str, str]:
    """Decode ``data``; return the text and the name of the encoding used.

    Raises ``UnicodeDecodeError`` (from the last encoding tried) when none fits.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    error: UnicodeDecodeError | None = None
    for name in encodings:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            error = exc
    assert error is not None
    raise error
