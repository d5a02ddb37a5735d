"""Month names and full-date parsing shared by the cleaner (headers) and the date rules."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
MONTH_RE = r"(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

_NUMERIC = re.compile(r"\b(\d{1,4})([/.\-])(\d{1,2})\2(\d{2,4})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE}),?\s+(\d{{4}})\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)


def month_number(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_numeric_date(a: str, b: str, c: str, day_first: bool) -> dt.date | None:
    """Three numeric fields as written (2024-03-12, 12/03/2024 or 03/12/2024)."""
    if len(a) == 4:
        return safe_date(int(a), int(b), int(c))
    year = int(c) if len(c) == 4 else 2000 + int(c)
    first, second = int(a), int(b)
    # Never flip silently: the configured order is used whenever it gives a valid date,
    # and the other order only when the configured one cannot be a date (13/03 month-first).
    day, month = (first, second) if day_first else (second, first)
    return safe_date(year, month, day) or safe_date(year, day, month)


def find_full_date(text: str, day_first: bool = True) -> dt.date | None:
    """The first complete date (day, month and year) written anywhere in text."""
    candidates = []
    for m in _NUMERIC.finditer(text):
        d = parse_numeric_date(m.group(1), m.group(3), m.group(4), day_first)
        if d:
            candidates.append((m.start(), d))
    for m in _DAY_MONTH_YEAR.finditer(text):
        d = safe_date(int(m.group(3)), month_number(m.group(2)), int(m.group(1)))
        if d:
            candidates.append((m.start(), d))
    for m in _MONTH_DAY_YEAR.finditer(text):
        d = safe_date(int(m.group(3)), month_number(m.group(1)), int(m.group(2)))
        if d:
            candidates.append((m.start(), d))
    return min(candidates)[1] if candidates else None
