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
# "Phnom Penh, June 2 (Xinhua) --", "Bangkok [Thailand], May 20 (ANI):", "VIETNAM, March 11 -"
_DATELINE_DATED = re.compile(
    rf"^(?P<place>{_PLACE})(?: \[[^\]]{{1,40}}\])?, (?P<md>{MONTH_RE} \d{{1,2}}|\d{{1,2}} {MONTH_RE})(?:,? (?P<year>\d{{4}}))?"
    rf"(?: ?\((?P<agency>{_AGENCY})\))? ?{_DASH} ?"
)
# "VIENTIANE —", "Hà Nội (VNA) –", "HANOI (VNS) -"
_DATELINE_PLACE = re.compile(
    rf"^(?:(?P<upper>{_UPPER_PLACE})(?: ?\((?P<agency1>{_AGENCY})\))? ?(?:—|--)|(?P<place>{_PLACE}) ?\((?P<agency2>{_AGENCY})\) ?{_DASH}) "
)
_CREDIT_TAIL = re.compile(rf"\s*(?:—|--|-)\s*(?P<agency>{_AGENCY})\s*$")
_END_MARKS = re.compile(r"\s*(?:/\.|-\s*End\s*-|\(End\)|\[End\])\s*$", re.I)
_PHOTO_CREDIT = re.compile(r"\s*\((?:photo|ảnh|file photo)s?:? [^)]{1,60}\)", re.I)
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
            if match and not doc.header_published:
                date = find_full_date(line, day_first)
                if date:
                    doc.header_published = date.isoformat()
                    continue
            if all(_HEADER_NOISE.match(f) for f in fields if f) and any(fields):
                continue
            remaining.append(line)
        if remaining:
            kept.append("\n".join(remaining))
    return kept


def _take_dateline(first: str, doc: CleanDocument) -> str:
    dated = _DATELINE_DATED.match(first)
    if dated:
        doc.dateline_place = dated.group("place")
        md = dated.group("md").split()
        month = month_number(md[0]) or month_number(md[1])
        day = int(md[1]) if md[0][0].isalpha() else int(md[0])
        doc.dateline_month_day = (month, day)
        if dated.group("year"):
            doc.dateline_year = int(dated.group("year"))
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
    return first


def _take_ending(paragraphs: list[str], doc: CleanDocument) -> list[str]:
    """Remove end marks ("/.", "-End-"), an agency credit ("— VNS") and a bare byline."""
    while paragraphs:
        last = _END_MARKS.sub("", paragraphs[-1]).strip()
        if not last:
            paragraphs.pop()
            continue
        if last in _KNOWN_AGENCIES:
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
    if paragraphs:
        paragraphs[0] = _take_dateline(paragraphs[0], doc)
    paragraphs = [_PHOTO_CREDIT.sub("", p).strip() for p in paragraphs]
    paragraphs = _take_ending([p for p in paragraphs if p], doc)
    doc.body = "\n\n".join(paragraphs)
    return doc
