"""Years of an agreement's period, from the text of the period as written."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d+")


def period_years(text: str) -> tuple[int, int]:
    """'2022 - 2025', '2022-25', 'from 2022 to 2025', '2024' -> (start, end).

    A two-digit end takes the start's century, or the next one when it would fall before
    the start ("1998-02" -> 2002).
    """
    numbers = _NUMBER.findall(text)
    start = int(numbers[0])
    last = numbers[-1]
    if len(last) == 2:
        end = start - start % 100 + int(last)
        if end < start:
            end += 100
    else:
        end = int(last)
    return start, end


def plausible_period(start: int, end: int, longest: int = 100) -> bool:
    """An end before the start, or a span longer than a century, is not a period."""
    return start <= end <= start + longest


def duration_end(start: int, years: int) -> int:
    """'a five-year agreement from 2024' covers 2024, 2025, 2026, 2027 and 2028: the end is
    start + years - 1 (the start year counts as the first year)."""
    return start + years - 1


def duration_years(written: str, numbers: dict[str, int]) -> int | None:
    """'five', '5', 'Five' -> 5; None when it is not a number of years."""
    written = written.lower()
    if written.isdigit():
        return int(written)
    return numbers.get(written)
