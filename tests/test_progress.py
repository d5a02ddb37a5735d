"""The progress bar shows only on a terminal, outside CI and without --quiet; the closing summary."""

import io
from pathlib import Path

from pipeline.progress import progress_bar, progress_wanted, summary_lines


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert progress_wanted(stream=FakeTerminal())
    assert not progress_wanted(stream=io.StringIO())
    assert not progress_wanted(quiet=True, stream=FakeTerminal())
    monkeypatch.setenv("CI", "true")
    assert not progress_wanted(stream=FakeTerminal())
    monkeypatch.setenv("CI", "false")
    assert progress_wanted(stream=FakeTerminal())


def test_progress_bar_passes_items_through(capsys):
    assert list(progress_bar(iter([1, 2, 3]), total=3, enabled=False)) == [1, 2, 3]
    assert capsys.readouterr().err == ""
    assert list(progress_bar(iter([1, 2, 3]), total=3, enabled=True)) == [1, 2, 3]


class Summary:
    n_documents, n_unchanged, n_new, n_failed = 7, 4, 3, 1
    rows = {"documents": 7, "entities": 40}


def test_summary_says_new_unchanged_failed_rows_and_where():
    assert summary_lines(Summary(), Path("outputs")) == [
        "documents: 7 (3 new, 4 unchanged); 1 failed",
        "rows: documents 7, entities 40",
        "outputs in outputs/",
    ]
