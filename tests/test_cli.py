"""The CLI end to end, on a temporary folder."""

import subprocess
import sys

from pipeline.cli import build_parser
from pipeline.schema import TABLES

from conftest import ROOT, read_table


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True)


def test_extract_on_a_temporary_folder(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    (raw / "visit.txt").write_text(
        "Hanoi leaders visit Vientiane\n"
        "Publish date 05/06/2024 | 09:00 AM\n\n"
        "Secretary of the Hanoi Party Committee Dinh Tien Dung visited Vientiane on June 4, 2024.\n\n"
        "Minh Anh\n",
        encoding="utf-8",
    )
    (raw / "notes.pdf").write_bytes(b"%PDF-1.4 not read")
    out = tmp_path / "out"
    result = run_cli("extract", "--raw", str(raw), "--out", str(out))
    assert result.returncode == 0, result.stderr
    for table in TABLES:
        assert (out / table.file_name).read_bytes().startswith(b"\xef\xbb\xbf")
    documents = read_table(out, "documents")
    by_file = {row["source_file"]: row for row in documents.to_dict("records")}
    # A type the pipeline does not read is reported, not skipped silently.
    assert by_file["notes.pdf"]["status"] == "error" and "not a type the pipeline reads" in by_file["notes.pdf"]["error"]
    assert by_file["visit.txt"] | {"sha256": ""} == {
        "doc_id": "visit",
        "source_file": "visit.txt",
        "sha256": "",
        "title": "Hanoi leaders visit Vientiane",
        "published": "2024-06-05",
        "published_from": "header",
        "dateline_place": "",
        "author": "Minh Anh",
        "source": "",
        "source_url": "",
        "n_words": "15",
        "status": "ok",
        "error": "",
    }
    entities = read_table(out, "entities")
    assert "Dinh Tien Dung" in set(entities[entities.label == "PERSON"].text)


def test_missing_raw_folder_is_a_clear_error(tmp_path):
    result = run_cli("extract", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_model_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("Hanoi hosts a forum.", encoding="utf-8")
    result = run_cli("extract", "--raw", str(tmp_path), "--out", str(tmp_path / "out"), "--model", "no_such_model_xyz")
    assert result.returncode == 2
    assert "no_such_model_xyz" in result.stderr and "Traceback" not in result.stderr


def test_every_option_is_documented_in_help():
    parser = build_parser()
    for action in parser._subparsers._group_actions[0].choices["extract"]._actions:
        assert action.help, f"option {action.option_strings} has no help text"
    result = run_cli("extract", "--help")
    for option in ("--raw", "--out", "--model", "--strict", "--workers", "--month-first"):
        assert option in result.stdout
