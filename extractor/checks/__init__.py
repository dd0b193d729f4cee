"""Validation: cross-checks over an extracted disclosure.

A check is a small function registered with `check`; it reads the
`Disclosure` and reports issues.  Checks add issues and never change or
drop data.  `run_checks` runs every registered check in registration order.
"""

from __future__ import annotations

from collections.abc import Callable

from ..findings import IssueLog
from ..models import Disclosure

__all__ = ["CHECKS", "Check", "check", "run_checks"]

Check = Callable[[Disclosure, IssueLog], None]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register a check under ``name``."""

    def register(function: Check) -> Check:
        CHECKS[name] = function
        return function

    return register


def run_checks(disclosure: Disclosure, log: IssueLog) -> None:
    for function in CHECKS.values():
        function(disclosure, log)


# Importing the check modules registers their checks, in this order.
from . import across as across  # noqa: E402
from . import arithmetic as arithmetic  # noqa: E402
from . import figures as figures  # noqa: E402
from . import numbering as numbering  # noqa: E402
from . import projects as projects  # noqa: E402
from . import prose as prose  # noqa: E402
from . import tables as tables  # noqa: E402
from . import unit_budgets as unit_budgets  # noqa: E402
