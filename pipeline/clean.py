"""Separate the metadata that press releases carry around their body from the body itself,
and normalise the characters of both.

Every offset in the tables counts characters of `CleanDocument.body`, the text this
stage returns; nothing after it changes the body.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.normalize.calendar import MONTH_RE, find_full_date, month_number

# Character classes that vary between sites but mean the same thing.
_CHAR_MAP = {
    **{c: " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\f\v"},
    **{c: "" for c in "\u200b\u200e\u200f\u2060\ufeff\u00ad"},
    # Hyphens, en dashes and minus signs join ranges ("2022 – 2025"): one ASCII hyphen.
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"},
    # Em dashes and bars separate clauses and datelines: one em dash.
    **{c: "\u2014" for c in "\u2015"},
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"},
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
    "\u2026": "...",
}
_TRANSLATE = str.maketrans(_CHAR_MAP)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def normalise_text(text: str) -> str:
    """NFC, one kind of dash, quote and space, no control characters, tidy blank lines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.translate(_TRANSLATE)
    text = _CONTROL.sub("", text)
    # Again: removing a zero-width or control character can bring a letter next to its accent.
    text = unicodedata.normalize("NFC", text)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


@dataclass
class CleanDocument:
    body: str
    title: str = ""
    header_published: str = ""  # YYYY-MM-DD from a "Publish date ..." header
    dateline_place: str = ""
    dateline_month_day: tuple[int, int] | None = None
    dateline_year: int | None = None
    author: str = ""
    source: str = ""


_HEADER = re.compile(
    r"^(?:publish(?:ed)?(?: date| on)?|posted(?: on)?|updated(?: on)?|date|released?(?: on)?|ngày đăng)\s*[:|-]?\s*(?P<rest>.*\d.*)$",
    re.I,
)
# A site's counters and sharing widgets carried in with the header.
_HEADER_NOISE = re.compile(r"^(?:view(?:s| count)?|print|share|font ?size|tweet|email)\b.*$", re.I)

_AGENCY = r"[A-Z][A-Za-z]{1,9}(?:[ /][A-Z][A-Za-z]{1,9})?"
_PLACE = r"[A-ZÀ-Ỹ][\wÀ-ỹ'.]*(?: [A-ZÀ-Ỹ][\wÀ-ỹ'.]*){0,3}"
_UPPER_PLACE = r"[A-ZÀ-Ỹ][A-ZÀ-Ỹ'.]+(?: [A-ZÀ-Ỹ][A-ZÀ-Ỹ'.]+){0,3}"
_DASH = r"(?:—|--|-|:)"
# "Phnom Penh, June 2 (Xinhua) --", "Bangkok [Thailand], May 20 (ANI):", "VIETNAM, March 11 -",
# development banks' "MANILA, PHILIPPINES (24 October 2023) -", and an embassy's place-and-date
# line standing alone ("Hanoi, 12 September 2023"), which needs its year to count.
_MONTH_DAY = rf"{MONTH_RE} \d{{1,2}}|\d{{1,2}} {MONTH_RE}"
_DATELINE_DATED = re.compile(
    rf"^(?P<place>{_PLACE})(?: \[[^\]]{{1,40}}\]|, {_UPPER_PLACE}(?= \())?"
    rf"(?:, (?P<md>{_MONTH_DAY})(?:,? (?P<year>\d{{4}}))?|,? \((?P<pmd>{_MONTH_DAY}),? (?P<pyear>\d{{4}})\)"
    rf"|, (?P<numeric>\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}))"  # "PHNOM PENH, 14/3/2024 (VNA) -"
    rf"(?:(?: ?\((?P<agency>{_AGENCY})\))? ?{_DASH} ?|(?<=\d{{4}})$)"
)
# "VIENTIANE —", "Hà Nội (VNA) –", "HANOI (VNS) -"
_DATELINE_PLACE = re.compile(
    # (an en dash, which cleaning makes "-", is as common as an em dash: "HANOI – ")
    rf"^(?:(?P<upper>{_UPPER_PLACE})(?: ?\((?P<agency1>{_AGENCY})\))? ?(?:—|--| -)|(?P<place>{_PLACE}) ?\((?P<agency2>{_AGENCY})\) ?{_DASH}) "
)
_AGENCY_LEAD = re.compile(r"^\((?P<agency>[A-Z][A-Za-z]{1,7})\) ?(?:—|--|-|:) ")
_CREDIT_TAIL = re.compile(rf"\s*(?:—|--|-)\s*(?P<agency>{_AGENCY})\s*$")
_END_MARKS = re.compile(r"\s*(?:/\.|-\s*End\s*-|\(End\)|\[End\])\s*$", re.I)
_PHOTO_CREDIT = re.compile(r"\s*\((?:photo|ảnh|file photo)s?:? [^)]{1,60}\)", re.I)
# A site's blocks after the story: "Related news:", "Tags: ...", "Read more", "See also".
# From the first paragraph that opens with one of them, the rest is the page, not the story.
_PAGE_TAIL = re.compile(r"^(?:related(?: news| articles| stories| posts)?|tags?|keywords?|read more|see also|"
                        r"more news|other news|tin liên quan)\s*(?::|$|\n)", re.I)
# A credit standing alone in a paragraph: "Photo: VNA", "Photos: KPL".
_PHOTO_LINE = re.compile(r"^(?:photo|photos|ảnh|file photo|source)\s*:\s*\S.{0,40}$", re.I)
_KNOWN_AGENCIES = {"VNA", "VNS", "KPL", "AFP", "AP", "ANI", "Reuters", "Xinhua", "Bernama", "VOV", "VTV", "VGP", "KPL/VNA", "Vientiane Times", "VIR", "SGGP", "NDO"}
_BYLINE = re.compile(r"^(?:By )?(?P<name>[A-ZÀ-Ỹ][\wÀ-ỹ'.-]+(?: [A-ZÀ-Ỹ][\wÀ-ỹ'.-]+){0,3})$")


def _is_title(line: str, rest: str) -> bool:
    words = line.split()
    return (
        bool(rest.strip())
        and 0 < len(words) <= 25
        and not line.endswith((".", ",", ";", ":"))
        and not _DATELINE_DATED.match(line + " ")
        and not _HEADER.match(line)
    )


def _take_header(paragraphs: list[str], doc: CleanDocument, day_first: bool) -> list[str]:
    """Remove header lines ("Publish date 14/03/2024 | 10:11 AM | View count: 14") near the top."""
    kept: list[str] = []
    for i, para in enumerate(paragraphs):
        if i >= 4:
            kept.extend(paragraphs[i:])
            break
        lines = para.split("\n")
        remaining = []
        for line in lines:
            fields = [f.strip() for f in line.split("|")]
            match = _HEADER.match(fields[0])
            # a site's "Vientiane Times | 12/03/2024 | 10:11" line: short fields, bars, a date
            source_line = (len(fields) > 1 and all(len(f.split()) <= 5 for f in fields)
                           and not any(f.endswith((".", ",", ";")) for f in fields))
            if (match or source_line) and not doc.header_published:
                date = find_full_date(line, day_first)
                if date:
                    doc.header_published = date.isoformat()
                    if not match and fields[0] in _KNOWN_AGENCIES and not doc.source:
                        doc.source = fields[0]
                    continue
            if all(_HEADER_NOISE.match(f) for f in fields if f) and any(fields):
                continue
            remaining.append(line)
        if remaining:
            kept.append("\n".join(remaining))
    return kept


def _take_dateline(first: str, doc: CleanDocument, day_first: bool = True) -> str:
    dated = _DATELINE_DATED.match(first)
    numeric = find_full_date(dated.group("numeric"), day_first) if dated and dated.group("numeric") else None
    if dated and dated.group("numeric") and numeric is None:
        dated = None  # "HANOI, 31/31/2024": not a date, so not a dateline
    if numeric is not None:
        doc.dateline_place = dated.group("place")
        doc.dateline_month_day = (numeric.month, numeric.day)
        doc.dateline_year = numeric.year
        if dated.group("agency") and not doc.source:
            doc.source = dated.group("agency")
        first = first[dated.end():]
    elif dated:
        doc.dateline_place = dated.group("place")
        md = (dated.group("md") or dated.group("pmd")).split()
        month = month_number(md[0]) or month_number(md[1])
        day = int(md[1]) if md[0][0].isalpha() else int(md[0])
        doc.dateline_month_day = (month, day)
        year = dated.group("year") or dated.group("pyear")
        if year:
            doc.dateline_year = int(year)
        if dated.group("agency") and not doc.source:
            doc.source = dated.group("agency")
        first = first[dated.end():]
    placed = _DATELINE_PLACE.match(first)
    if placed:
        # The place nearest the story is where it was filed ("VIETNAM, March 11 - VIENTIANE —").
        doc.dateline_place = placed.group("upper") or placed.group("place")
        agency = placed.group("agency1") or placed.group("agency2")
        if agency and not doc.source:
            doc.source = agency
        first = first[placed.end():]
    credit = _AGENCY_LEAD.match(first)
    if credit:  # "(QNP) - On March 11, ...": a portal's credit with no place
        doc.source = doc.source or credit.group("agency")
        first = first[credit.end():]
    return first


def _take_ending(paragraphs: list[str], doc: CleanDocument) -> list[str]:
    """Remove end marks ("/.", "-End-"), an agency credit ("— VNS") and a bare byline."""
    while paragraphs:
        last = _END_MARKS.sub("", paragraphs[-1]).strip()
        if not last:
            paragraphs.pop()
            continue
        if last in _KNOWN_AGENCIES or all(part.strip() in _KNOWN_AGENCIES for part in last.split("/")):  # "VNA/VNS"
            doc.source = doc.source or last
            paragraphs.pop()
            continue
        byline = _BYLINE.match(last)
        if byline and len(paragraphs) > 1 and not doc.author and last.split()[-1] not in _KNOWN_AGENCIES:
            doc.author = byline.group("name")
            paragraphs.pop()
            continue
        credit = _CREDIT_TAIL.search(last)
        if credit and (credit.group("agency") in _KNOWN_AGENCIES or credit.group("agency").isupper()):
            doc.source = doc.source or credit.group("agency")
            last = last[: credit.start()].rstrip()
            if not last:  # the credit stood alone ("- VNA"): look at the paragraph before it
                paragraphs.pop()
                continue
        paragraphs[-1] = last
        break
    return paragraphs


_BULLET = re.compile(r"^(?:[-•*+]|\d{1,2}[.)])\s")
# A line this long that ends a line in mid-paragraph was wrapped by the sender's mailer or
# editor, not by the writer.
_WRAPPED_LINE = 40


def _unwrap(paragraph: str) -> str:
    """Hard-wrapped text ("Lao Deputy Prime Minister Saleumxay\nKommasith") joined into one
    line, so that a name or an amount broken across lines is read whole and no line break
    lands in a table cell. Only when every line but the last is long and none is a list
    item: short lines (a subheading, an address, a list) keep their breaks."""
    lines = paragraph.split("\n")
    # (the first line of a long paragraph may have lost its dateline: only the middle ones count)
    inner = lines[1:-1] if len(lines) > 2 else lines[:1]
    if len(lines) < 2 or any(len(line) < _WRAPPED_LINE for line in inner) or any(_BULLET.match(line) for line in lines):
        return paragraph
    return " ".join(lines)


def clean(text: str, day_first: bool = True) -> CleanDocument:
    """Normalised body plus the metadata found around it."""
    text = normalise_text(text)
    doc = CleanDocument(body="")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    paragraphs = _take_header(paragraphs, doc, day_first)
    if paragraphs:
        first_lines = paragraphs[0].split("\n")
        rest = "\n".join(first_lines[1:]) + "\n\n".join(paragraphs[1:])
        if _is_title(first_lines[0], rest):
            doc.title = first_lines[0]
            remainder = "\n".join(first_lines[1:]).strip()
            paragraphs = ([remainder] if remainder else []) + paragraphs[1:]
            paragraphs = _take_header(paragraphs, doc, day_first)
            # "Ministry of X / Posted: 3 Feb 2023 / <headline> / <story>": a short line read as
            # the title above the header was the site's or section's name; the headline is
            # the one-line paragraph under the header (not a quote-ending lead).
            if (doc.header_published and len(paragraphs) > 1 and len(doc.title.split()) <= 6
                    and "\n" not in paragraphs[0] and len(paragraphs[0].split()) <= 20
                    and not paragraphs[0].endswith(('"', "'")) and _is_title(paragraphs[0], paragraphs[1])):
                doc.title = paragraphs.pop(0)
    if paragraphs:
        paragraphs[0] = _take_dateline(paragraphs[0], doc, day_first)
    paragraphs = [_PHOTO_CREDIT.sub("", p).strip() for p in paragraphs]
    paragraphs = [p for p in paragraphs if p]
    tail = next((i for i, p in enumerate(paragraphs) if i > 0 and _PAGE_TAIL.match(p)), None)
    if tail is not None:
        paragraphs = paragraphs[:tail]
    for p in paragraphs:
        if _PHOTO_LINE.match(p) and p.lower().startswith("source") and not doc.source:
            doc.source = p.split(":", 1)[1].strip()  # "Source: MOIT"
    paragraphs = [p for p in paragraphs if not _PHOTO_LINE.match(p)]
    paragraphs = _take_ending(paragraphs, doc)
    doc.body = "\n\n".join(_unwrap(p) for p in paragraphs)
    return doc
