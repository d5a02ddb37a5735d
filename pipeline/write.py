"""The output side: tables written as spreadsheet-safe UTF-8 CSV, all or nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from pipeline.schema import TABLES, Table

# OWASP's advice on CSV injection: a cell that starts with one of these is run as a
# formula by Excel and LibreOffice. A leading apostrophe makes both show it as text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def protect_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def table_frame(table: Table, rows: list[dict]) -> pd.DataFrame:
    """Rows as a frame with the declared columns, in the declared order, sorted stably."""
    frame = pd.DataFrame(rows, columns=table.column_names)
    for column in table.columns:
        series = frame[column.name]
        if column.type in ("integer", "year"):
            frame[column.name] = pd.array(pd.to_numeric(series, errors="coerce"), dtype="Int64")
        elif column.type == "number":
            frame[column.name] = pd.to_numeric(series, errors="coerce")
        else:
            frame[column.name] = series.fillna("").astype(str).map(protect_cell)
    if len(frame):
        frame = frame.sort_values(list(table.sort_by), kind="stable").reset_index(drop=True)
    return frame


def format_number(value: float) -> str:
    """Plain digits, no exponent and no thousands separator: 3000000, 2.5."""
    if pd.isna(value):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def frame_to_csv(table: Table, frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    for column in table.columns:
        if column.type == "number":
            out[column.name] = out[column.name].map(format_number)
    text = out.to_csv(index=False, lineterminator="\n")
    # The BOM makes Excel read the file as UTF-8 (Đinh Tiến Dũng, not mojibake).
    return ("\ufeff" + text).encode("utf-8")


def write_tables(out_dir: Path, rows_by_table: dict[str, list[dict]]) -> dict[str, int]:
    """Write every declared table; either all files are replaced or none is.

    All files are written in full to a temporary folder beside out_dir first; only then
    are they moved into place with os.replace, which is atomic per file. A crash while
    writing leaves the previous set untouched.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".staging-") as tmp:
        for table in TABLES:
            frame = table_frame(table, rows_by_table.get(table.name, []))
            counts[table.name] = len(frame)
            path = Path(tmp) / table.file_name
            with open(path, "wb") as fh:
                fh.write(frame_to_csv(table, frame))
                fh.flush()
                os.fsync(fh.fileno())
            staged.append((path, out_dir / table.file_name))
        for src, dst in staged:
            os.replace(src, dst)
    return counts
