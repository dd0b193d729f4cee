"""Subject codes (政府收支分类科目) as the tables print them, rebuilt whole.

功能分类 codes are 类 (3 digits) / 款 (5) / 项 (7); 经济分类 codes are 类 (3) /
款 (5), and provinces add sub-items (3010201).  Tables print them in one
column (``2010501``), in three columns holding only their own digits (a
``01`` in the 项 column under 20105 is 2010501: the running parent
decides), in three columns repeating the parents (``201 | 05 | 01``), or
glued to the name (``2050299-其他普通教育支出``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

__all__ = ["CodeParts", "level_of", "parent_of", "split_code_name"]

_DIGITS = regex.compile(r"^[0-9]+$")
#: A code before a name: ``2050299-其他普通教育支出``, ``301 工资福利支出``, ``30101基本工资``.
_CODE_NAME = regex.compile(
    r"^[\[【［(（]?(?P<code>[0-9]{3}(?:[0-9]{2}){0,3})[\]】］)）]?(?:\s*[-－—_:：]\s*|\s+|(?=\p{Han}))(?P<name>\S.*)$",
    regex.S,
)
_WIDTH = {"类": 3, "款": 2, "项": 2}


def split_code_name(text: str) -> tuple[str | None, str]:
    """The code and the name of a cell that may print both."""
    match = _CODE_NAME.match(text.strip())
    if match is None:
        return None, text
    return match.group("code"), match.group("name").strip()


def level_of(code: str, economic: bool) -> str:
    """类 / 款 / 项 / item from a full code's length."""
    levels = ("类", "款") if economic else ("类", "款", "项")
    index = (len(code) - 3) // 2
    return levels[index] if 0 <= index < len(levels) else "item"


def parent_of(code: str) -> str | None:
    """The code this one sums into: two digits less, none for a 类."""
    return code[:-2] if len(code) > 3 else None


@dataclass(slots=True)
class CodeParts:
    """The running 类 and 款 of a block of split code columns."""

    parents: dict[str, str] = field(default_factory=dict)

    def rebuild(self, cells: list[tuple[str, str]]) -> str | None:
        """The full code of a row from its code cells, (part, digits) left to
        right; a part printed alone takes its parents from the rows above.
        None when a part cannot be placed (no parent above it)."""
        code: str | None = None
        for part, text in cells:
            digits = "".join(text.split())
            if not digits:
                continue
            if not _DIGITS.match(digits):
                return None
            code = self._place(part, digits)
            if code is None:
                return None
        return code

    def _place(self, part: str, digits: str) -> str | None:
        if part == "类" or len(digits) > _WIDTH[part]:
            code = digits
        else:
            parent = self.parents.get("类" if part == "款" else "款")
            if parent is None:
                return None
            code = parent + digits
        if len(code) == 3:
            self.parents = {"类": code}
        elif len(code) == 5:
            self.parents = {"类": code[:3], "款": code}
        return code
