"""Regression snapshots of every table for each document in raw/.

A change to any extraction shows as a diff of tests/test_snapshots/<doc_id>.yml (and
entity_index.yml for the cross-document index). Read the diff, then regenerate with
`make test ARGS="tests/test_snapshots.py --force-regen"` and commit it with the change.
"""

import pytest

from pipeline.schema import TABLES

from conftest import RAW

DOC_IDS = sorted(p.stem for p in RAW.iterdir() if p.suffix in (".txt", ".md", ".html", ".htm"))
PER_DOCUMENT = [t for t in TABLES if "doc_id" in t.column_names]
ACROSS_DOCUMENTS = [t for t in TABLES if "doc_id" not in t.column_names]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_tables_snapshot(doc_id, tables, data_regression):
    snapshot = {}
    for table in PER_DOCUMENT:
        frame = tables[table.name]
        snapshot[table.name] = frame[frame["doc_id"] == doc_id].drop(columns=["doc_id"]).to_dict("records")
    data_regression.check(snapshot, basename=doc_id)


@pytest.mark.parametrize("table", ACROSS_DOCUMENTS, ids=lambda t: t.name)
def test_cross_document_table_snapshot(table, tables, data_regression):
    data_regression.check({table.name: tables[table.name].to_dict("records")}, basename=table.name)
