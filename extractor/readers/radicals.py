"""CJK radicals printed for the ideographs they look like.

Some producers (Chromium's print, some Word exports, fonts that draw a
radical and its ideograph with one glyph) map those glyphs to the Kangxi
Radicals or CJK Radicals Supplement code points, so ``工作`` is read as
``⼯作`` and no label matches.  Kangxi radicals become their ideographs by
NFKC; the supplement's by the table below, Unicode's
EquivalentUnifiedIdeograph.txt for U+2E81–U+2EF3 (U+2E80 and U+2E9A have
no equivalent and stay).  PDFium reads such glyphs as the ideographs
already; this gives pdfminer's text the same.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["RADICAL", "unify_radicals"]

# each radical followed by its ideograph, the pairs apart by a space
_SUPPLEMENT = (
    "⺁厂 ⺂乛 ⺃乚 ⺄乙 ⺅亻 ⺆冂 ⺇𠘨 ⺈刀 ⺉刂 ⺊卜 ⺋㔾 ⺌小 ⺍小 ⺎兀 ⺏尣 ⺐尢 "
    "⺑𡯂 ⺒巳 ⺓幺 ⺔彑 ⺕彐 ⺖忄 ⺗心 ⺘扌 ⺙攵 ⺛旡 ⺜日 ⺝月 ⺞歺 ⺟母 ⺠民 ⺡氵 "
    "⺢氺 ⺣灬 ⺤爫 ⺥爫 ⺦丬 ⺧牛 ⺨犭 ⺩王 ⺪𤴔 ⺫目 ⺬示 ⺭礻 ⺮𥫗 ⺯糹 ⺰纟 ⺱罓 "
    "⺲罒 ⺳㓁 ⺴冗 ⺵𦉫 ⺶羊 ⺷𦍌 ⺸𦍋 ⺹耂 ⺺肀 ⺻聿 ⺼肉 ⺽𦥑 ⺾艹 ⺿艹 ⻀艹 ⻁虎 "
    "⻂衤 ⻃覀 ⻄西 ⻅见 ⻆角 ⻇𧢲 ⻈讠 ⻉贝 ⻊𧾷 ⻋车 ⻌辶 ⻍辶 ⻎辶 ⻏邑 ⻐钅 ⻑長 "
    "⻒镸 ⻓长 ⻔门 ⻕𨸏 ⻖阝 ⻗雨 ⻘青 ⻙韦 ⻚页 ⻛风 ⻜飞 ⻝食 ⻞𩙿 ⻟飠 ⻠饣 ⻡𩠐 "
    "⻢马 ⻣骨 ⻤鬼 ⻥鱼 ⻦鸟 ⻧卤 ⻨麦 ⻩黄 ⻪黾 ⻫斉 ⻬齐 ⻭歯 ⻮齿 ⻯竜 ⻰龙 ⻱龜 "
    "⻲亀 ⻳龟"
)
# Kangxi radicals whose NFKC ideograph is not the form simplified-Chinese
# fonts draw for them: ⼾ (DOOR) is 戶 by NFKC, 户 on the page
_MAINLAND = "⼾户"
_EQUIVALENT = {pair[0]: pair[1:] for pair in (*_SUPPLEMENT.split(), _MAINLAND)}
#: A character of the two radical blocks: search a page's text with it first.
RADICAL = re.compile("[\u2e80-\u2fdf]")


def unify_radicals(text: str) -> str:
    """``text`` with each CJK radical that stands for an ideograph replaced by it."""
    return RADICAL.sub(_ideograph, text)


def _ideograph(match: re.Match[str]) -> str:
    char = match.group()
    return _EQUIVALENT.get(char) or unicodedata.normalize("NFKC", char)
