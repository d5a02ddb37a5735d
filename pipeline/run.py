"""The extract command: read -> clean -> annotate -> extract -> write."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.annotate import annotate, build_nlp
from pipeline.clean import clean
from pipeline.extract import doc_rows, document_row
from pipeline.metadata import document_metadata
from pipeline.read import list_input_files, read_document, read_manifest
from pipeline.settings import Settings
from pipeline.write import write_tables


@dataclass
class RunSummary:
    n_documents: int = 0
    n_failed: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def run_extract(raw_dir: Path, out_dir: Path, settings: Settings, log=print) -> RunSummary:
    summary = RunSummary()
    manifest, warnings = read_manifest(raw_dir)
    summary.warnings.extend(warnings)
    rows: dict[str, list[dict]] = {"documents": []}
    pending = []  # (source, meta, body)
    for path in list_input_files(raw_dir):
        source = read_document(path, manifest.get(path.name))
        summary.n_documents += 1
        if source.error:
            rows["documents"].append(document_row(source, None, "", error=source.error))
            summary.errors.append(f"{source.source_file}: {source.error}")
            continue
        cleaned = clean(source.text, day_first=settings.day_first)
        meta = document_metadata(cleaned, source)
        pending.append((source, meta, cleaned.body))

    if pending:
        nlp = build_nlp(settings)
        items = ((s.doc_id, body, meta.published or None) for s, meta, body in pending)
        for (source, meta, body), doc in zip(pending, annotate(nlp, items, settings)):
            rows["documents"].append(document_row(source, meta, body))
            for table, table_rows in doc_rows(doc).items():
                rows.setdefault(table, []).extend(table_rows)

    summary.n_failed = len(summary.errors)
    summary.rows = write_tables(out_dir, rows)
    for message in summary.warnings:
        log(f"warning: {message}", file=sys.stderr)
    for message in summary.errors:
        log(f"error: {message}", file=sys.stderr)
    return summary
