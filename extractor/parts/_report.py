"""A reporter bound to one part (and project): issues and number reading."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..blocks import Cell, Location
from ..findings import NUMBER_REPAIRED, NUMBER_UNREADABLE, IssueLog, IssueType
from ..numbers import ParsedNumber, parse_number, parse_percent

__all__ = ["Report"]


@dataclass(frozen=True, slots=True)
class Report:
    log: IssueLog
    part: int
    project_seq: int | None = None

    def add(self, kind: IssueType, location: Location | None = None, **params: object) -> None:
        self.log.add(kind, part=self.part, project_seq=self.project_seq, location=location, **params)

    def for_project(self, seq: int | None) -> Report:
        return replace(self, project_seq=seq)

    def for_part(self, part: int) -> Report:
        return replace(self, part=part)

    def number(self, text: str | None, field: str, location: Location | None = None) -> Decimal | None:
        """Read an amount; a repaired or unreadable number is reported."""
        return self._checked(parse_number(text), field, location)

    def cell_number(self, cell: Cell | None, field: str) -> Decimal | None:
        """Read the amount in a table cell (None for a missing cell)."""
        return self.number(cell.text, field, cell.location) if cell is not None else None

    def percent(self, text: str | None, field: str, location: Location | None = None) -> Decimal | None:
        """Read a percentage out of 100; repairs are reported."""
        return self._checked(parse_percent(text), field, location)

    def _checked(self, parsed: ParsedNumber, field: str, location: Location | None) -> Decimal | None:
        if parsed.repaired:
            self.add(NUMBER_REPAIRED, location, field=field, original=parsed.original, value=parsed.value)
        elif parsed.unreadable:
            self.add(NUMBER_UNREADABLE, location, field=field, original=parsed.original)
        return parsed.value
