"""outputs/datapackage.json: a Frictionless Data Package (https://specs.frictionlessdata.io/)
describing every CSV, generated from pipeline.schema.TABLES, the single declaration of the
columns. Tools such as `frictionless validate outputs/datapackage.json` check the tables
against it; nothing here is written by hand per table.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import __version__
from pipeline.schema import TABLES, Column, Table

FILE_NAME = "datapackage.json"
PACKAGE_NAME = "press-release-extractions"
PACKAGE_TITLE = "Extractions from press releases"
PACKAGE_DESCRIPTION = (
    "People, organisations, places, dates, amounts of money and agreement periods found in "
    "press releases, one CSV per table. Offsets count characters of each document's cleaned body."
)
# write.frame_to_csv starts every CSV with a byte-order mark for Excel; utf-8-sig tells
# readers to drop it instead of reading it into the first column's name.
CSV_ENCODING = "utf-8-sig"


def field_descriptor(column: Column) -> dict:
    field = {"name": column.name, "type": column.type, "description": column.description}
    if column.required:
        field["constraints"] = {"required": True}
    return field


def resource_descriptor(table: Table) -> dict:
    schema: dict = {
        "fields": [field_descriptor(c) for c in table.columns],
        # An empty cell is a missing value (write.py writes no "NA" or "null").
        "missingValues": [""],
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": other, "fields": [other_column]}}
            for column, other, other_column in table.foreign_keys
        ]
    return {
        "name": table.name,
        "path": table.file_name,
        "profile": "tabular-data-resource",
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": CSV_ENCODING,
        "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
        "schema": schema,
    }


def package_descriptor() -> dict:
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": PACKAGE_DESCRIPTION,
        "version": __version__,
        "resources": [resource_descriptor(t) for t in TABLES],
    }


def package_json() -> bytes:
    """The descriptor as stable JSON (keys in declaration order, one trailing newline)."""
    return (json.dumps(package_descriptor(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_package(path: Path) -> None:
    path.write_bytes(package_json())
