"""The tables as one Excel workbook (outputs/extractions.xlsx), byte for byte the same on
every run with the same inputs.

One sheet per table of pipeline.schema.TABLES, header row frozen, filters on, column widths
from the data; numbers as number cells, full ISO dates as date cells, everything else text.
openpyxl's write-only mode streams rows to disk, so a large corpus does not sit in memory
as cell objects. Input: the typed, sorted records write.table_records makes for the CSVs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from pipeline.schema import TABLES, Column, Table
from pipeline.write import FORMULA_PREFIXES

FILE_NAME = "extractions.xlsx"

# A fixed instant for docProps/core.xml (created/modified) and for every zip entry: the
# workbook's bytes then depend on the tables only. 1980-01-01 is the zip format's epoch.
FIXED_TIME = dt.datetime(1980, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

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


def _cells(ws, table: Table, records: list[list]):
    """Rows of cell values, typed per column (plain values except where a type must be forced)."""
    kinds = []
    for column in table.columns:
        if column.type in ("integer", "year", "number"):
            kinds.append("number")
        elif holds_dates(column):
            kinds.append("date")
        else:
            kinds.append("text")
    for values in records:
        row = []
        for kind, value in zip(kinds, values):
            if kind == "number":
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    row.append(None)
                else:
                    number = float(value)
                    row.append(int(number) if number.is_integer() else number)
                continue
            text = ILLEGAL_CHARACTERS_RE.sub("", unprotect(_display(value)))
            if text == "":
                row.append(None)
                continue
            if kind == "date":
                parsed = _date_or_text(text)
                if isinstance(parsed, dt.date):
                    cell = WriteOnlyCell(ws, value=parsed)
                    cell.number_format = DATE_FORMAT
                    row.append(cell)
                    continue
            if text.startswith("="):
                # openpyxl would store it as a formula; force a text cell.
                cell = WriteOnlyCell(ws, value=text)
                cell.data_type = "s"
                row.append(cell)
            else:
                row.append(text)
        yield row


def _normalise_zip(src: Path, dst: Path) -> None:
    """Copy a zip with every entry's time set to FIXED_TIME and its order kept."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            with zin.open(info) as fin, zout.open(fixed, "w", force_zip64=True) as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)


def write_workbook(path: Path, records: dict[str, list[list]]) -> None:
    """records: table name -> write.table_records of its rows (what its CSV holds)."""
    book = WorkbookWriter(path)
    for table in TABLES:
        book.add(table.name, records.get(table.name, []))
    book.close()


class WorkbookWriter:
    """The workbook written as records arrive, in any order of tables (pipeline.assemble feeds
    it one document at a time): each sheet holds back its first WIDTH_SAMPLE_ROWS records,
    which set the column widths that openpyxl writes before the first row, then streams."""

    def __init__(self, path: Path):
        self.path = path
        self.wb = Workbook(write_only=True)
        self.wb.properties.creator = "press-release-pipeline"
        self.wb.properties.created = FIXED_TIME
        self.wb.properties.modified = FIXED_TIME
        self.tables = {t.name: t for t in TABLES}
        self.sheets = {}
        for table in TABLES:
            ws = self.wb.create_sheet(title=table.name[:31])
            ws.freeze_panes = "A2"
            self.sheets[table.name] = ws
        self.held: dict[str, list[list] | None] = {t.name: [] for t in TABLES}  # None once streaming
        self.counts = {t.name: 0 for t in TABLES}

    def add(self, table_name: str, records: list[list]) -> None:
        self.counts[table_name] += len(records)
        held = self.held[table_name]
        if held is None:
            self._append(table_name, records)
            return
        held.extend(records)
        if len(held) >= WIDTH_SAMPLE_ROWS:
            self._start(table_name)

    def _start(self, table_name: str) -> None:
        table, ws, rows = self.tables[table_name], self.sheets[table_name], self.held[table_name]
        for i, width in enumerate(column_widths(table, rows), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        header = []
        for name in table.column_names:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        self.held[table_name] = None
        self._append(table_name, rows)

    def _append(self, table_name: str, records: list[list]) -> None:
        ws = self.sheets[table_name]
        for row in _cells(ws, self.tables[table_name], records):
            ws.append(row)

    def close(self) -> None:
        for table in TABLES:
            if self.held[table.name] is not None:
                self._start(table.name)
            last = get_column_letter(len(table.columns))
            self.sheets[table.name].auto_filter.ref = f"A1:{last}{max(self.counts[table.name], 1) + 1}"
        with tempfile.TemporaryDirectory(dir=self.path.parent, prefix=".xlsx-") as tmp:
            raw = Path(tmp) / "raw.xlsx"
            # ExcelWriter directly rather than Workbook.save, which stamps "modified" with the clock.
            # Stored, not deflated: _normalise_zip compresses every entry once when it copies them.
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                ExcelWriter(self.wb, archive).save()
            _normalise_zip(raw, self.path)
