"""Saved HTML pages: the article text and the page's own metadata, via trafilatura."""

from __future__ import annotations


def html_to_text(html: str) -> tuple[str, dict]:
    """The main article text (no menus, scripts or footers) and {title, published, source_url, author}."""
    import trafilatura
    from pipeline.read import InputError

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    meta = trafilatura.extract_metadata(html)
    found = {}
    if meta is not None:
        found = {
            "title": meta.title or "",
            "published": meta.date or "",
            "source_url": meta.url or "",
            "author": meta.author or "",
        }
    if not text:
        raise InputError("no article text found in this HTML page; save the article page itself, or paste its text into a .txt file")
    if found.get("title") and not text.lstrip().startswith(found["title"]):
        # Keep the headline as the first line so the cleaner sees it where it sees a .txt title.
        text = found["title"] + "\n\n" + text
    return text, found
