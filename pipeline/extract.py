"""Annotated Docs and document metadata to table rows keyed by pipeline.schema's columns."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.metadata import DocumentMetadata
from pipeline.read import SourceDocument
from pipeline.schema import MENTION_TABLES

if TYPE_CHECKING:  # spaCy is imported only when a document is annotated: cached reruns skip it
    from spacy.tokens import Doc, Span

_WORD = re.compile(r"\w+(?:['-]\w+)*")


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def document_row(source: SourceDocument, meta: DocumentMetadata | None, body: str, error: str = "") -> dict:
    status = "error" if error else "ok"
    return {
        "doc_id": source.doc_id,
        "source_file": source.source_file,
        "sha256": source.sha256,
        "title": meta.title if meta else source.manifest.get("title", ""),
        "published": meta.published if meta else "",
        "published_from": meta.published_from if meta else "none",
        "dateline_place": meta.dateline_place if meta else "",
        "author": meta.author if meta else "",
        "source": meta.source if meta else "",
        "source_url": meta.source_url if meta else source.manifest.get("source_url", ""),
        "n_words": count_words(body) if not error else 0,
        "status": status,
        "error": error,
    }


class DocText:
    """A Doc's text and whether it has sentence boundaries, computed once per Doc: Doc.text
    re-joins every token on each call, and Doc.has_annotation scans every token."""

    def __init__(self, doc: Doc):
        self.text = doc.text
        self.has_sentences = doc.has_annotation("SENT_START")


def sentence_context(span: Span, doc_text: DocText | None = None) -> str:
    """The sentence(s) the span stands in, on one line."""
    doc_text = doc_text or DocText(span.doc)
    if doc_text.has_sentences:
        start = span[0].sent.start_char
        end = span[-1].sent.end_char
    else:
        start, end = 0, len(doc_text.text)
    return " ".join(doc_text.text[start:end].split())


def mention_row(doc: Doc, span: Span, offset: int = 0, doc_text: DocText | None = None) -> dict:
    """offset: where doc's text starts in the body (a piece of a large body, see pipeline.pieces)."""
    return {
        "doc_id": doc._.doc_id,
        "text": span.text,
        **(span._.value or {}),
        "start_char": span.start_char + offset,
        "end_char": span.end_char + offset,
        "context": sentence_context(span, doc_text),
    }


def entity_rows(doc: Doc, offset: int = 0, doc_text: DocText | None = None) -> list[dict]:
    doc_text = doc_text or DocText(doc)
    rows = []
    for ent in doc.ents:
        row = mention_row(doc, ent, offset, doc_text)
        row["label"] = ent.label_
        row.setdefault("canonical", ent.text)
        rows.append(row)
    return rows


def doc_rows(doc: Doc, offset: int = 0) -> dict[str, list[dict]]:
    """Rows of every mention table for one annotated Doc whose text starts at `offset` in the body."""
    doc_text = DocText(doc)
    rows = {"entities": entity_rows(doc, offset, doc_text)}
    for group in MENTION_TABLES:
        rows[group] = [mention_row(doc, span, offset, doc_text) for span in doc.spans.get(group, [])]
    return rows
