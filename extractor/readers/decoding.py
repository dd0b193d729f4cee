"""Decoding text files published by Chinese government sites.

They come as UTF-8, UTF-8 with a byte-order mark, GB18030/GBK/GB2312, and
now and then UTF-16 (with a byte-order mark, or without one, recognised by
its NUL bytes).  We try the strict decoders in
that order: UTF-8 first (a GB18030 file almost never decodes as UTF-8), then
GB18030, which covers GBK and GB2312.  Statistical detectors are not used:
they mistake GB18030 for GB2312 and lose characters.
"""

from __future__ import annotations

import codecs

__all__ = ["DEFAULT_ENCODINGS", "decode_text", "looks_like_utf16"]

DEFAULT_ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_like_utf16(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for UTF-16 without a byte-order mark:
    NUL bytes in the same place of most two-byte units (ASCII, line breaks)."""
    sample = data[:4096]
    units = len(sample) // 2
    if units < 8:
        return None
    even = sum(1 for i in range(0, units * 2, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, units * 2, 2) if sample[i] == 0)
    # Chinese text has ASCII only here and there (digits, TAB, line breaks),
    # and a CJK code point ending in 00 puts a NUL on the other side now and then
    if odd > units * 0.1 and even * 4 < odd:
        return "utf-16-le"
    if even > units * 0.1 and odd * 4 < even:
        return "utf-16-be"
    return None


def decode_text(data: bytes, encodings: tuple[str, ...] = DEFAULT_ENCODINGS) -> tuple[str, str]:
    """Decode ``data``; return the text and the name of the encoding used.

    Raises ``UnicodeDecodeError`` (from the last encoding tried) when none fits.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    utf16 = looks_like_utf16(data) if b"\x00" in data[:4096] else None
    if utf16 is not None:
        return data.decode(utf16), utf16
    error: UnicodeDecodeError | None = None
    for name in encodings:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            error = exc
    assert error is not None
    raise error
