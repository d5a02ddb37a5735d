"""The extract command: read -> clean -> annotate -> extract -> write.

Each file's rows come from the cache when its bytes, manifest row, the code, the settings
and the model are unchanged; only the others are read, cleaned and annotated, and the model
is loaded only when there is one. The tables are then built from all rows, in doc_id order,
so that they are the same bytes whatever the cache held.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from pipeline.cache import DocumentCache, default_cache_dir
from pipeline.clean import clean
from pipeline.entity_index import link_entities
from pipeline.extract import document_row
from pipeline.metadata import DocumentMetadata, document_metadata
from pipeline.progress import progress_bar
from pipeline.read import InputFile, SourceDocument, file_sha256, folder_warnings, list_input_files, read_document, read_manifest
from pipeline.schema import DOCUMENTS
from pipeline.settings import Settings
from pipeline.write import replace_files, table_files


@dataclass
class RunSummary:
    n_new: int = 0  # documents read (and annotated, when readable) in this run
    n_cached: int = 0  # documents whose rows came from the cache
    n_failed: int = 0  # documents with status error, new or cached
    n_removed: int = 0  # doc_ids of the previous documents.csv that are gone
    rows: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def n_documents(self) -> int:
        return self.n_new + self.n_cached

    @property
    def n_unchanged(self) -> int:
        return self.n_cached


@dataclass
class Pending:
    """A readable document waiting for the model."""

    key: str  # its cache key
    source: SourceDocument
    meta: DocumentMetadata
    body: str


@dataclass
class DocumentRows:
    """One document's rows of every table, and the cleaned body their offsets count in."""

    rows: dict[str, list[dict]]
    body: str = ""
    cached: bool = False


def run_extract(
    raw_dir: Path,
    out_dir: Path,
    settings: Settings,
    log=print,
    progress: bool = False,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> RunSummary:
    summary = RunSummary()
    manifest, warnings = read_manifest(raw_dir)
    summary.warnings.extend(warnings + folder_warnings(raw_dir))
    cache = DocumentCache((cache_dir or default_cache_dir(out_dir)) if use_cache else None, settings)

    # 1. Rows of every file the cache knows or that cannot be read; the others wait for the model.
    by_doc: dict[str, DocumentRows] = {}
    pending: list[Pending] = []
    for item in list_input_files(raw_dir):
        found = _recall_or_read(item, manifest.get(item.name), cache, settings)
        if isinstance(found, Pending):
            pending.append(found)
        else:
            by_doc[item.doc_id] = found
    summary.n_cached = sum(1 for d in by_doc.values() if d.cached)
    summary.n_new = len(by_doc) - summary.n_cached + len(pending)

    # 2. The model, only when some document needs it.
    if pending:
        for waiting, rows in _annotate(pending, settings, progress):
            cache.put(waiting.key, rows, waiting.body)
            by_doc[waiting.source.doc_id] = DocumentRows(rows, waiting.body)

    # 3. Tables from all documents' rows, in doc_id order.
    rows = link_entities(_merge(by_doc))  # one canonical name and id per entity across documents
    for document in rows["documents"]:
        if document["status"] == "error":
            summary.errors.append(f"{document['source_file']}: {document['error']}")
    summary.n_failed = len(summary.errors)
    summary.n_removed = len(previous_doc_ids(out_dir) - set(by_doc))
    tables, summary.rows = table_files(rows)

    # 4. Every output at once (write.replace_files), unless they are already exactly these.
    if not cache.outputs_current(out_dir, tables):
        from pipeline.extra_outputs import extra_output_files  # pandas, openpyxl: only when writing

        # The report shows each body with its extractions highlighted (rows hold only offsets).
        bodies = {doc_id: found.body for doc_id, found in sorted(by_doc.items()) if found.body}
        extra = extra_output_files(rows, bodies)
        replace_files(out_dir, {**tables, **extra})
        cache.record_outputs(out_dir, tables, [*tables, *extra])

    cache.prune()
    if cache.write_error:
        summary.warnings.append(cache.write_error)
    for message in summary.warnings:
        log(f"warning: {message}", file=sys.stderr)
    for message in summary.errors:
        log(f"error: {message}", file=sys.stderr)
    return summary


def _recall_or_read(item: InputFile, manifest_row: dict | None, cache: DocumentCache, settings: Settings) -> DocumentRows | Pending:
    """The file's rows from the cache, or its error row, or the cleaned document for the model."""
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        source = SourceDocument(item.doc_id, item.name, sha256="", manifest=dict(manifest_row or {}))
        error = f"the file cannot be read ({exc.strerror or exc}); check that it is not open in another program and that you may read it"
        return DocumentRows({"documents": [document_row(source, None, "", error=error)]})
    key = cache.key(item.name, item.doc_id, file_sha256(data), manifest_row)
    cached = cache.get(key)
    if cached is not None:
        return DocumentRows(cached["rows"], cached["body"], cached=True)
    source = read_document(item.path, manifest_row, item.doc_id, data)
    if source.error:
        rows = {"documents": [document_row(source, None, "", error=source.error)]}
        cache.put(key, rows, "")
        return DocumentRows(rows)
    cleaned = clean(source.text, day_first=settings.day_first)
    return Pending(key, source, document_metadata(cleaned, source), cleaned.body)


def _annotate(pending: list[Pending], settings: Settings, progress: bool):
    """(Pending, rows of every table) for each document, in order. A large body is annotated
    in pieces (pipeline.pieces) whose rows are shifted by the piece's offset."""
    from pipeline.annotate import annotate, build_nlp
    from pipeline.pieces import split_body

    nlp = build_nlp(settings)
    pieces = [(i, piece) for i, waiting in enumerate(pending) for piece in split_body(waiting.body)]
    items = ((pending[i].source.doc_id, piece.text, pending[i].meta.published or None) for i, piece in pieces)
    annotated = progress_bar(zip(pieces, annotate(nlp, items, settings)), total=len(pieces), enabled=progress)
    done = 0  # pending[:done] are yielded; a document without a piece (empty body) has no Doc
    for i, group in groupby(annotated, key=lambda pair: pair[0][0]):
        for j in range(done, i):
            yield pending[j], _document_rows(pending[j], [])
        yield pending[i], _document_rows(pending[i], [(piece.offset, doc) for (_i, piece), doc in group])
        done = i + 1
    for j in range(done, len(pending)):
        yield pending[j], _document_rows(pending[j], [])


def _document_rows(waiting: Pending, docs) -> dict[str, list[dict]]:
    """The documents row and the mention rows of every (offset, Doc) piece of one document."""
    from pipeline.extract import doc_rows

    rows = {"documents": [document_row(waiting.source, waiting.meta, waiting.body)]}
    for offset, doc in docs:
        for table, table_rows in doc_rows(doc, offset).items():
            rows.setdefault(table, []).extend(table_rows)
    return rows


def _merge(by_doc: dict[str, DocumentRows]) -> dict[str, list[dict]]:
    """All documents' rows per table, in doc_id order (the writer sorts again by the schema)."""
    rows: dict[str, list[dict]] = {"documents": []}
    for doc_id in sorted(by_doc):
        for table, table_rows in by_doc[doc_id].rows.items():
            rows.setdefault(table, []).extend(table_rows)
    return rows


def previous_doc_ids(out_dir: Path) -> set[str]:
    """doc_ids of the documents.csv a previous run left in out_dir (empty when none)."""
    try:
        with open(out_dir / DOCUMENTS.file_name, encoding="utf-8-sig", newline="") as fh:
            return {row.get("doc_id", "") for row in csv.DictReader(fh)} - {""}
    except (OSError, csv.Error, UnicodeDecodeError):
        return set()
