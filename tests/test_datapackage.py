"""datapackage.json: generated from pipeline.schema, and valid for the real CSVs (frictionless)."""

import json
import shutil

import pytest
from frictionless import validate

from pipeline.datapackage import FILE_NAME, package_descriptor, package_json
from pipeline.schema import TABLES


def test_every_table_and_column_is_described():
    descriptor = package_descriptor()
    assert [r["name"] for r in descriptor["resources"]] == [t.name for t in TABLES]
    for resource, table in zip(descriptor["resources"], TABLES):
        assert resource["path"] == table.file_name
        assert resource["encoding"] == "utf-8-sig"
        assert resource["description"] == table.description
        fields = resource["schema"]["fields"]
        assert [(f["name"], f["type"], f["description"]) for f in fields] == [(c.name, c.type, c.description) for c in table.columns]
        assert [f["name"] for f in fields if f.get("constraints", {}).get("required")] == [c.name for c in table.columns if c.required]
        assert resource["schema"].get("primaryKey", []) == list(table.primary_key)
        keys = resource["schema"].get("foreignKeys", [])
        assert [(k["fields"][0], k["reference"]["resource"], k["reference"]["fields"][0]) for k in keys] == list(table.foreign_keys)


def test_mention_tables_point_at_documents():
    resources = {r["name"]: r for r in package_descriptor()["resources"]}
    assert resources["documents"]["schema"]["primaryKey"] == ["doc_id"]
    for name in ("entities", "dates", "money", "agreements"):
        references = [k["reference"] for k in resources[name]["schema"]["foreignKeys"]]
        assert {"resource": "documents", "fields": ["doc_id"]} in references


def test_the_json_is_stable():
    assert package_json() == package_json()
    assert json.loads(package_json()) == package_descriptor()


@pytest.fixture()
def extraction_copy(raw_extraction, tmp_path):
    folder = tmp_path / "outputs"
    shutil.copytree(raw_extraction, folder, ignore=shutil.ignore_patterns(".*"))
    return folder


def test_the_run_writes_the_package(raw_extraction):
    assert (raw_extraction / FILE_NAME).read_bytes() == package_json()


def test_the_real_tables_are_valid(extraction_copy):
    report = validate(str(extraction_copy / FILE_NAME))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:20]


def test_a_broken_table_is_caught(extraction_copy):
    """The validation can fail: an entity row of a document that does not exist, and an
    offset that is not a number."""
    path = extraction_copy / "entities.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = [""] * len(header)
    values = {"doc_id": "no_such_document", "label": "ORG", "text": "X", "canonical": "X",
              "start_char": "twelve", "end_char": "13", "context": "X"}
    for name, value in values.items():
        if name in header:
            cells[header.index(name)] = value
    for i, name in enumerate(header):
        if not cells[i]:
            cells[i] = "1" if name.endswith("_char") else "x"
    path.write_text("\ufeff" + "\n".join(lines + [",".join(cells)]) + "\n", encoding="utf-8")
    report = validate(str(extraction_copy / FILE_NAME))
    assert not report.valid
    types = {error[1] for error in report.flatten(["taskName", "type"])}
    assert "type-error" in types
    assert "foreign-key" in types
