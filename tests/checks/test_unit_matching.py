from __future__ import annotations

import pytest

from extractor.checks.unit_budgets import match_unit

FULL = [
    "中国共产党阜平县委员会本级",
    "中国共产主义青年团阜平县委员会",
    "阜平县文学艺术界联合会",
    "中共阜平县委县直机关工作委员会",
    "中国共产党阜平县委员会统战部",
    "阜平县科学技术协会",
    "阜平县妇女联合会",
    "河北省阜平县残疾人联合会",
    "阜平县工商业联合会",
]


@pytest.mark.parametrize(
    "short, full",
    [
        ("团委", "中国共产主义青年团阜平县委员会"),
        ("文联", "阜平县文学艺术界联合会"),
        ("机关工委", "中共阜平县委县直机关工作委员会"),
        ("统战部", "中国共产党阜平县委员会统战部"),
        ("科协", "阜平县科学技术协会"),
        ("妇联", "阜平县妇女联合会"),
        ("残联", "河北省阜平县残疾人联合会"),
        ("工商联", "阜平县工商业联合会"),
        ("县委办", "中国共产党阜平县委员会本级"),
    ],
)
def test_short_names_match_full_names(short: str, full: str) -> None:
    assert match_unit(short, FULL) == full


def test_ambiguous_name_matches_nothing() -> None:
    assert match_unit("联合会", FULL) is None
