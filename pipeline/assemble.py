"""Every output file from the per-document entries, streamed: the corpus is never in memory.

Two passes over the documents, each loading one document's rows at a time (run.py passes a
`load` function that reads its cache entry):
- survey: in doc_id order, what needs the whole corpus: entities' spellings for cross-document
  linking (entity_index.EntityLinker), rows per table and per document (the report's summary
  comes before the documents), the documents table (one small row per document) and errors.
- write_outputs: in the tables' order, each document's rows linked, typed and sorted
  (write.table_records), appended to the staged CSVs, to the workbook's sheets and to the
  report. The files are the same bytes as when every table is built in memory and sorted:
  each table sorts by doc_id first, so sorting one document's rows at a time is the same.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from pipeline import datapackage, report, xlsx
from pipeline.entity_index import EntityLinker
from pipeline.schema import DOCUMENTS, TABLES
from pipeline.write import CsvTableWriter, _as_text, table_records

# doc_id -> (rows of every table, cleaned body); None when the entry cannot be loaded.
Loader = Callable[[str], "tuple[dict[str, list[dict]], str] | None"]


class EntryMissing(Exception):
    """Entries that could not be loaded; their documents must be processed again."""

    def __init__(self, doc_ids: list[str]):
        super().__init__(f"{len(doc_ids)} entries could not be loaded")
        self.doc_ids = doc_ids


@dataclass
class Survey:
    linker: EntityLinker = field(default_factory=EntityLinker)
    counts: dict[str, int] = field(default_factory=lambda: {t.name: 0 for t in TABLES})
    documents: list[dict] = field(default_factory=list)  # the documents table's rows
    # The report's per-document counts, by the doc_id cell of the records (write._as_text).
    doc_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    index: list[dict] = field(default_factory=list)  # entity_index rows


def survey(doc_ids: Iterable[str], load: Loader) -> Survey:
    """Pass one, over doc_ids in sorted order. Raises EntryMissing naming every entry that
    could not be loaded."""
    found = Survey()
    missing = []
    highlighted = [t.name for t in report.highlighted_tables()]
    for doc_id in doc_ids:
        entry = load(doc_id)
        if entry is None:
            missing.append(doc_id)
            continue
        rows, _body = entry
        found.linker.count(rows.get("entities", []))
        for table in TABLES:
            found.counts[table.name] += len(rows.get(table.name, []))
        found.documents.extend(rows.get("documents", []))
        for name in highlighted:
            for row in rows.get(name, []):
                cell = _as_text(row.get("doc_id"))
                per_table = found.doc_counts.setdefault(cell, {})
                per_table[name] = per_table.get(name, 0) + 1
        for document in rows.get("documents", []):
            if document["status"] == "error":
                found.errors.append(f"{document['source_file']}: {document['error']}")
    if missing:
        raise EntryMissing(missing)
    found.linker.finish()
    found.index = found.linker.index()
    found.counts["entity_index"] = len(found.index)
    return found


def output_order(doc_ids: Iterable[str]) -> list[list[str]]:
    """doc_ids grouped and ordered as the tables sort them: by their doc_id cell (a doc_id that
    starts like a formula gets an apostrophe, which moves it), sorted doc_ids within a group."""
    ordered = sorted(doc_ids, key=lambda d: (_as_text(d), d))
    return [list(group) for _cell, group in groupby(ordered, key=_as_text)]


def write_outputs(folder: Path, found: Survey, groups: list[list[str]], load: Loader) -> list[str]:
    """Pass two: every table's CSV, the workbook, the data package and the report written
    into folder; returns the file names."""
    streamed = [t for t in TABLES if t.name != "entity_index"]
    documents_table = DOCUMENTS
    streams = {t.name: open(folder / t.file_name, "w", encoding="utf-8", newline="") for t in TABLES}
    report_file = open(folder / report.FILE_NAME, "w", encoding="utf-8", newline="\n")
    book = None
    try:
        csvs = {t.name: CsvTableWriter(t, streams[t.name]) for t in TABLES}
        book = WorkbookInProcess(folder / xlsx.FILE_NAME)
        documents = report.document_dicts(table_records(documents_table, found.documents))
        pages = report.ReportWriter(report_file, documents, found.counts, found.doc_counts)
        section = 0
        for group in groups:
            merged: dict[str, list[dict]] = {}
            bodies: dict[str, str] = {}
            for doc_id in group:
                entry = load(doc_id)
                if entry is None:
                    raise EntryMissing([doc_id])
                rows, body = entry
                for name, table_rows in found.linker.link(rows).items():
                    merged.setdefault(name, []).extend(table_rows)
                if body:
                    bodies[doc_id] = body
            records = {t.name: table_records(t, merged.get(t.name, [])) for t in streamed}
            for table in streamed:
                csvs[table.name].write(records[table.name])
                book.add(table.name, records[table.name])
            mentions = report.rows_by_table(records)
            for record in report.document_dicts(records["documents"]):
                # The body is looked up by the doc_id cell, as report.write_report does.
                pages.document(section, record, bodies.get(record["doc_id"]), mentions)
                section += 1
        index_table = next(t for t in TABLES if t.name == "entity_index")
        index_records = table_records(index_table, found.index)
        csvs["entity_index"].write(index_records)
        book.add("entity_index", index_records)
        pages.close()
        book.close()
    except BaseException:
        if book is not None:
            book.abort()
        raise
    finally:
        for stream in (*streams.values(), report_file):
            stream.close()
    datapackage.write_package(folder / datapackage.FILE_NAME)
    return [*(t.file_name for t in TABLES), xlsx.FILE_NAME, datapackage.FILE_NAME, report.FILE_NAME]


class WorkbookInProcess:
    """xlsx.WorkbookWriter in a child process. Writing the workbook's cells is the largest part
    of the assembly's time; the child does it on another core while this process loads the entries and writes
    the CSVs and the report. Records go over a bounded queue, so memory stays flat."""

    def __init__(self, path: Path):
        context = multiprocessing.get_context()
        self.queue = context.Queue(maxsize=64)
        self.process = context.Process(target=_workbook_from_queue, args=(path, self.queue), daemon=True)
        self.process.start()

    def add(self, table_name: str, records: list[list]) -> None:
        if records:
            self._put((table_name, records))

    def _put(self, item) -> None:
        while True:
            try:
                self.queue.put(item, timeout=1)
                return
            except queue.Full:
                if not self.process.is_alive():
                    raise OSError("the workbook could not be written (its process ended)") from None

    def close(self) -> None:
        self._put(None)
        self.process.join()
        if self.process.exitcode != 0:
            raise OSError(f"the workbook could not be written (exit code {self.process.exitcode})")

    def abort(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _workbook_from_queue(path: Path, records_queue) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    book = xlsx.WorkbookWriter(path)
    while (item := records_queue.get()) is not None:
        book.add(*item)
    book.close()
