"""Reruns: only new or changed files are processed, the model is loaded only when one is, and
the tables are the same bytes whatever the cache held, the order of files on disk or the
number of processes."""

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from pipeline import annotate, cache
from pipeline.run import run_extract
from pipeline.schema import TABLES
from pipeline.settings import Settings

from conftest import ROOT

STORIES = {
    f"{i:03d}_story.txt": (
        f"Vientiane hosts forum number {i}\n\n"
        f"VIENTIANE — Lao and Vietnamese officials met on March {i + 1}, 2024 to discuss a plan worth {i + 2} million USD.\n\n"
        "Deputy Minister Phan Van Mai said the 2024 - 2026 programme would continue.\n"
    )
    for i in range(3)
}


@pytest.fixture
def model_loads(monkeypatch, nlp):
    """Counts model loads; hands out the session's model instead of loading it again."""
    loads = []

    def counted(settings):
        loads.append(settings)
        return nlp

    monkeypatch.setattr(annotate, "build_nlp", counted)
    return loads


@pytest.fixture
def workspace(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in STORIES.items():
        (raw / name).write_text(text, encoding="utf-8")
    return raw, tmp_path / "out"


def extract(raw, out, settings=None, **options):
    return run_extract(raw, out, settings or Settings(), log=lambda *a, **k: None, **options)


def table_bytes(out):
    return {t.file_name: (out / t.file_name).read_bytes() for t in TABLES}


def counts(summary):
    return summary.n_new, summary.n_cached, summary.n_failed, summary.n_removed


def test_a_rerun_processes_only_the_new_file_and_drops_a_removed_one(workspace, model_loads):
    raw, out = workspace
    assert counts(extract(raw, out)) == (3, 0, 0, 0)
    assert counts(extract(raw, out)) == (0, 3, 0, 0) and len(model_loads) == 1
    (raw / "100_new.txt").write_text("Hanoi opens a library\n\nHANOI — The city opened a library on May 2, 2024.\n", encoding="utf-8")
    assert counts(extract(raw, out)) == (1, 3, 0, 0) and len(model_loads) == 2
    (raw / "000_story.txt").unlink()
    summary = extract(raw, out)
    assert counts(summary) == (0, 3, 0, 1) and len(model_loads) == 2
    for table in TABLES:
        assert b"000_story" not in (out / table.file_name).read_bytes()


def test_a_changed_file_or_manifest_row_is_processed_again(workspace, model_loads):
    raw, out = workspace
    extract(raw, out)
    (raw / "001_story.txt").write_text(STORIES["001_story.txt"] + "\nMore text.\n", encoding="utf-8")
    assert counts(extract(raw, out)) == (1, 2, 0, 0)
    (raw / "manifest.csv").write_text("file,published,source_url,title\n002_story.txt,2024-04-01,,\n", encoding="utf-8")
    assert counts(extract(raw, out)) == (1, 2, 0, 0)


def test_a_change_of_settings_model_version_or_code_reprocesses_everything(workspace, model_loads, monkeypatch):
    raw, out = workspace
    extract(raw, out)
    assert counts(extract(raw, out, Settings(day_first=False))) == (3, 0, 0, 0)
    assert counts(extract(raw, out, replace(Settings(), workers=1, batch_size=7))) == (0, 3, 0, 0)  # not in the fingerprint
    monkeypatch.setattr(cache, "model_version", lambda model: "9.9.9")
    assert counts(extract(raw, out)) == (3, 0, 0, 0)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "edited rules")
    assert counts(extract(raw, out)) == (3, 0, 0, 0)


def test_the_code_fingerprint_covers_rules_data(tmp_path):
    package = tmp_path / "pipeline"
    (package / "rules").mkdir(parents=True)
    (package / "run.py").write_text("x = 1\n")
    (package / "rules" / "currencies.yml").write_text("USD: [dollar]\n")
    before = cache.code_fingerprint(package)
    (package / "rules" / "currencies.yml").write_text("USD: [dollar, buck]\n")
    assert cache.code_fingerprint(package) != before


def test_tables_are_the_same_bytes_with_or_without_the_cache(workspace, model_loads, tmp_path):
    raw, out = workspace
    (raw / "broken.txt").write_bytes(b"")
    extract(raw, out)
    first = table_bytes(out)
    extract(raw, out)
    assert table_bytes(out) == first
    extract(raw, tmp_path / "nocache", use_cache=False)
    assert table_bytes(tmp_path / "nocache") == first


def test_a_corrupt_or_unwritable_cache_is_only_a_miss(workspace, model_loads, tmp_path):
    raw, out = workspace
    cache_dir = tmp_path / "cache"
    extract(raw, out, cache_dir=cache_dir)
    first = table_bytes(out)
    entries = sorted(cache_dir.rglob("*.json"))
    entries[0].write_text("{not json")
    entries[1].write_text(json.dumps({"key": "other", "rows": {}, "body": ""}))
    summary = extract(raw, out, cache_dir=cache_dir)
    assert summary.n_new >= 2 and table_bytes(out) == first
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    summary = extract(raw, tmp_path / "out2", cache_dir=blocked)
    assert table_bytes(tmp_path / "out2") == first
    assert any("cache folder" in w for w in summary.warnings)


def test_order_of_files_on_disk_does_not_matter(tmp_path, model_loads):
    outputs = []
    for order in (sorted(STORIES), sorted(STORIES, reverse=True)):
        raw = tmp_path / f"raw_{len(outputs)}"
        raw.mkdir()
        for name in order:  # directory order follows creation order on most file systems
            (raw / name).write_text(STORIES[name], encoding="utf-8")
        out = tmp_path / f"out_{len(outputs)}"
        extract(raw, out, use_cache=False)
        outputs.append(table_bytes(out))
    assert outputs[0] == outputs[1]


def test_two_processes_give_the_same_bytes_as_one(workspace, tmp_path):
    raw, out = workspace
    extract(raw, out, use_cache=False)
    extract(raw, tmp_path / "two", replace(Settings(), workers=2), use_cache=False)
    assert table_bytes(tmp_path / "two") == table_bytes(out)


def test_a_rerun_without_changes_imports_neither_spacy_nor_pandas(workspace):
    raw, out = workspace
    script = (
        "import sys; from pathlib import Path; from pipeline.run import run_extract; from pipeline.settings import Settings\n"
        f"s = run_extract(Path({str(raw)!r}), Path({str(out)!r}), Settings(), log=lambda *a, **k: None)\n"
        "print(s.n_new, s.n_cached, 'spacy' in sys.modules, 'pandas' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.stdout.split()[:3] == ["3", "0", "True"], first.stderr
    mtimes = {t.file_name: (out / t.file_name).stat().st_mtime_ns for t in TABLES}
    second = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert second.stdout.split() == ["0", "3", "False", "False"], second.stderr
    assert {t.file_name: (out / t.file_name).stat().st_mtime_ns for t in TABLES} == mtimes


def test_an_edited_or_deleted_output_is_written_again(workspace, model_loads):
    raw, out = workspace
    extract(raw, out)
    fresh = table_bytes(out)
    # the same size, a later time: what a spreadsheet's save leaves
    entities = out / "entities.csv"
    data = bytearray(entities.read_bytes())
    data[-2] = ord("#") if data[-2] != ord("#") else ord("%")
    entities.write_bytes(bytes(data))
    status = entities.stat()
    os.utime(entities, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    (out / "dates.csv").unlink()
    summary = extract(raw, out)
    assert counts(summary) == (0, 3, 0, 0)
    assert table_bytes(out) == fresh


def test_ctrl_c_halfway_keeps_the_previous_outputs_and_the_finished_documents(tmp_path, model_loads):
    """A real SIGINT while the model runs: exit 130, the previous tables intact, and the
    documents finished before it are not processed again."""
    import signal
    import time

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "first.txt").write_text(STORIES["000_story.txt"], encoding="utf-8")
    command = [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out", str(out), "--quiet",
               "--batch-size", "1", "--cache-dir", str(tmp_path / "cache")]
    assert subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0
    before = table_bytes(out)
    story = STORIES["001_story.txt"] * 15  # 30 of them: slow enough to be caught halfway
    for i in range(30):
        (raw / f"{i:03d}_more.txt").write_text(story.replace("forum", f"forum {i}"), encoding="utf-8")
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    # Entries so far: first.txt's and the first run's output stamp; wait for a third.
    while len(list((tmp_path / "cache").rglob("*.json"))) < 3:
        assert time.monotonic() < deadline and process.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert table_bytes(out) == before
    assert not list(out.glob(".staging-*"))
    rerun = run_extract(raw, out, Settings(), log=lambda *a, **k: None, cache_dir=tmp_path / "cache", progress=False)
    assert rerun.n_cached >= 2 and rerun.n_new < 30
