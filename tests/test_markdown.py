"""Markdown marks removed before cleaning: words and lines stay, marks go."""

from pipeline.clean import clean
from pipeline.markdown import markdown_to_text


def test_headline_header_and_dateline_marks_go():
    text = "# LAOS, VIET NAM AGREE ON POWER LINES\n\n*Updated: 2024-03-12 08:00*\n\n**VIENTIANE** - The two sides signed."
    assert markdown_to_text(text) == "LAOS, VIET NAM AGREE ON POWER LINES\n\nUpdated: 2024-03-12 08:00\n\nVIENTIANE - The two sides signed."
    doc = clean(markdown_to_text(text))
    assert (doc.title, doc.header_published, doc.dateline_place, doc.body) == (
        "LAOS, VIET NAM AGREE ON POWER LINES", "2024-03-12", "VIENTIANE", "The two sides signed.")


def test_links_bullets_and_rules():
    text = "See [the ministry](https://example.org) report:\n\n* first point\n+ second point\n\n---\n\n> quoted"
    assert markdown_to_text(text) == "See the ministry report:\n\n- first point\n- second point\n\n\n\nquoted"


def test_asterisks_and_underscores_inside_words_stay():
    assert markdown_to_text("2*3*4 and snake_case_name") == "2*3*4 and snake_case_name"
