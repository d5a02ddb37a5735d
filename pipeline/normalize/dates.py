"""Date mentions to ISO-8601 values: pure functions of the mention's text, the publication
date and the settings. No spaCy here: pipeline/components/dates.py finds the mentions and
passes what it knows of their context (the year the text last gave, the tense) in DateContext.

The grammar is a short list of anchored regular expressions over the mention's text, built
from the month names in calendar.py and the words in rules/dates_lexicon.yml. Hand-written
rather than taken from dateparser/dateutil because those parse whole strings into one point
in time: they have no ranges, quarters, halves, fiscal years or modifiers, and they fill
missing parts from the clock, which this project must never do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.normalize.calendar import MONTHS, month_number, parse_numeric_date, safe_date

LEXICON_PATH = Path(__file__).resolve().parent.parent / "rules" / "dates_lexicon.yml"
LEXICON: dict = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))

WEEKDAYS: dict[str, int] = LEXICON["weekdays"]
MODIFIERS: dict[str, str] = LEXICON["modifiers"]
RELATIVE_DAYS: dict[str, int] = LEXICON["relative_days"]
RELATIVE_SHIFTS: dict[str, int] = LEXICON["relative_shifts"]
ORDINALS: dict[str, int] = LEXICON["ordinals"]
MONTH_COUNTS: dict[str, int] = LEXICON["month_counts"]

# The values of the granularity column ("week" only for "last/this/next week").
GRANULARITIES = ("day", "week", "month", "quarter", "half", "fiscal_year", "year")
UNKNOWN_YEAR = "XXXX"


@dataclass(frozen=True)
class DateContext:
    """What the normaliser may know besides the mention's text."""

    published: dt.date | None = None
    # The last year the text gave explicitly before this mention (same paragraph); a bare
    # "March" takes it before the publication year.
    previous_year: int | None = None
    # The tense points ahead ("will meet on Monday"): a bare weekday lies on or after publication.
    forward: bool = False
    day_first: bool = True
    fiscal_year_start_month: int = 1


# A point is (year, month, day); None where the text does not give or imply that part.
Point = tuple[int | None, int | None, int | None]


@dataclass(frozen=True)
class Period:
    start: Point
    end: Point
    granularity: str
    modifier: str = ""

    def columns(self) -> dict:
        return {
            "date_start": format_point(self.start, self.granularity),
            "date_end": format_point(self.end, self.granularity),
            "granularity": self.granularity,
            "modifier": self.modifier,
        }


def format_point(point: Point, granularity: str) -> str:
    """ISO-8601 at the precision of the granularity; XXXX (and XX) for parts that cannot be known."""
    year, month, day = point
    y = f"{year:04d}" if year is not None else UNKNOWN_YEAR
    if granularity == "year":
        return y
    m = f"{month:02d}" if month is not None else "XX"
    if granularity in ("day", "week"):
        d = f"{day:02d}" if day is not None else "XX"
        return f"{y}-{m}-{d}"
    return f"{y}-{m}"


# --- regular-expression pieces --------------------------------------------------------------

def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTH_WORDS = _alternation(MONTHS)
_WEEKDAY_WORDS = _alternation(WEEKDAYS)
_ORDINAL_WORDS = _alternation(ORDINALS)
_SHIFT_WORDS = _alternation(RELATIVE_SHIFTS)


def _month(name: str = "m") -> str:
    return rf"(?P<{name}>{_MONTH_WORDS})\.?"


def _day(name: str = "d") -> str:
    return rf"(?P<{name}>\d{{1,2}})(?:st|nd|rd|th)?"


_YEAR = r"(?P<y>\d{4})"
_REL_YEAR = rf"(?P<ry>{_SHIFT_WORDS}) year"
_YEAR_OR_REL = rf"(?:{_YEAR}|{_REL_YEAR})"
_WEEKDAY_PREFIX = rf"(?:(?:{_WEEKDAY_WORDS})\.?,? )?"
_MOD = rf"(?:(?:the )?(?P<mod>{_alternation(MODIFIERS)})(?: of | ?- ?| ))?"
# The cleaner turns en dashes into "-"; the others are accepted for text that skipped it.
_DASH = "[-–—]"
_DAY_SEP = rf"(?: ?{_DASH} ?| to | until | till | through | and )"


def _full(pattern: str) -> re.Pattern:
    return re.compile(rf"^(?:the )?{pattern}$", re.IGNORECASE)


_DAY_MONTH = _full(rf"{_WEEKDAY_PREFIX}{_day()} (?:of )?{_month()}(?:,? {_YEAR_OR_REL})?")
_MONTH_DAY = _full(rf"{_WEEKDAY_PREFIX}{_month()} {_day()}(?:,? {_YEAR_OR_REL})?")
_MONTH_DAYS = _full(rf"(?:(?P<lead>from|between) )?{_month()} {_day()}{_DAY_SEP}{_day('d2')}(?:,? {_YEAR_OR_REL})?")
_NUMERIC = _full(r"(?P<a>\d{1,4})(?P<s>[/.\-])(?P<b>\d{1,2})(?P=s)(?P<c>\d{4}|\d{2})")
_MONTH_YEAR = _full(rf"{_MOD}{_month()}(?:,? (?:of )?{_YEAR_OR_REL})?")
_YEAR_ONLY = _full(rf"{_MOD}(?:year )?{_YEAR_OR_REL}")
# "the end of the year", "year-end": the year is the context's (the text's, else publication's).
_THE_YEAR = _full(rf"(?:(?:the )?(?P<mod>{_alternation(MODIFIERS)}) of the year|(?P<yearend>year ?-? ?end))")
_MONTHS_TO_DATE = _full(
    rf"first (?P<n>\d{{1,2}}|{_alternation(MONTH_COUNTS)}) months (?:of )?(?:the year|{_YEAR_OR_REL})"
)
_YEAR_SLASH = _full(rf"{_YEAR}/(?P<y2>\d{{2}}|\d{{4}})")
_DECADE = _full(r"(?P<decade>\d{3}0)'?s")
# "Q3 2024", "Q3/2024", "3Q2024", "the third quarter of 2024", "the second half of this year".
_PART_OF_YEAR_TAIL = rf"(?:,? of the year|(?:,? of |,? |/|-)?{_YEAR_OR_REL})?"
_QUARTER = _full(rf"(?:q(?P<q>[1-4])|(?P<q2>[1-4])q|(?P<qo>{_ORDINAL_WORDS}) quarter){_PART_OF_YEAR_TAIL}")
_HALF = _full(rf"(?:h(?P<h>[12])|(?P<h2>[12])h|(?P<ho>{_ORDINAL_WORDS}) half){_PART_OF_YEAR_TAIL}")
# a split year with a slash or a hyphen: "FY2023/24", "fiscal year 2023-24", "the 2023-24 fiscal year"
_FISCAL = _full(r"(?:fy ?|fiscal (?:year )?)(?P<fy>\d{4}|\d{2})(?:[/-](?P<fy2>\d{2}|\d{4}))?")
_FISCAL_AFTER = _full(r"(?P<fy>\d{4})(?:[/-](?P<fy2>\d{2}|\d{4}))? fiscal year")
_RELATIVE_DAY = _full(rf"(?P<rd>{_alternation(RELATIVE_DAYS)})")
_RELATIVE_UNIT = _full(rf"{_MOD}(?P<rs>{_SHIFT_WORDS}) (?P<ru>week|month)")
_WEEKDAY = _full(rf"(?:(?P<ws>{_SHIFT_WORDS}) )?(?P<wd>{_WEEKDAY_WORDS})\.?")

_RANGE_LEAD = re.compile(r"^(?:the )?(?P<lead>from|between) ", re.IGNORECASE)
_RANGE_SEP = re.compile(rf" ?{_DASH} ?| (?P<word>to|until|till|through|and) ", re.IGNORECASE)
_BARE_DAY = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?$", re.IGNORECASE)
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")


# --- resolution helpers -----------------------------------------------------------------------

def _modifier(match: re.Match) -> str:
    word = match.groupdict().get("mod")
    return MODIFIERS[word.lower()] if word else ""


def _resolve_year(match: re.Match, ctx: DateContext) -> int | None:
    """The written year, else a relative one ("this year"), else the context's year."""
    groups = match.groupdict()
    if groups.get("y"):
        return int(groups["y"])
    if groups.get("ry"):
        if ctx.published is None:
            return None
        return ctx.published.year + RELATIVE_SHIFTS[groups["ry"].lower()]
    return context_year(ctx)


def context_year(ctx: DateContext) -> int | None:
    """The year a mention without one takes: the year the text just gave, else publication's."""
    if ctx.previous_year is not None:
        return ctx.previous_year
    return ctx.published.year if ctx.published else None


def _day_point(year: int | None, month: int, day: int) -> Point | None:
    # Feb 29 with an unknown year is kept: it is a valid date in some year.
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if safe_date(year if year is not None else 2000, month, day) is None:
        return None
    return (year, month, day)


def _shift_month(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + shift
    return index // 12, index % 12 + 1


def _point(d: dt.date) -> Point:
    return (d.year, d.month, d.day)


def _unknown_day() -> Period:
    return Period((None, None, None), (None, None, None), "day")


def _months_period(year: int | None, first: int, last: int, granularity: str, modifier: str = "") -> Period:
    return Period((year, first, None), (year, last, None), granularity, modifier)


# --- one parser per form; each returns a Period or None ----------------------------------------

def _parse_day_month(text: str, ctx: DateContext) -> Period | None:
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        m = pattern.match(text)
        if m:
            point = _day_point(_resolve_year(m, ctx), month_number(m["m"]), int(m["d"]))
            return Period(point, point, "day") if point else None
    return None


def _parse_month_days(text: str, ctx: DateContext) -> Period | None:
    m = _MONTH_DAYS.match(text)
    if not m or not _range_words_agree(m["lead"], text):
        return None
    year, month = _resolve_year(m, ctx), month_number(m["m"])
    start, end = _day_point(year, month, int(m["d"])), _day_point(year, month, int(m["d2"]))
    if not start or not end or end[2] <= start[2]:
        return None
    return Period(start, end, "day")


def _parse_numeric(text: str, ctx: DateContext) -> Period | None:
    m = _NUMERIC.match(text)
    if not m or (len(m["a"]) != 4 and len(m["c"]) != 4):
        return None
    date = parse_numeric_date(m["a"], m["b"], m["c"], ctx.day_first)
    return Period(_point(date), _point(date), "day") if date else None


_NUMERIC_DAY_MONTH = _full(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})")


def _parse_numeric_day_month(text: str, ctx: DateContext) -> Period | None:
    """"15/3" (the component lets it through only after "on", "from", ...): the configured
    order, the other only when the configured one cannot be a date; the context's year."""
    m = _NUMERIC_DAY_MONTH.match(text)
    if not m:
        return None
    first, second = int(m["a"]), int(m["b"])
    day, month = (first, second) if ctx.day_first else (second, first)
    if not (1 <= month <= 12):
        day, month = month, day
    point = _day_point(context_year(ctx), month, day)
    return Period(point, point, "day") if point else None


def _parse_month(text: str, ctx: DateContext) -> Period | None:
    m = _MONTH_YEAR.match(text)
    if not m:
        return None
    year, month = _resolve_year(m, ctx), month_number(m["m"])
    return _months_period(year, month, month, "month", _modifier(m))


def _parse_year(text: str, ctx: DateContext) -> Period | None:
    m = _YEAR_ONLY.match(text)
    if m:
        year = _resolve_year(m, ctx)
        return Period((year, None, None), (year, None, None), "year", _modifier(m))
    m = _THE_YEAR.match(text)
    if m:
        year = context_year(ctx)
        return Period((year, None, None), (year, None, None), "year", "late" if m["yearend"] else _modifier(m))
    m = _DECADE.match(text)
    if m:
        first = int(m["decade"])
        return Period((first, None, None), (first + 9, None, None), "year")
    m = _YEAR_SLASH.match(text)
    if m:
        return _year_range(m["y"], m["y2"])
    return None


def _parse_months_to_date(text: str, ctx: DateContext) -> Period | None:
    """"the first nine months of 2024": January to September, month granularity."""
    m = _MONTHS_TO_DATE.match(text)
    if not m:
        return None
    count = int(m["n"]) if m["n"].isdigit() else MONTH_COUNTS[m["n"].lower()]
    if not 2 <= count <= 11:
        return None
    return _months_period(_resolve_year(m, ctx), 1, count, "month")


def _year_range(first: str, last: str) -> Period | None:
    """2022-2025, 2022-25, 2022/23: the second year may be written with its last two digits."""
    start = int(first)
    end = int(first[:2] + last) if len(last) == 2 else int(last)
    if end <= start or end - start > 100:
        return None
    return Period((start, None, None), (end, None, None), "year")


def _parse_quarter_or_half(text: str, ctx: DateContext) -> Period | None:
    m = _QUARTER.match(text)
    if m:
        number = int(m["q"] or m["q2"] or ORDINALS[m["qo"].lower()])
        first = 3 * (number - 1) + 1
        return _months_period(_resolve_year(m, ctx), first, first + 2, "quarter")
    m = _HALF.match(text)
    if m:
        number = min(2, int(m["h"] or m["h2"] or ORDINALS[m["ho"].lower()]))
        first = 6 * (number - 1) + 1
        return _months_period(_resolve_year(m, ctx), first, first + 5, "half")
    return None


def fiscal_year_months(year: int, start_month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(year, month) of the first and last month of fiscal year `year`, named after the calendar
    year in which it ends (FY2024 with an October start is Oct 2023 .. Sep 2024)."""
    if start_month == 1:
        return (year, 1), (year, 12)
    return (year - 1, start_month), (year, start_month - 1)


def _parse_fiscal(text: str, ctx: DateContext) -> Period | None:
    m = _FISCAL.match(text) or _FISCAL_AFTER.match(text)
    if not m:
        return None
    first_written = int(m["fy"]) if len(m["fy"]) == 4 else 2000 + int(m["fy"])
    if m["fy2"]:
        # A split year (FY2023/24) names both calendar years: it starts in the first.
        # With calendar fiscal years (start month 1) it covers both years whole.
        years = _year_range(str(first_written), m["fy2"])
        if years is None:
            return None
        start_month = ctx.fiscal_year_start_month
        start = (first_written, start_month)
        end = (years.end[0], start_month - 1 if start_month != 1 else 12)
    else:
        start, end = fiscal_year_months(first_written, ctx.fiscal_year_start_month)
    return Period((start[0], start[1], None), (end[0], end[1], None), "fiscal_year")


def _parse_relative(text: str, ctx: DateContext) -> Period | None:
    published = ctx.published
    m = _RELATIVE_DAY.match(text)
    if m:
        if published is None:
            return _unknown_day()
        day = published + dt.timedelta(days=RELATIVE_DAYS[m["rd"].lower()])
        return Period(_point(day), _point(day), "day")
    m = _RELATIVE_UNIT.match(text)
    if m:
        shift = RELATIVE_SHIFTS[m["rs"].lower()]
        if m["ru"].lower() == "week":
            if published is None:
                return Period((None, None, None), (None, None, None), "week", _modifier(m))
            monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=shift)
            return Period(_point(monday), _point(monday + dt.timedelta(days=6)), "week", _modifier(m))
        if published is None:
            return _months_period(None, None, None, "month", _modifier(m))
        year, month = _shift_month(published.year, published.month, shift)
        return _months_period(year, month, month, "month", _modifier(m))
    m = _WEEKDAY.match(text)
    if m:
        if published is None:
            return _unknown_day()
        return _weekday(published, WEEKDAYS[m["wd"].lower()], (m["ws"] or "").lower(), ctx.forward)
    return None


def _weekday(published: dt.date, weekday: int, shift_word: str, forward: bool) -> Period:
    """A weekday named without a date: news reports the most recent one (on or before
    publication) unless "next" or the tense points ahead (then on or after); "last" is
    strictly before and "next" strictly after."""
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if shift_word == "last":
        day = published - dt.timedelta(days=back or 7)
    elif shift_word == "next":
        day = published + dt.timedelta(days=ahead or 7)
    elif forward:
        day = published + dt.timedelta(days=ahead)
    else:
        day = published - dt.timedelta(days=back)
    return Period(_point(day), _point(day), "day")


_SINGLE_PARSERS = (
    _parse_numeric,
    _parse_numeric_day_month,
    _parse_day_month,
    _parse_month_days,
    _parse_month,
    _parse_year,
    _parse_quarter_or_half,
    _parse_months_to_date,
    _parse_fiscal,
    _parse_relative,
)


def _parse_single(text: str, ctx: DateContext) -> Period | None:
    for parser in _SINGLE_PARSERS:
        period = parser(text, ctx)
        if period is not None:
            return period
    return None


# --- ranges -------------------------------------------------------------------------------------

def _range_words_agree(lead: str | None, text: str) -> bool:
    """"between" goes with "and", "from" with "to"/"until"/a dash; with no lead, "and" is a
    coordination the caller must allow."""
    words = {w.lower() for w in re.findall(r"\b(?:and|to|until|till|through)\b", text, re.IGNORECASE)}
    if lead and lead.lower() == "between":
        return "and" in words
    if lead and lead.lower() == "from":
        return "and" not in words
    return True


def _parse_range(text: str, ctx: DateContext) -> Period | None:
    lead_match = _RANGE_LEAD.match(text)
    lead = lead_match["lead"].lower() if lead_match else ""
    body = text[lead_match.end():] if lead_match else text
    for sep in _RANGE_SEP.finditer(body):
        word = (sep["word"] or "-").lower()
        if lead == "between" and word != "and" or lead == "from" and word == "and":
            continue
        left, right = body[: sep.start()], body[sep.end():]
        period = _join(left, right, word, lead, ctx)
        if period is not None:
            return period
    return None


def _join(left: str, right: str, word: str, lead: str, ctx: DateContext) -> Period | None:
    if re.fullmatch(r"\d{4}", left) and re.fullmatch(r"\d{2}|\d{4}", right):
        if word == "and" and lead != "between":
            return None  # "in 2022 and 2025": two years, not a period
        return _year_range(left, right)
    end = _parse_single(right, ctx)
    if end is None:
        return None
    if _BARE_DAY.match(left):
        # "11-12 March": the first day takes its month and year from the second.
        if end.granularity != "day" or end.start[1] is None:
            return None
        point = _day_point(end.start[0], end.start[1], int(re.match(r"\d+", left)[0]))
        if point is None:
            return None
        start = Period(point, point, "day")
    else:
        end_year = end.start[0]
        start = _parse_single(left, DateContext(
            published=ctx.published,
            previous_year=end_year if end_year is not None else ctx.previous_year,
            forward=ctx.forward, day_first=ctx.day_first,
            fiscal_year_start_month=ctx.fiscal_year_start_month,
        ))
        if start is None:
            return None
    if start.granularity != end.granularity:
        return None
    if None not in (start.start[0], end.end[0]) and _sortable(end.end) <= _sortable(start.start):
        return None
    return Period(start.start, end.end, start.granularity)


def _sortable(point: Point) -> tuple[int, int, int]:
    return tuple(part or 0 for part in point)


# --- public API -----------------------------------------------------------------------------------

def normalise_date(text: str, ctx: DateContext) -> dict | None:
    """The value columns (date_start, date_end, granularity, modifier) of one mention's text,
    or None when the text is not a date this grammar reads."""
    text = " ".join(text.split())
    period = _parse_single(text, ctx) or _parse_range(text, ctx)
    return period.columns() if period else None


def year_given(text: str, value: dict) -> int | None:
    """The year a mention states explicitly, when it names exactly one: what a later "March"
    in the same paragraph inherits. Ranges and relative mentions give none."""
    years = _FOUR_DIGITS.findall(text)
    if len(years) != 1 or value["date_start"][:4] != value["date_end"][:4] or value["granularity"] == "fiscal_year":
        return None
    return int(years[0])
