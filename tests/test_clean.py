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


def test_a_development_bank_dateline_with_the_date_in_brackets():
    doc = clean("Bank lends to Laos\n\nMANILA, PHILIPPINES (24 October 2023) - The bank approved a loan.")
    assert (doc.dateline_place, doc.dateline_month_day, doc.dateline_year) == ("MANILA", (10, 24), 2023)
    assert doc.body == "The bank approved a loan."


def test_a_place_and_date_line_standing_alone_is_a_dateline_only_with_its_year():
    doc = clean("Statement by the embassy\n\nHanoi, 12 September 2023\n\nThe ambassador met the minister.")
    assert (doc.dateline_place, doc.dateline_month_day, doc.dateline_year) == ("Hanoi", (9, 12), 2023)
    assert doc.body == "The ambassador met the minister."
    # a sentence that opens with a place and a date is the story, not a dateline
    kept = clean("Statement\n\nHanoi, 12 September 2023 was the day the embassy opened.")
    assert kept.body == "Hanoi, 12 September 2023 was the day the embassy opened." and kept.dateline_year is None


def test_a_capitalised_dateline_with_an_en_dash_or_hyphen():
    assert clean("Title\n\nVIENTIANE \u2013 The bank lent more.").dateline_place == "VIENTIANE"
    assert clean("Title\n\nHÀ NỘI - India will finance projects.").body == "India will finance projects."
    # a hyphen inside a word is no dateline's dash
    assert clean("Title\n\nUN-Habitat said - it would help.").dateline_place == ""


def test_a_site_name_above_the_header_gives_way_to_the_headline_below_it():
    doc = clean("Ministry of Industry and Trade\nPosted: 3 Feb 2023, 09:45 AM\n\n"
                "Ministry and partners sign energy memorandum\n\nThe ministry signed a memorandum on Thursday.")
    assert (doc.title, doc.header_published) == ("Ministry and partners sign energy memorandum", "2023-02-03")
    assert doc.body == "The ministry signed a memorandum on Thursday."
    # a headline above the header stays the title; the lead under it stays the body
    kept = clean("Ministry and partners sign energy memorandum\nPosted: 3 Feb 2023\n\nThe ministry signed it.\n\nMore.")
    assert kept.title == "Ministry and partners sign energy memorandum" and kept.body.startswith("The ministry")


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


def test_a_numeric_dateline_and_a_joint_agency_credit():
    doc = clean("Title\n\nPHNOM PENH, 14/3/2024 (VNA) - Cambodian leaders met.\n\nThey agreed.\n\nVNA/VNS")
    assert (doc.dateline_place, doc.dateline_month_day, doc.dateline_year) == ("PHNOM PENH", (3, 14), 2024)
    assert (doc.source, doc.body) == ("VNA", "Cambodian leaders met.\n\nThey agreed.")
    # an impossible date is no dateline
    assert clean("Title\n\nHANOI, 31/31/2024 - Officials met.").dateline_year is None


def test_a_site_name_and_date_line_is_a_header():
    doc = clean("PRIME MINISTER RECEIVES GUESTS\n\nVientiane Times | 12/03/2024\n\nThe Prime Minister received guests.")
    assert (doc.header_published, doc.source, doc.body) == ("2024-03-12", "Vientiane Times", "The Prime Minister received guests.")
    # bars between words that carry no date are left in the body
    assert clean("Title\n\nHanoi | Vientiane | Bangkok\n\nBody.").body.startswith("Hanoi | Vientiane")


def test_the_page_after_the_story_is_not_body():
    doc = clean("Pact signed\n\nThe two sides signed a pact./.\n\nPhoto: VNA\n\nRelated news:\nTalks held\nTags: Singapore, trade")
    assert doc.body == "The two sides signed a pact."
    # a story's own paragraph that starts with such a word stays
    kept = clean("Title\n\nThe tags were printed.\n\nRelated parties met on Monday.\n\nSource: MOIT")
    assert (kept.body, kept.source) == ("The tags were printed.\n\nRelated parties met on Monday.", "MOIT")


def test_hard_wrapped_paragraphs_are_joined_and_short_lines_kept():
    doc = clean("Title\n\nVIENTIANE - Lao Deputy Prime Minister Saleumxay\nKommasith and Vietnamese Minister of Transport\n"
                "Nguyễn Văn Thắng met on Monday.\n\nKey points:\n- first point of the plan is long enough here\n"
                "- second point of the plan is long enough too\n\nEnergy plan\nThe ministry said so.")
    paragraphs = doc.body.split("\n\n")
    assert paragraphs[0] == ("Lao Deputy Prime Minister Saleumxay Kommasith and Vietnamese Minister of Transport "
                             "Nguyễn Văn Thắng met on Monday.")
    assert paragraphs[1].count("\n") == 2  # a list keeps its lines
    assert paragraphs[2] == "Energy plan\nThe ministry said so."  # a short line is no wrap


def test_an_agency_credit_opening_the_story_without_a_place():
    doc = clean("Title\n\n(QNP) - On March 11, the province received guests.")
    assert (doc.source, doc.body) == ("QNP", "On March 11, the province received guests.")
    assert clean("Title\n\n(The ministry) - said so.").source == ""  # not an agency's name
