"""Regression snapshots of every table for each document in raw/.

A change to any extraction shows as a diff of tests/test_snapshots/<doc_id>.yml. Read it,
then regenerate with `make test ARGS="tests/test_snapshots.py --force-regen"`.
"""

import pytest

from pipeline.schema import TABLES

from conftest import RAW


DOC_IDS = sorted(p.stem for p in RAW.iterdir() if p.suffix in (".txt", ".md", ".html", ".htm"))


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_tables_snapshot(doc_id, tables, data_regression):
    snapshot = {}
    for table in TABLES:
        frame = tables[table.name]
        snapshot[table.name] = frame[frame["doc_id"] == doc_id].drop(columns=["doc_id"]).to_dict("records")
    data_regression.check(snapshot, basename=doc_id)
