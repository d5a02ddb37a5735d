"""Progress on a terminal and the closing summary of a run.

The bar (tqdm) goes to stderr and only when stderr is a terminal, CI is not set and the
user did not ask for --quiet: logs and pipes stay free of carriage-return noise.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress_wanted(quiet: bool = False, stream=None) -> bool:
    stream = stream if stream is not None else sys.stderr
    if quiet or os.environ.get("CI", "").lower() not in ("", "0", "false"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def progress_bar(items: Iterable[T], total: int | None, enabled: bool, desc: str = "documents") -> Iterator[T]:
    if not enabled:
        yield from items
        return
    with tqdm(items, total=total, desc=desc, unit="doc", file=sys.stderr, dynamic_ncols=True, leave=False) as bar:
        yield from bar


def summary_lines(summary, out_dir: Path) -> list[str]:
    """The end-of-run report: documents new, unchanged and failed, rows per table, where the
    outputs are. Reads the counters RunSummary has (n_new/n_unchanged appear with the cache)."""
    n_unchanged = getattr(summary, "n_unchanged", 0)
    n_new = getattr(summary, "n_new", summary.n_documents - n_unchanged)
    rows = ", ".join(f"{name} {n}" for name, n in summary.rows.items())
    return [
        # Failed documents are new or unchanged ones whose file could not be processed.
        f"documents: {summary.n_documents} ({n_new} new, {n_unchanged} unchanged); {summary.n_failed} failed",
        f"rows: {rows}",
        f"outputs in {out_dir}/",
    ]
