"""outputs/report.html: one self-contained page to check extractions against their text.

Each document's metadata, then its cleaned body with every extraction highlighted by table
and label (spaCy's displaCy entity renderer, given character offsets), then the full list of
its rows. No scripts, fonts or images from the network, and no timestamps: the same tables
give the same bytes. Every piece of text is HTML-escaped: a press release may contain <script>.

Which tables are highlighted follows pipeline.schema.TABLES: every table with doc_id,
start_char and end_char columns. The entities table is labelled by its `label` column,
the others by their table name.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

from spacy import displacy

from pipeline.schema import TABLES, Table
from pipeline.xlsx import unprotect

FILE_NAME = "report.html"

# Label -> background colour. Entities keep displaCy's familiar colours; each other table gets
# one of its own. Labels not listed (a table added later) take FALLBACK_COLORS in turn.
LABEL_COLORS = {
    "PERSON": "#aa9cfc",
    "ORG": "#7aecec",
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "DATES": "#bfe1d9",
    "MONEY": "#c7e9a0",
    "AGREEMENTS": "#f7b7d2",
    "ROLES": "#ffe27a",
}
FALLBACK_COLORS = ("#d9d2e9", "#fce5cd", "#d0e0e3", "#f4cccc", "#cfe2f3", "#ead1dc")
DEFAULT_COLOR = "#dddddd"

# displaCy's entity template with the table, the label and the row's values (as a tooltip)
# on the element; {text} and {label} arrive escaped, {tooltip} and {table} are escaped here.
MARK_TEMPLATE = (
    '<mark class="extraction" data-table="{table}" data-label="{label}" title="{tooltip}" '
    'style="background: {bg}; padding: 0.15em 0.35em; margin: 0 0.1em; line-height: 1.9; border-radius: 0.3em;">'
    '{text}<span class="extraction-label">{label}</span></mark>'
)

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; }
section.document { border-top: 3px solid #888; margin-top: 2rem; padding-top: 0.5rem; }
dl.metadata { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; font-size: 0.9rem; }
dl.metadata dt { font-weight: bold; }
dl.metadata dd { margin: 0; }
.entities { line-height: 2.2; }
.extraction-label { font-size: 0.65em; font-weight: bold; margin-left: 0.35em; vertical-align: middle; }
.legend mark { padding: 0.1em 0.4em; border-radius: 0.3em; margin-right: 0.4em; }
.error { color: #a00; font-weight: bold; }
"""


def highlighted_tables() -> list[Table]:
    needed = {"doc_id", "start_char", "end_char"}
    return [t for t in TABLES if needed <= set(t.column_names)]


def label_colors(tables: list[Table]) -> dict[str, str]:
    colors = dict(LABEL_COLORS)
    spare = iter(FALLBACK_COLORS)
    for table in tables:
        if table.name.upper() not in colors and "label" not in table.column_names:
            colors[table.name.upper()] = next(spare, DEFAULT_COLOR)
    return colors


def _value_columns(table: Table) -> list[str]:
    shown_elsewhere = {"doc_id", "text", "start_char", "end_char", "context"}
    return [c for c in table.column_names if c not in shown_elsewhere]


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _tooltip(row: dict, columns: list[str]) -> str:
    return "; ".join(f"{c}={_cell(row[c])}" for c in columns if _cell(row[c]))


def _mentions(tables: list[Table], rows_by_table: Mapping[str, list[dict]]) -> list[dict]:
    """Every highlighted row of one document, as displaCy spans plus what the list shows."""
    mentions = []
    for table in tables:
        values = _value_columns(table)
        for row in rows_by_table.get(table.name, ()):
            label = str(row["label"]) if "label" in row else table.name.upper()
            mentions.append({
                "start": int(row["start_char"]),
                "end": int(row["end_char"]),
                "label": html.escape(label),
                "table": table.name,
                "text": unprotect(_cell(row["text"])) if "text" in row else "",
                "tooltip": _tooltip(row, values),
            })
    mentions.sort(key=lambda m: (m["start"], -m["end"], m["table"], m["label"]))
    return mentions


def _non_overlapping(mentions: list[dict], body_length: int) -> list[dict]:
    """displaCy's entity style cannot nest marks: the longest mention wins, ties to the earlier.
    Mentions left out of the highlight still appear in the document's list of rows."""
    chosen: list[dict] = []
    taken = []
    for m in sorted(mentions, key=lambda m: (m["start"] - m["end"], m["start"])):
        if not (0 <= m["start"] < m["end"] <= body_length):
            continue
        if any(m["start"] < end and start < m["end"] for start, end in taken):
            continue
        taken.append((m["start"], m["end"]))
        chosen.append(m)
    return sorted(chosen, key=lambda m: m["start"])


def render_body(body: str, mentions: list[dict], colors: dict[str, str]) -> str:
    spans = [
        {
            "start": m["start"],
            "end": m["end"],
            "label": m["label"],
            "params": {"table": html.escape(m["table"]), "tooltip": html.escape(m["tooltip"])},
        }
        for m in _non_overlapping(mentions, len(body))
    ]
    options = {"colors": colors, "template": MARK_TEMPLATE}
    # No "title": displaCy inserts it unescaped; the section heading carries the title.
    return displacy.render({"text": body, "ents": spans}, style="ent", manual=True, page=False, options=options)


def _metadata_list(record: dict) -> str:
    items = "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(_cell(v))}</dd>" for k, v in record.items() if _cell(v)
    )
    return f'<dl class="metadata">{items}</dl>'


def _rows_list(mentions: list[dict]) -> str:
    if not mentions:
        return "<p>No extractions.</p>"
    rows = "".join(
        f"<tr><td>{html.escape(m['table'])}</td><td>{m['label']}</td><td>{html.escape(m['text'])}</td>"
        f"<td class=\"n\">{m['start']}</td><td class=\"n\">{m['end']}</td><td>{html.escape(m['tooltip'])}</td></tr>"
        for m in mentions
    )
    return (
        f"<details><summary>{len(mentions)} rows</summary><table>"
        "<tr><th>table</th><th>label</th><th>text</th><th>start</th><th>end</th><th>values</th></tr>"
        f"{rows}</table></details>"
    )


def _summary(documents: list[dict], tables: list[Table], totals: Mapping[str, int],
             doc_counts: Mapping[str, Mapping[str, int]], colors: dict[str, str]) -> str:
    """totals: rows per table; doc_counts: doc_id -> table -> rows of that document."""
    totals = "".join(
        f"<tr><td>{html.escape(t.file_name)}</td><td class=\"n\">{totals.get(t.name, 0)}</td></tr>" for t in TABLES
    )
    legend = "".join(
        f'<mark style="background: {color}">{html.escape(label)}</mark>' for label, color in colors.items()
    )
    head = "".join(f"<th>{html.escape(t.name)}</th>" for t in tables)
    lines = []
    for i, record in enumerate(documents):
        doc_id = record["doc_id"]
        counts = "".join(
            f"<td class=\"n\">{doc_counts.get(doc_id, {}).get(t.name, 0)}</td>" for t in tables
        )
        lines.append(
            f"<tr><td><a href=\"#doc-{i}\">{html.escape(_cell(doc_id))}</a></td>"
            f"<td>{html.escape(_cell(record.get('status', '')))}</td>{counts}</tr>"
        )
    return (
        "<h2>Rows per table</h2><table><tr><th>table</th><th>rows</th></tr>" + totals + "</table>"
        + f'<p class="legend">{legend}</p>'
        + "<h2>Rows per document</h2><table><tr><th>document</th><th>status</th>" + head + "</tr>"
        + "".join(lines) + "</table>"
    )


def _by_document(table: Table, records: list[list]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for record in records:
        row = dict(zip(table.column_names, record))
        grouped.setdefault(row["doc_id"], []).append(row)
    return grouped


def write_report(path: Path, records: dict[str, list[list]], bodies: Mapping[str, str] | Iterable[tuple[str, str]]) -> None:
    """records: table name -> write.table_records of its rows (what its CSV holds); bodies:
    doc_id -> cleaned body (a mapping, or (doc_id, body) pairs). Written one document at a time."""
    if not isinstance(bodies, Mapping):
        bodies = dict(bodies)
    tables = highlighted_tables()
    documents = document_dicts(records.get("documents", []))
    groups = {t.name: _by_document(t, records.get(t.name, [])) for t in tables}
    totals = {t.name: len(records.get(t.name, [])) for t in TABLES}
    doc_counts: dict[str, dict[str, int]] = {}
    for table in tables:
        for doc_id, rows in groups[table.name].items():
            doc_counts.setdefault(doc_id, {})[table.name] = len(rows)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        report = ReportWriter(out, documents, totals, doc_counts)
        for i, record in enumerate(documents):
            doc_id = record["doc_id"]
            report.document(i, record, bodies.get(doc_id), {t.name: groups[t.name].get(doc_id, []) for t in tables})
        report.close()


def document_dicts(records: list[list]) -> list[dict]:
    """The documents table's records as dicts by column name."""
    documents_table = next(t for t in TABLES if t.name == "documents")
    return [dict(zip(documents_table.column_names, r)) for r in records]


def rows_by_table(records: Mapping[str, list[list]]) -> dict[str, list[dict]]:
    """One document's records of the highlighted tables as dicts by column name."""
    return {t.name: [dict(zip(t.column_names, r)) for r in records.get(t.name, [])] for t in highlighted_tables()}


class ReportWriter:
    """The page written as it goes (pipeline.assemble streams the corpus through it): the head
    and the summary from the counts, then `document` for each document in the documents
    table's order, then `close`."""

    def __init__(self, out, documents: list[dict], totals: Mapping[str, int], doc_counts: Mapping[str, Mapping[str, int]]):
        self.out = out
        self.tables = highlighted_tables()
        self.colors = label_colors(self.tables)
        out.write(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Extractions: {len(documents)} documents</title><style>{STYLE}</style></head><body>\n"
            "<h1>Extractions</h1>\n"
        )
        out.write(_summary(documents, self.tables, totals, doc_counts, self.colors) + "\n")

    def document(self, i: int, record: dict, body: str | None, rows: Mapping[str, list[dict]]) -> None:
        """Section i: the document's metadata record, its body (None when not available) and
        its rows of the highlighted tables (table name -> row dicts)."""
        out = self.out
        doc_id = record["doc_id"]
        title = _cell(record.get("title")) or _cell(doc_id)
        out.write(f'<section class="document" id="doc-{i}" data-doc-id="{html.escape(_cell(doc_id))}">'
                  f"<h2>{html.escape(title)}</h2>")
        out.write(_metadata_list(record))
        if _cell(record.get("error")):
            out.write(f'<p class="error">{html.escape(_cell(record["error"]))}</p>')
        elif body is None:
            out.write('<p class="error">The cleaned body of this document was not available to the report.</p>')
        else:
            mentions = _mentions(self.tables, rows)
            out.write(render_body(body, mentions, self.colors))
            out.write(_rows_list(mentions))
        out.write("</section>\n")

    def close(self) -> None:
        self.out.write("</body></html>\n")
