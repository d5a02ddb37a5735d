"""The output side: tables written as spreadsheet-safe UTF-8 CSV, all or nothing.

CSV is written with the standard library's csv module rather than pandas: the bytes are the
same (pandas writes through csv.writer too) and a rerun that changes nothing never pays for
importing pandas.
"""

from __future__ import annotations

import csv
import io
import math
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from pipeline.schema import TABLES, Table

# OWASP's advice on CSV injection: a cell that starts with one of these is run as a
# formula by Excel and LibreOffice. A leading apostrophe makes both show it as text.
# Only text columns get it; the offsets stay true for the body (body[start:end] is the
# text without the apostrophe), which the README states.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

STAGING_PREFIX = ".staging-"
# Written last into a staging folder: its presence says the staged set is complete, so a
# run that finds such a folder left by a killed run finishes the swap (see recover_staging).
COMPLETE_MARKER = ".complete"

# A staged file: its bytes, or a function that writes the file at the path it is given.
FileContent = bytes | Callable[[Path], None]


def protect_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _as_int(value) -> int | None:
    number = _as_number(value)
    if isinstance(number, float):
        return int(number) if number.is_integer() else None
    return number


def _as_number(value) -> int | float | None:
    if value is None or isinstance(value, bool):
        return int(value) if isinstance(value, bool) else None
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _as_text(value) -> str:
    """The cell's text, spreadsheet-safe; line breaks as \n (Python 3.11's csv module does not
    quote a lone \r, which readers would take for the end of the row)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return protect_cell(str(value)).replace("\r\n", "\n").replace("\r", "\n")


_CONVERTERS = {"integer": _as_int, "year": _as_int, "number": _as_number}


def table_records(table: Table, rows: list[dict]) -> list[list]:
    """Rows as lists of typed cells in the declared column order, sorted stably by the
    table's sort columns (empty values last). Text cells are already spreadsheet-safe."""
    converters = [_CONVERTERS.get(c.type, _as_text) for c in table.columns]
    names = table.column_names
    records = [[convert(row.get(name)) for convert, name in zip(converters, names)] for row in rows]
    positions = [names.index(name) for name in table.sort_by]
    records.sort(key=lambda r: tuple((r[i] is None, r[i] if r[i] is not None else 0) for i in positions))
    return records


def table_frame(table: Table, rows: list[dict]):
    """The same records as a pandas DataFrame (Int64 for integer columns), for writers of
    other formats; pandas is imported only here."""
    import pandas as pd

    frame = pd.DataFrame(table_records(table, rows), columns=table.column_names)
    for column in table.columns:
        if column.type in ("integer", "year"):
            frame[column.name] = pd.array(frame[column.name], dtype="Int64")
        elif column.type == "number":
            frame[column.name] = pd.to_numeric(frame[column.name], errors="coerce")
    return frame


def format_number(value) -> str:
    """Plain digits, no exponent and no thousands separator: 3000000, 2.5."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, int):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


class CsvTableWriter:
    """A table's CSV written record by record to a text stream (open it with encoding="utf-8"
    and newline=""): header first, then `write(records)` as often as needed."""

    def __init__(self, table: Table, stream):
        self.formats = [format_number if c.type == "number" else (lambda v: "" if v is None else str(v)) for c in table.columns]
        self.writer = csv.writer(stream, lineterminator="\n")
        # The BOM makes Excel read the file as UTF-8 (Đinh Tiến Dũng, not mojibake).
        stream.write("\ufeff")
        self.writer.writerow(table.column_names)

    def write(self, records: list[list]) -> None:
        formats = self.formats
        self.writer.writerows([fmt(value) for fmt, value in zip(formats, record)] for record in records)


def records_to_csv(table: Table, records: list[list]) -> bytes:
    buffer = io.StringIO()
    CsvTableWriter(table, buffer).write(records)
    return buffer.getvalue().encode("utf-8")


def table_csv(table: Table, rows: list[dict]) -> bytes:
    return records_to_csv(table, table_records(table, rows))


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM while files are swapped in; deliver them afterwards.
    Signal handlers can only be set from the main thread; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[tuple[int, object]] = []
    previous = {sig: signal.signal(sig, lambda s, f: received.append((s, f))) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig, _frame in received[:1]:
            os.kill(os.getpid(), sig)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def recover_staging(out_dir: Path) -> None:
    """Deal with staging folders a killed run left in out_dir: a complete one is swapped in
    (its run got as far as swapping, so out_dir may hold part of its set); any other is removed."""
    if not out_dir.is_dir():
        return
    for folder in sorted(out_dir.glob(STAGING_PREFIX + "*")):
        if not folder.is_dir():
            continue
        marker = folder / COMPLETE_MARKER
        if marker.exists():
            for name in marker.read_text(encoding="utf-8").splitlines():
                staged = folder / name
                if name and staged.exists():
                    os.replace(staged, out_dir / name)
            _fsync_dir(out_dir)
        shutil.rmtree(folder, ignore_errors=True)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _same_file(path: Path, staged: Path, chunk: int = 1 << 20) -> bool:
    """Whether two files hold the same bytes, read a chunk at a time (a report of 10,000
    documents is hundreds of MB: never both in memory)."""
    try:
        if path.stat().st_size != staged.stat().st_size:
            return False
        with open(path, "rb") as old, open(staged, "rb") as new:
            while True:
                a, b = old.read(chunk), new.read(chunk)
                if a != b:
                    return False
                if not a:
                    return True
    except OSError:
        return False


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _keep_if_changed(staged: Path, current: Path) -> bool:
    """Keep a staged file (flushed to disk) when it differs from the current one; drop it when
    the bytes are the same, so that an unchanged output is never rewritten."""
    if _same_file(current, staged):
        staged.unlink()
        return False
    _fsync_file(staged)
    return True


def replace_files(out_dir: Path, files: Mapping[str, FileContent],
                  write_together: Callable[[Path], list[str]] | None = None) -> list[str]:
    """Put every named file into out_dir, all or none; return the names actually rewritten.

    write_together, when given, writes several files into the folder it is given in one go
    (pipeline.assemble streams every output from one pass over the documents) and returns
    their names; they are swapped in with the others.

    The files are written in full to a staging folder inside out_dir (same file system),
    flushed to disk, and only then moved over the old ones with os.replace. A failure or
    Ctrl-C while staging leaves the old set untouched; a failure while swapping puts the old
    files back; a killed process leaves a complete staging folder that the next run swaps
    in. Files whose bytes would not change are left alone (and keep their time stamps).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    recover_staging(out_dir)
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=STAGING_PREFIX))
    try:
        changed: list[str] = []
        for name, content in files.items():
            if Path(name).name != name:
                raise ValueError(f"not a plain file name: {name}")
            path = staging / name
            if isinstance(content, bytes):
                if _same_bytes(out_dir / name, content):
                    continue
                path.write_bytes(content)
                _fsync_file(path)
                changed.append(name)
            else:
                content(path)
                if _keep_if_changed(path, out_dir / name):
                    changed.append(name)
        for name in (write_together(staging) if write_together else []):
            if Path(name).name != name or name in files:
                raise ValueError(f"not a plain file name, or written twice: {name}")
            if _keep_if_changed(staging / name, out_dir / name):
                changed.append(name)
        if not changed:
            return []
        (staging / COMPLETE_MARKER).write_text("\n".join(changed) + "\n", encoding="utf-8")
        _fsync_dir(staging)
        _swap_in(staging, out_dir, changed)
        return changed
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, out_dir: Path, names: list[str]) -> None:
    backup = staging / ".previous"
    backup.mkdir()
    for name in names:
        if (out_dir / name).exists():
            try:
                os.link(out_dir / name, backup / name)
            except OSError:  # file systems without hard links
                shutil.copy2(out_dir / name, backup / name)
    done: list[str] = []
    with _interrupts_deferred():
        try:
            for name in names:
                os.replace(staging / name, out_dir / name)
                done.append(name)
        except BaseException:
            for name in done:  # roll back: the previous set, as it was
                if (backup / name).exists():
                    os.replace(backup / name, out_dir / name)
                else:
                    (out_dir / name).unlink(missing_ok=True)
            (staging / COMPLETE_MARKER).unlink(missing_ok=True)
            raise
        _fsync_dir(out_dir)


def table_files(rows_by_table: dict[str, list[dict]]) -> tuple[dict[str, bytes], dict[str, int]]:
    """The CSV bytes of every declared table by file name, and the number of rows of each."""
    files: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for table in TABLES:
        records = table_records(table, rows_by_table.get(table.name, []))
        counts[table.name] = len(records)
        files[table.file_name] = records_to_csv(table, records)
    return files, counts


def write_tables(out_dir: Path, rows_by_table: dict[str, list[dict]], extra_files: Mapping[str, FileContent] | None = None) -> dict[str, int]:
    """Write every declared table (and any extra output files); either all are replaced or none is.

    Returns the number of rows of each table.
    """
    files, counts = table_files(rows_by_table)
    replace_files(out_dir, {**files, **(extra_files or {})})
    return counts
