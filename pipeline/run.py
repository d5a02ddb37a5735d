"""The extract command: read -> clean -> annotate -> extract -> write.

Each file's rows come from the cache when its bytes, manifest row, the code, the settings
and the model are unchanged; only the others are read, cleaned and annotated, one at a time,
and the model is loaded only when there is one. When nothing changed at all since the last
run into the same folder (the same inputs, and every output still the bytes that run wrote:
the cache's run-state record), the run stops there. Otherwise the outputs are streamed from
the per-document entries in doc_id order (pipeline.assemble), so that they are the same bytes
whatever the cache held and memory does not grow with the corpus. With --no-cache the
entries go to a temporary folder instead.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from pipeline.cache import DocumentCache, default_cache_dir
from pipeline.clean import clean
from pipeline.extract import document_row
from pipeline.metadata import DocumentMetadata, document_metadata
from pipeline.progress import progress_bar
from pipeline.read import InputFile, SourceDocument, file_sha256, folder_warnings, list_input_files, read_document, read_manifest
from pipeline.schema import DOCUMENTS, TABLES
from pipeline.settings import Settings
from pipeline.write import replace_files


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
class Input:
    """One input file, its manifest row and its cache key ("" when the file cannot be read)."""

    item: InputFile
    manifest_row: dict | None
    key: str


@dataclass
class Pending:
    """A readable document waiting for the model."""

    input: Input
    source: SourceDocument
    meta: DocumentMetadata
    body: str


@dataclass
class DocumentRows:
    """One document's rows of every table, and the cleaned body their offsets count in."""

    rows: dict[str, list[dict]]
    body: str = ""


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
    with ExitStack() as cleanup:
        if use_cache:
            root = cache_dir or default_cache_dir(out_dir)
        else:  # the entries the outputs are streamed from, thrown away at the end
            root = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="pipeline-rows-")))
        cache = DocumentCache(root, settings)
        _extract(raw_dir, out_dir, settings, manifest, cache, summary, progress)
    if cache.write_error and use_cache:
        summary.warnings.append(cache.write_error)
    for message in summary.warnings:
        log(f"warning: {message}", file=sys.stderr)
    for message in summary.errors:
        log(f"error: {message}", file=sys.stderr)
    return summary


def _extract(raw_dir: Path, out_dir: Path, settings: Settings, manifest: dict, cache: DocumentCache,
             summary: RunSummary, progress: bool) -> None:
    # 1. Every file's cache key (reading and hashing 1,000 small files takes a fraction of a second).
    held: dict[str, DocumentRows] = {}  # rows that are in no cache entry: unreadable files, unwritable cache
    inputs = [_input(item, manifest.get(item.name), cache, held) for item in list_input_files(raw_dir)]
    doc_ids = {i.item.doc_id for i in inputs}
    summary.n_removed = len(previous_doc_ids(out_dir) - doc_ids)

    # 2. Nothing changed since the last run into out_dir: its summary stands, nothing to write.
    last = cache.last_run(out_dir, _state(inputs, cache))
    if last is not None:
        summary.n_new = sum(1 for i in inputs if not i.key)
        summary.n_cached = len(inputs) - summary.n_new
        summary.rows = dict(last["summary"]["rows"])
        summary.errors = list(last["summary"]["errors"])
        summary.n_failed = len(summary.errors)
        cache.prune()
        return

    # 3. The documents no entry holds: read, cleaned, annotated and stored one at a time.
    new = [i for i in inputs if i.key and not cache.has(i.key)]
    _process(new, cache, held, settings, progress)
    summary.n_new = len(new) + sum(1 for i in inputs if not i.key)

    # 4. The outputs, streamed from the entries (an entry that turns out unreadable is a miss).
    from pipeline import assemble  # XlsxWriter, displaCy: only when writing

    by_doc = {i.item.doc_id: i for i in inputs}

    def load(doc_id: str):
        if doc_id in held:
            return held[doc_id].rows, held[doc_id].body
        entry = cache.get(by_doc[doc_id].key)
        return None if entry is None else (entry["rows"], entry["body"])

    for attempt in range(2):
        try:
            found = assemble.survey(sorted(doc_ids), load)
            break
        except assemble.EntryMissing as missing:
            again = [by_doc[d] for d in missing.doc_ids]
            _process(again, cache, held, settings, progress, hold=attempt > 0)
            summary.n_new += len(again)
    else:
        found = assemble.survey(sorted(doc_ids), load)
    summary.n_cached = len(inputs) - summary.n_new
    summary.errors = found.errors
    summary.n_failed = len(summary.errors)
    summary.rows = {t.name: found.counts[t.name] for t in TABLES}
    groups = assemble.output_order(doc_ids)
    names: list[str] = []

    def write_together(folder: Path) -> list[str]:
        names.extend(assemble.write_outputs(folder, found, groups, load))
        return names

    replace_files(out_dir, {}, write_together=write_together)
    cache.record_run(out_dir, _state(inputs, cache), names, {"rows": summary.rows, "errors": summary.errors})
    cache.prune()


def _state(inputs: list[Input], cache: DocumentCache) -> list[list]:
    """What the run-state record compares: every input's name, doc_id, cache key and its
    entry's size and time stamp."""
    return [[i.item.name, i.item.doc_id, i.key, cache.stamp(i.key) if i.key else None] for i in inputs]


def _input(item: InputFile, manifest_row: dict | None, cache: DocumentCache, held: dict[str, DocumentRows]) -> Input:
    """The file's cache key; a file that cannot be read gets its error row in `held`."""
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        held[item.doc_id] = _unreadable(item, manifest_row, exc)
        return Input(item, manifest_row, "")
    return Input(item, manifest_row, cache.key(item.name, item.doc_id, file_sha256(data), manifest_row))


def _unreadable(item: InputFile, manifest_row: dict | None, exc: OSError) -> DocumentRows:
    source = SourceDocument(item.doc_id, item.name, sha256="", manifest=dict(manifest_row or {}))
    error = f"the file cannot be read ({exc.strerror or exc}); check that it is not open in another program and that you may read it"
    return DocumentRows({"documents": [document_row(source, None, "", error=error)]})


def _process(inputs: list[Input], cache: DocumentCache, held: dict[str, DocumentRows], settings: Settings,
             progress: bool, hold: bool = False) -> None:
    """Read, clean and annotate each input, one at a time, and store its rows in the cache
    (in `held` when the cache cannot take them, or when hold is True)."""

    def store(waiting: Input, rows: dict[str, list[dict]], body: str) -> None:
        held.pop(waiting.item.doc_id, None)
        if hold or not cache.put(waiting.key, rows, body):
            held[waiting.item.doc_id] = DocumentRows(rows, body)

    def readable() -> Iterator[Pending]:
        for waiting in inputs:
            try:
                data = waiting.item.path.read_bytes()
            except OSError as exc:
                waiting.key = ""
                held[waiting.item.doc_id] = _unreadable(waiting.item, waiting.manifest_row, exc)
                continue
            source = read_document(waiting.item.path, waiting.manifest_row, waiting.item.doc_id, data)
            # The key of the bytes read now (the file may have changed since its key was made).
            waiting.key = cache.key(waiting.item.name, waiting.item.doc_id, source.sha256, waiting.manifest_row)
            if source.error:
                store(waiting, {"documents": [document_row(source, None, "", error=source.error)]}, "")
                continue
            cleaned = clean(source.text, day_first=settings.day_first)
            yield Pending(waiting, source, document_metadata(cleaned, source), cleaned.body)

    if not inputs:
        return
    for waiting, rows in progress_bar(_annotate(readable(), settings), total=len(inputs), enabled=progress):
        store(waiting.input, rows, waiting.body)


def _annotate(pending: Iterable[Pending], settings: Settings) -> Iterator[tuple[Pending, dict[str, list[dict]]]]:
    """(Pending, rows of every table) for each document, in order, pulled one at a time. A
    large body is annotated in pieces (pipeline.pieces) whose rows are shifted by the piece's
    offset."""
    from pipeline.pieces import split_body

    # Documents whose pieces have gone to the model, with the rows of the pieces back so far.
    queue: deque[tuple[Pending, int, list]] = deque()

    def items():
        for waiting in pending:
            pieces = split_body(waiting.body)
            queue.append((waiting, len(pieces), []))
            for piece in pieces:
                yield waiting.source.doc_id, piece.text, waiting.meta.published or None, piece.offset

    def finished() -> Iterator[tuple[Pending, dict[str, list[dict]]]]:
        while queue and len(queue[0][2]) == queue[0][1]:
            waiting, _n, parts = queue.popleft()
            yield waiting, _document_rows(waiting, parts)

    for rows in _piece_rows(items(), settings):
        yield from finished()  # documents without a piece (empty body) before this one
        queue[0][2].append(rows)
        yield from finished()
    yield from finished()


def _piece_rows(items: Iterator[tuple], settings: Settings) -> Iterator[dict[str, list[dict]]]:
    """extract.doc_rows of every (doc_id, text, published, offset) piece, in order; the model is
    loaded only when a piece comes, in this process or (--workers N) in N others."""
    first = next(items, None)
    if first is None:
        return
    items = chain([first], items)
    if settings.workers > 1:
        # Imported before the pool starts: forked workers inherit spaCy instead of each
        # importing it, and building the outputs (displaCy) later finds it loaded.
        import pipeline.annotate  # noqa: F401
        import pipeline.assemble  # noqa: F401
        from pipeline.workers import rows_in_workers

        yield from rows_in_workers(items, settings)
        return
    from pipeline.annotate import annotate, build_nlp
    from pipeline.extract import doc_rows

    nlp = build_nlp(settings)
    offsets: deque[int] = deque()

    def texts():
        for doc_id, text, published, offset in items:
            offsets.append(offset)
            yield doc_id, text, published

    for doc in annotate(nlp, texts(), settings):
        yield doc_rows(doc, offsets.popleft())


def _document_rows(waiting: Pending, parts: list[dict[str, list[dict]]]) -> dict[str, list[dict]]:
    """The documents row and the mention rows of every piece of one document."""
    rows = {"documents": [document_row(waiting.source, waiting.meta, waiting.body)]}
    for part in parts:
        for table, table_rows in part.items():
            rows.setdefault(table, []).extend(table_rows)
    return rows


def previous_doc_ids(out_dir: Path) -> set[str]:
    """doc_ids of the documents.csv a previous run left in out_dir (empty when none)."""
    try:
        with open(out_dir / DOCUMENTS.file_name, encoding="utf-8-sig", newline="") as fh:
            return {row.get("doc_id", "") for row in csv.DictReader(fh)} - {""}
    except (OSError, csv.Error, UnicodeDecodeError):
        return set()
