"""The tables as one Excel workbook (outputs/extractions.xlsx), byte for byte the same on
every run with the same inputs.

One sheet per table of pipeline.schema.TABLES, header row frozen, filters on, column widths
from the data; numbers as number cells, full ISO dates as date cells, everything else text.
XlsxWriter in constant-memory mode streams each sheet's rows to disk, so a large corpus does
not sit in memory. (It replaced openpyxl's write-only mode, which took 1.7 times as long and was
the slowest part of building the outputs.) Input: the typed, sorted records
write.table_records makes for the CSVs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import xlsxwriter

from pipeline.schema import TABLES, Column, Table
from pipeline.write import FORMULA_PREFIXES

FILE_NAME = "extractions.xlsx"

# A fixed instant for docProps/core.xml (created/modified): with XlsxWriter's own fixed zip
# entry times, the workbook's bytes then depend on the tables only.
FIXED_TIME = dt.datetime(1980, 1, 1, 0, 0, 0)
# Characters an XML 1.0 document cannot hold (the C0 controls but tab, newline and return).
_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 6, 60
# Widths come from the longest of the first rows; enough to be representative, cheap on 10,000 documents.
WIDTH_SAMPLE_ROWS = 2000


def holds_dates(column: Column) -> bool:
    """Columns whose full YYYY-MM-DD values become date cells: declared dates, and the dates
    table's date_start/date_end, which mix full dates with partial ones (those stay text)."""
    return column.type == "date" or column.name.startswith("date_")


def unprotect(value: str) -> str:
    """Undo write.protect_cell: in the workbook text cells are typed as text, never formulas,
    so the apostrophe the CSV needs would only show."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _display(value) -> str:
    """A cell's value as text; a missing value (None, NaN) is empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _date_or_text(value: str):
    if _FULL_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # "2024-02-30" stays as written
    return value


def column_widths(table: Table, records: list[list]) -> list[float]:
    widths = []
    sample = records[:WIDTH_SAMPLE_ROWS]
    for i, column in enumerate(table.columns):
        longest = len(column.name) + 3  # room for the filter button
        longest = max([longest, *(len(_display(r[i])) for r in sample)])
        widths.append(float(min(max(longest + 1, MIN_WIDTH), MAX_WIDTH)))
    return widths


def _kinds(table: Table) -> list[str]:
    kinds = []
    for column in table.columns:
        if column.type in ("integer", "year", "number"):
            kinds.append("number")
        elif holds_dates(column):
            kinds.append("date")
        else:
            kinds.append("text")
    return kinds


def write_workbook(path: Path, records: dict[str, list[list]]) -> None:
    """records: table name -> write.table_records of its rows (what its CSV holds)."""
    book = WorkbookWriter(path)
    for table in TABLES:
        book.add(table.name, records.get(table.name, []))
    book.close()


class WorkbookWriter:
    """The workbook written as records arrive, in any order of tables (pipeline.assemble feeds
    it one document at a time). Each sheet keeps its first WIDTH_SAMPLE_ROWS records to set the
    column widths at the end."""

    def __init__(self, path: Path):
        self.path = path
        self.book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True,
            # every text cell stays text: no formulas, numbers or links made from strings
            "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
        })
        self.book.set_properties({"author": "press-release-pipeline", "created": FIXED_TIME})
        self.bold = self.book.add_format({"bold": True})
        self.date_format = self.book.add_format({"num_format": DATE_FORMAT})
        self.tables = {t.name: t for t in TABLES}
        self.sheets = {}
        for table in TABLES:
            sheet = self.book.add_worksheet(table.name[:31])
            sheet.freeze_panes(1, 0)
            sheet.write_row(0, 0, table.column_names, self.bold)
            self.sheets[table.name] = sheet
        self.kinds = {t.name: _kinds(t) for t in TABLES}
        self.samples: dict[str, list[list]] = {t.name: [] for t in TABLES}
        self.counts = {t.name: 0 for t in TABLES}

    def add(self, table_name: str, records: list[list]) -> None:
        sample = self.samples[table_name]
        if len(sample) < WIDTH_SAMPLE_ROWS:
            sample.extend(records[:WIDTH_SAMPLE_ROWS - len(sample)])
        sheet, kinds = self.sheets[table_name], self.kinds[table_name]
        row = self.counts[table_name]
        for values in records:
            row += 1
            for col, (kind, value) in enumerate(zip(kinds, values)):
                self._write(sheet, row, col, kind, value)
        self.counts[table_name] = row

    def _write(self, sheet, row: int, col: int, kind: str, value) -> None:
        if kind == "number":
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                number = float(value)
                sheet.write_number(row, col, int(number) if number.is_integer() else number)
            return
        text = _ILLEGAL_CHARACTERS.sub("", unprotect(_display(value)))
        if text == "":
            return
        if kind == "date":
            parsed = _date_or_text(text)
            if isinstance(parsed, dt.date):
                sheet.write_datetime(row, col, parsed, self.date_format)
                return
        sheet.write_string(row, col, text)

    def close(self) -> None:
        for table in TABLES:
            sheet = self.sheets[table.name]
            for col, width in enumerate(column_widths(table, self.samples[table.name])):
                sheet.set_column(col, col, width)
            sheet.autofilter(0, 0, max(self.counts[table.name], 1), len(table.columns) - 1)
        self.book.close()
