"""Saved HTML pages: the article text and the page's own metadata, via trafilatura.

Nothing here touches the network: trafilatura and htmldate only ever get the page's text,
never a URL to fetch. The publication date comes from the page's metadata alone — <meta>
tags, JSON-LD and <time> elements — read with htmldate's own extractors in its fast mode;
its further guesses (dates in URLs, free text, the clock as an upper bound) are left out so
that the same page always gives the same date.
"""

from __future__ import annotations

from datetime import datetime

# htmldate rejects dates outside [min, max]; its default maximum is today, which would make
# the result depend on the day of the run. Fixed bounds keep it a function of the page.
EARLIEST_DATE = datetime(1990, 1, 1)
LATEST_DATE = datetime(2100, 12, 31)


def page_published_date(html: str) -> str:
    """YYYY-MM-DD from the page's <meta> tags, JSON-LD or <time> elements, else ""."""
    from htmldate.core import examine_header, examine_time_elements
    from htmldate.extractors import json_search
    from htmldate.utils import Extractor, load_html

    tree = load_html(html)
    if tree is None:
        return ""
    options = Extractor(False, LATEST_DATE, EARLIEST_DATE, True, "%Y-%m-%d")
    return (examine_header(tree, options) or json_search(tree, options) or examine_time_elements(tree, options)
            or _dated_element(tree))


# Portals of ministries and provinces often show the date only in an element of their own
# ("<div class="date">Thứ Ba, 12/03/2024 - 14:30</div>"), with no <meta> or <time>.
_DATE_CLASSES = ("date", "time", "publish", "posted")


def _dated_element(tree) -> str:
    """The first full date written in an element whose class or id names a date; numeric
    dates day-first (the project's default, as for a text header). "" if none."""
    from pipeline.normalize.calendar import find_full_date

    condition = " or ".join(f'contains(translate(@{attr}, "DATEIMPUBLSHO", "dateimpublsho"), "{word}")'
                            for attr in ("class", "id") for word in _DATE_CLASSES)
    for element in tree.xpath(f"//*[{condition}]"):
        text = " ".join(element.itertext())
        if len(text) <= 80:
            date = find_full_date(text, True)
            if date is not None:
                return date.isoformat()
    return ""


def html_to_text(html: str) -> tuple[str, dict]:
    """The main article text (no menus, scripts or footers) and {title, published, source_url, author}.

    Each block of the article (paragraph, heading, list item) becomes a paragraph of the
    text, separated by a blank line as in the .txt files.
    """
    import trafilatura

    from pipeline.read import InputError

    text = trafilatura.extract(html, url=None, include_comments=False, include_tables=False, favor_precision=True, deduplicate=False)
    meta = trafilatura.extract_metadata(html, default_url=None, extensive=False)
    found = {
        "title": (meta.title or "") if meta else "",
        "published": page_published_date(html),
        "source_url": (meta.url or "") if meta else "",
        "author": (meta.author or "") if meta else "",
    }
    if not text or not text.strip():
        raise InputError("no article text found in this HTML page; save the article page itself, or paste its text into a .txt file")
    text = "\n\n".join(line.strip() for line in text.split("\n") if line.strip())
    if found["title"] and not text.startswith(found["title"]):
        # Keep the headline as the first line so the cleaner sees it where it sees a .txt title.
        text = found["title"] + "\n\n" + text
    return text, found
