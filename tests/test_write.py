"""The writer: spreadsheet-safe cells, the same bytes as pandas would write, and all-or-nothing
replacement of the output set (an interrupted write leaves the previous complete set)."""

import io
import os

import pandas as pd
import pytest

from pipeline import write
from pipeline.schema import TABLES_BY_NAME
from pipeline.write import COMPLETE_MARKER, STAGING_PREFIX, protect_cell, recover_staging, replace_files, table_csv, write_tables

DOCS = TABLES_BY_NAME["documents"]
MONEY = TABLES_BY_NAME["money"]


def document(doc_id, **values):
    return {"doc_id": doc_id, "source_file": f"{doc_id}.txt", "sha256": "0" * 64, "published_from": "none",
            "n_words": 3, "status": "ok", **values}


# --- CSV injection ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1 555 0100", "-2+3", "@SUM(A1)", "\tindented", "\rreturn"])
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(value):
    assert protect_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Hanoi", "", "3 million USD", "'quoted", " =not first", "2022-2025"])
def test_other_cells_are_left_alone(value):
    assert protect_cell(value) == value


def test_the_csv_holds_the_protected_cell_and_numbers_stay_numbers():
    rows = [{"doc_id": "a", "text": "-5 USD", "amount": -5, "currency": "USD", "start_char": 0, "end_char": 6, "context": "=cmd|' /C calc'!A0"}]
    text = table_csv(MONEY, rows).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("a,'-5 USD,-5,")
    assert "'=cmd|' /C calc'!A0" in text


# --- bytes ---------------------------------------------------------------------------------------

TRICKY = [
    document("b", title='He said "yes", then left', author="Đinh Tiến Dũng"),
    document("a", title="line one\nline two", source="x\ry", n_words=None),
    document("c", title=None, error="", source_url="https://example.org/a,b"),
]


def test_same_bytes_as_pandas_would_write():
    # The contract the CSVs had when pandas wrote them: the module now uses csv.writer directly.
    frame = write.table_frame(DOCS, TRICKY)
    expected = ("\ufeff" + frame.to_csv(index=False, lineterminator="\n")).encode("utf-8")
    assert table_csv(DOCS, TRICKY) == expected


def test_money_amounts_are_plain_digits():
    rows = [{"doc_id": "a", "text": t, "amount": v, "currency": "USD", "start_char": i, "end_char": i + 1, "context": ""}
            for i, (t, v) in enumerate([("3 million", 3e6), ("2.5", 2.5), ("1 trillion", 10**12), ("none", None)])]
    lines = table_csv(MONEY, rows).decode("utf-8-sig").splitlines()[1:]
    assert [line.split(",")[2] for line in lines] == ["3000000", "2.5", "1000000000000", ""]


def test_row_order_never_depends_on_input_order():
    assert table_csv(DOCS, TRICKY) == table_csv(DOCS, list(reversed(TRICKY)))
    written = pd.read_csv(io.BytesIO(table_csv(DOCS, TRICKY)), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(written.doc_id) == ["a", "b", "c"]


def test_a_carriage_return_inside_a_cell_becomes_a_line_feed():
    # Python 3.11's csv module does not quote a lone \r, which readers take as a line end.
    lines = table_csv(DOCS, [document("a", title="one\rtwo\r\nthree")]).decode("utf-8-sig").split("\n")
    assert lines[1].endswith(',"one') and lines[2] == "two" and lines[3].startswith("three\",")


def test_the_frame_for_other_writers_has_the_declared_types():
    frame = write.table_frame(DOCS, TRICKY)
    assert list(frame.columns) == DOCS.column_names
    assert str(frame["n_words"].dtype) == "Int64" and pd.isna(frame["n_words"][0])


# --- all or nothing ------------------------------------------------------------------------------

@pytest.fixture
def previous_set(tmp_path):
    out = tmp_path / "out"
    write_tables(out, {"documents": [document("old")]})
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


def current(out):
    return {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}


def no_staging_left(out):
    return not list(out.glob(STAGING_PREFIX + "*"))


def test_a_failure_while_writing_the_csvs_leaves_the_previous_set(previous_set, monkeypatch):
    out, before = previous_set
    calls = []

    def failing(table, records):
        calls.append(table.name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(table, records)

    real = write.records_to_csv
    monkeypatch.setattr(write, "records_to_csv", failing)
    with pytest.raises(OSError):
        write_tables(out, {"documents": [document("new")]})
    assert current(out) == before and no_staging_left(out)


MENTION = {"doc_id": "new", "text": "5 USD", "start_char": 0, "end_char": 5, "context": "5 USD"}
NEW_MENTIONS = {
    "money": [{**MENTION, "amount": 5, "currency": "USD"}],
    "dates": [{**MENTION, "date_start": "2024", "date_end": "2024", "granularity": "year"}],
    "entities": [{**MENTION, "label": "ORG", "canonical": "5 USD"}],
}


@pytest.mark.parametrize("error", [OSError(5, "Input/output error"), KeyboardInterrupt()])
def test_a_failure_or_ctrl_c_while_swapping_puts_the_previous_files_back(previous_set, monkeypatch, error):
    out, before = previous_set
    real = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # two tables already swapped in
            raise error
        return real(src, dst)

    monkeypatch.setattr(write.os, "replace", failing)
    with pytest.raises(type(error)):
        write_tables(out, {"documents": [document("new")], **NEW_MENTIONS})
    monkeypatch.setattr(write.os, "replace", real)
    assert len(calls) > 3  # three swaps tried, then the two done were rolled back
    assert current(out) == before and no_staging_left(out)


def test_a_failing_extra_file_writer_leaves_the_previous_set(previous_set):
    out, before = previous_set

    def broken_workbook(path):
        path.write_bytes(b"half")
        raise RuntimeError("writer bug")

    with pytest.raises(RuntimeError):
        write_tables(out, {"documents": [document("new")]}, extra_files={"book.xlsx": broken_workbook})
    assert current(out) == before and not (out / "book.xlsx").exists()


def test_a_complete_set_a_killed_run_left_is_swapped_in_and_a_partial_one_removed(previous_set):
    out, before = previous_set
    complete = out / (STAGING_PREFIX + "killed")
    complete.mkdir()
    (complete / "documents.csv").write_bytes(b"new documents")
    (complete / COMPLETE_MARKER).write_text("entities.csv\ndocuments.csv\n")  # entities.csv already moved
    partial = out / (STAGING_PREFIX + "partial")
    partial.mkdir()
    (partial / "dates.csv").write_bytes(b"half")
    recover_staging(out)
    assert (out / "documents.csv").read_bytes() == b"new documents"
    assert (out / "dates.csv").read_bytes() == before["dates.csv"]
    assert no_staging_left(out)


def test_unchanged_files_are_not_rewritten(previous_set):
    out, before = previous_set
    stamp = (out / "documents.csv").stat().st_mtime_ns
    assert replace_files(out, before) == []
    assert (out / "documents.csv").stat().st_mtime_ns == stamp
    assert replace_files(out, {**before, "documents.csv": b"changed"}) == ["documents.csv"]


def test_names_outside_the_folder_are_refused(tmp_path):
    with pytest.raises(ValueError):
        replace_files(tmp_path, {"../escape.csv": b"x"})
    assert not (tmp_path.parent / "escape.csv").exists()


# --- exit codes ------------------------------------------------------------------------------------

@pytest.mark.parametrize("error,code,message", [
    (KeyboardInterrupt(), 130, "complete set of the last run that finished writing"),
    (OSError(28, "No space left on device"), 3, "No space left on device"),
])
def test_interrupted_or_failed_runs_exit_with_their_documented_code(tmp_path, monkeypatch, capsys, error, code, message):
    from pipeline import cli, run

    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(run, "run_extract", failing)
    assert cli.main(["extract", "--raw", str(tmp_path), "--out", str(tmp_path / "out")]) == code
    assert message in capsys.readouterr().err


def test_an_output_folder_that_is_a_file_exits_3_without_a_traceback(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "empty.txt").write_bytes(b"")
    (tmp_path / "out").write_text("not a folder")
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 3 and "could not be written" in result.stderr and "Traceback" not in result.stderr
