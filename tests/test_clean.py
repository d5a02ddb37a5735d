"""The cleaner: hand-written expectations for the character normalisation and for the metadata
split from the body (title, publication header, dateline, byline, agency credit)."""

import pytest

from pipeline.clean import clean, normalise_text

NORMALISED = [
    ("2022 \u2013 2025", "2022 - 2025", "en dash joins a range: one ASCII hyphen"),
    ("\u201cgreen\u201d plan\u2019s", '"green" plan\'s', "curly quotes straight"),
    ("Ha\u00a0Noi\u2009city", "Ha Noi city", "no-break and thin spaces are spaces"),
    ("Vien\u200btiane\u00ad", "Vientiane", "zero-width space and soft hyphen removed"),
    ("line one\r\nline two\rline three", "line one\nline two\nline three", "Windows and old Mac line ends"),
    ("Ha\u0300 No\u0323\u0302i", "H\u00e0 N\u1ed9i", "NFC: letters and accents composed"),
    ("a\n\n\n\n\nb", "a\n\nb", "at most one blank line"),
    ("  many    spaces  ", "many spaces", "runs of spaces collapsed, ends trimmed"),
    ("bell\x07 and escape\x1b", "bell and escape", "control characters dropped"),
    ("wait\u2026", "wait...", "ellipsis as three dots"),
    ("VIENTIANE \u2015 text", "VIENTIANE \u2014 text", "horizontal bar is an em dash, which datelines use"),
]


@pytest.mark.parametrize("raw,expected,why", NORMALISED, ids=[n[2] for n in NORMALISED])
def test_normalise_text(raw, expected, why):
    assert normalise_text(raw) == expected


def test_title_header_dateline_and_byline_are_taken_out_of_the_body():
    doc = clean(
        "Hanoi and Vientiane boost cooperation\n"
        "Publish date 14/03/2024 | 10:11 AM | View count: 14\n\n"
        "VIENTIANE (VNA) \u2013 The two capitals signed a plan on Monday.\n\n"
        "The plan runs from 2024 to 2026.\n\n"
        "Minh Anh\n"
    )
    assert (doc.title, doc.header_published, doc.dateline_place, doc.source, doc.author) == (
        "Hanoi and Vientiane boost cooperation", "2024-03-14", "VIENTIANE", "VNA", "Minh Anh")
    assert doc.body == "The two capitals signed a plan on Monday.\n\nThe plan runs from 2024 to 2026."


def test_a_dated_dateline_gives_month_day_and_year():
    doc = clean("Phnom Penh, June 2, 2024 (Xinhua) -- Cambodia and Laos signed a trade deal on Sunday.")
    assert (doc.dateline_place, doc.dateline_month_day, doc.dateline_year, doc.source) == ("Phnom Penh", (6, 2), 2024, "Xinhua")
    assert doc.body == "Cambodia and Laos signed a trade deal on Sunday."


def test_month_first_header_when_asked():
    assert clean("Title here\nPublished on 05/06/2024\n\nBody text.", day_first=False).header_published == "2024-05-06"
    assert clean("Title here\nPublished on 05/06/2024\n\nBody text.", day_first=True).header_published == "2024-06-05"


def test_agency_credit_and_end_mark_are_removed_from_the_last_paragraph():
    doc = clean("Hanoi leaders visit\n\nThe delegation arrived on Tuesday. \u2014 VNS\n\n/.")
    assert (doc.source, doc.body) == ("VNS", "The delegation arrived on Tuesday.")


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "\ufeff", "Only a title"])
def test_degenerate_texts_give_an_empty_or_short_body_without_error(text):
    doc = clean(text)
    assert isinstance(doc.body, str) and len(doc.body) <= len(text)
