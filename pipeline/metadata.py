"""Decides each document's metadata from the places it can come from, in a fixed order."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.clean import CleanDocument
from pipeline.read import SourceDocument

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class DocumentMetadata:
    title: str
    published: str  # YYYY-MM-DD or ""
    published_from: str  # header / html_meta / manifest / dateline / none
    dateline_place: str
    author: str
    source: str
    source_url: str


def valid_iso_date(value: str) -> str:
    """value when it is a real YYYY-MM-DD date, else ""."""
    value = (value or "").strip()[:10]
    if not _ISO_DATE.match(value):
        return ""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return ""
    return value


def publication_date(cleaned: CleanDocument, source: SourceDocument) -> tuple[str, str]:
    """The text's own header first, then the page's metadata, then the manifest (which gives
    what the text lacks), then a dateline that carries a year."""
    if cleaned.header_published:
        return cleaned.header_published, "header"
    html_date = valid_iso_date(source.html_meta.get("published", ""))
    if html_date:
        return html_date, "html_meta"
    manifest_date = valid_iso_date(source.manifest.get("published", ""))
    if manifest_date:
        return manifest_date, "manifest"
    if cleaned.dateline_month_day and cleaned.dateline_year:
        month, day = cleaned.dateline_month_day
        try:
            return dt.date(cleaned.dateline_year, month, day).isoformat(), "dateline"
        except ValueError:
            pass
    return "", "none"


def document_metadata(cleaned: CleanDocument, source: SourceDocument) -> DocumentMetadata:
    published, published_from = publication_date(cleaned, source)
    return DocumentMetadata(
        title=cleaned.title or source.html_meta.get("title", "") or source.manifest.get("title", ""),
        published=published,
        published_from=published_from,
        dateline_place=cleaned.dateline_place,
        author=cleaned.author or source.html_meta.get("author", ""),
        source=cleaned.source,
        source_url=source.manifest.get("source_url", "") or source.html_meta.get("source_url", ""),
    )
