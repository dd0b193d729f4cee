"""Part 9, 其他需说明的事项: the text as written."""

from __future__ import annotations

from ..blocks import Block
from ..segment import block_text

__all__ = ["parse_other_matters"]


def parse_other_matters(blocks: list[Block]) -> str | None:
    return "\n".join(block_text(block) for block in blocks if block_text(block)) or None
