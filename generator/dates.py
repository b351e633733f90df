"""Dates that keep their precision: a year, a year and month, or a day."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def key(self) -> tuple[int, int, int]:
        """Sort key: a coarser date sorts before the finer dates inside it."""
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.key < other.key

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not (m := _ISO.match(value.strip())):
            shown = repr(value)[:40]
            raise ValueError(
                f'{shown} is not a date (hint: write YYYY, YYYY-MM or YYYY-MM-DD in quotes, e.g. "2019-08")'
            )
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{value}': month {month} is not between 01 and 12")
        if day is not None:
            assert month is not None
            try:
                date(year, month, day)
            except ValueError:
                raise ValueError(f"'{value}' is not a day of the calendar (hint: check the day)") from None
        if not 1900 <= year <= 2100:
            raise ValueError(f"'{value}': year {year} is out of range (hint: write a year from 1900 to 2100)")
        return cls(year, month, day)

    @property
    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
        if self.day:
            out += f"-{self.day:02d}"
        return out

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def label(self) -> str:
        """Human form: '2019', 'August 2019', '13 August 2019'."""
        if not self.month:
            return str(self.year)
        month = calendar.month_name[self.month]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"

    def __str__(self) -> str:
        return self.iso
