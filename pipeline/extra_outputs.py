"""The outputs beside the CSVs, made from the same rows: the Excel workbook, the Frictionless
data package and the HTML report.

For rows held in memory: `extra_output_files(rows, bodies)` goes to write.write_tables, which
stages them with the CSVs and swaps the whole set in at once. (The extract command streams the
same files from its per-document entries instead: pipeline.assemble.) Each entry is a function that writes its file at
the path it is given; the records they share (write.table_records: typed, sorted, the CSV's
cells) are made once, on first use. No pandas: it would cost a copy of every row and its import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

from pipeline import datapackage, report, xlsx
from pipeline.schema import TABLES
from pipeline.write import replace_files, table_records

FILE_NAMES = (xlsx.FILE_NAME, datapackage.FILE_NAME, report.FILE_NAME)


def tables_records(rows_by_table: dict[str, list[dict]]) -> dict[str, list[list]]:
    """The records the CSVs are written from (same columns, types, order and cell protection)."""
    return {t.name: table_records(t, rows_by_table.get(t.name, [])) for t in TABLES}


def extra_output_files(rows_by_table: dict[str, list[dict]], bodies: Mapping[str, str]) -> dict[str, Callable[[Path], None]]:
    """File name -> writer, for extractions.xlsx, datapackage.json and report.html.

    bodies maps doc_id to the cleaned body that the offsets count in (the report shows it).
    """
    records = cache(lambda: tables_records(rows_by_table))
    return {
        xlsx.FILE_NAME: lambda path: xlsx.write_workbook(path, records()),
        datapackage.FILE_NAME: datapackage.write_package,
        report.FILE_NAME: lambda path: report.write_report(path, records(), bodies),
    }


def write_extra_outputs(out_dir: Path, rows_by_table: dict[str, list[dict]], bodies: Mapping[str, str]) -> list[Path]:
    """Write the three files into out_dir, all or none (write.replace_files stages them and
    swaps them in; a file whose bytes would not change is left alone); returns their paths."""
    replace_files(out_dir, extra_output_files(rows_by_table, bodies))
    return [out_dir / name for name in FILE_NAMES]
