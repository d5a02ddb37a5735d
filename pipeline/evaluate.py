"""`python -m pipeline eval`: the pipeline's tables scored against hand-checked expectations.

tests/gold/ holds one YAML file per document (its `doc_id`, where its text is, and the
expected values of every table); the documents are the seeds in raw/ and the press
releases written for the purpose in tests/gold/docs/. Each table is scored per document on
the SET of its key values, and counts are summed over documents (micro-average):

    dates          (date_start, date_end)
    money          (amount, currency)
    agreements     (start_year, end_year)
    people         folded canonical names of PERSON entities
    organisations  folded canonical names of ORG entities
    places         folded canonical names of GPE and LOC entities
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
import yaml

from pipeline.normalize.names import strip_diacritics
from pipeline.settings import Settings

TABLES = ("dates", "money", "agreements", "people", "organisations", "places")
ENTITY_GROUPS = {"people": ("PERSON",), "organisations": ("ORG",), "places": ("GPE", "LOC")}


def fold_name(name: str) -> str:
    """Case, diacritics (đ -> d), punctuation, spaces and a leading "the" folded away:
    "the Hà Nội Party Committee" and "Ha Noi party-committee" -> "hanoipartycommittee".
    Coarser than the entity layer's fold (which keeps spaces): a gold list written "Ha Noi"
    must match a canonical "Hanoi"."""
    text = unicodedata.normalize("NFKC", strip_diacritics(name)).casefold().strip()
    text = text.removeprefix("the ")
    return "".join(c for c in text if c.isalnum())


def _cell(value) -> str:
    """A gold or CSV value as the string a spreadsheet shows (None -> "")."""
    return "" if value is None else str(value).strip()


def _amount(value) -> Decimal | str:
    try:
        return Decimal(_cell(value))
    except InvalidOperation:
        return _cell(value)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, found: set) -> None:
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    @property
    def precision(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.tp + self.fn == 0:
            return 1.0 if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def gold_keys(gold: dict) -> dict[str, set]:
    """A gold document's expected key sets, in the same form as found_keys gives."""
    return {
        "dates": {(_cell(s), _cell(e)) for s, e in gold.get("dates") or []},
        "money": {(_amount(a), _cell(c)) for a, c in gold.get("money") or []},
        "agreements": {(_cell(s), _cell(e)) for s, e in gold.get("agreements") or []},
        **{group: {fold_name(n) for n in gold.get(group) or []} for group in ENTITY_GROUPS},
    }


def found_keys(tables: dict[str, pd.DataFrame], doc_id: str) -> dict[str, set]:
    """The key sets of one document's rows in the written tables (all cells strings)."""

    def rows(name):
        frame = tables[name]
        return frame[frame["doc_id"] == doc_id].to_dict("records")

    entities = rows("entities")
    return {
        "dates": {(r["date_start"], r["date_end"]) for r in rows("dates")},
        "money": {(_amount(r["amount"]), r["currency"]) for r in rows("money")},
        "agreements": {(r["start_year"], r["end_year"]) for r in rows("agreements")},
        **{
            group: {fold_name(r.get("canonical") or r["text"]) for r in entities if r["label"] in labels}
            for group, labels in ENTITY_GROUPS.items()
        },
    }


def score(pairs) -> dict[str, Counts]:
    """(gold key sets, found key sets) per document -> micro-averaged counts per table."""
    totals = {table: Counts() for table in TABLES}
    for gold, found in pairs:
        for table in TABLES:
            totals[table].add(gold.get(table, set()), found.get(table, set()))
    return totals


def load_gold(gold_dir: Path) -> list[dict]:
    out = []
    for path in sorted(gold_dir.glob("*.yml")):
        with open(path, encoding="utf-8") as fh:
            gold = yaml.safe_load(fh)
        gold["_path"] = path
        out.append(gold)
    return out


def _stage_documents(golds: list[dict], raw_dir: Path, gold_dir: Path, stage: Path) -> None:
    """Copy every gold document into one folder with a manifest, as `extract` reads them."""
    manifest = {}
    raw_manifest = raw_dir / "manifest.csv"
    if raw_manifest.exists():
        with open(raw_manifest, encoding="utf-8-sig", newline="") as fh:
            manifest = {row["file"]: row for row in csv.DictReader(fh)}
    rows = []
    for gold in golds:
        source = gold_dir / gold["file"] if "file" in gold else raw_dir / gold["raw"]
        shutil.copyfile(source, stage / source.name)
        row = dict(manifest.get(source.name, {"file": source.name}))
        if gold.get("published"):
            row["published"] = _cell(gold["published"])
        rows.append({k: row.get(k, "") for k in ("file", "published", "source_url", "title")})
    with open(stage / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["file", "published", "source_url", "title"])
        writer.writeheader()
        writer.writerows(rows)


def run_eval(raw_dir: Path, gold_dir: Path, settings: Settings, verbose: bool = False, out=sys.stdout) -> dict[str, Counts]:
    from pipeline.run import run_extract

    golds = load_gold(gold_dir)
    with tempfile.TemporaryDirectory(prefix="press-eval-") as tmp:
        stage, tables_dir = Path(tmp) / "raw", Path(tmp) / "out"
        stage.mkdir()
        _stage_documents(golds, raw_dir, gold_dir, stage)
        # No cache: a score must come from the code as it is now.
        run_extract(stage, tables_dir, settings, log=lambda *a, **k: None, use_cache=False)
        tables = {
            name: pd.read_csv(tables_dir / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
            for name in ("entities", "dates", "money", "agreements")
        }
    pairs = []
    for gold in golds:
        expected, found = gold_keys(gold), found_keys(tables, gold["doc_id"])
        pairs.append((expected, found))
        if verbose:
            for table in TABLES:
                missed, extra = expected[table] - found[table], found[table] - expected[table]
                if missed or extra:
                    print(f"{gold['doc_id']} {table}: missed {sorted(map(str, missed))} extra {sorted(map(str, extra))}", file=out)
    totals = score(pairs)
    print(format_report(totals, len(golds)), file=out)
    return totals


def format_report(totals: dict[str, Counts], n_documents: int) -> str:
    lines = [f"{n_documents} documents, micro-averaged", "",
             f"{'table':<14} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7} {'f1':>6}"]
    for table, c in totals.items():
        lines.append(f"{table:<14} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>6.3f}")
    lines.append("")
    for table, c in totals.items():
        lines.append(f"table={table} precision={c.precision:.3f} recall={c.recall:.3f} f1={c.f1:.3f}")
    return "\n".join(lines)
