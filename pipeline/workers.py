"""--workers N: the model and the extraction run in N worker processes, each with its own
pipeline, and send back only the rows.

Why not spaCy's nlp.pipe(n_process=N): it sends every Doc to the workers and back as bytes,
and the main process then pays for Doc.to_bytes, Doc.from_bytes (msgpack) and extract.doc_rows
on every document, which took as long as a third of the model's own time and capped two
workers at about 1.2x. Here the main process only reads, cleans and stores; the pieces go out
in batches of Settings.batch_size, at most two batches per worker in flight, so that memory
does not grow with the corpus.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace

from pipeline.settings import Settings

# (doc_id, text, published, offset of the text in the body)
PieceItem = tuple[str, str, "str | None", int]

_nlp = None  # the worker's pipeline, built once per process
_settings: Settings | None = None


def _start_worker(settings: Settings) -> None:
    global _nlp, _settings
    # Ctrl-C goes to the whole process group: the main process handles it and ends the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from pipeline.annotate import build_nlp

    _settings = replace(settings, workers=1)
    _nlp = build_nlp(_settings)


def _rows_of_batch(batch: list[PieceItem]) -> list[dict[str, list[dict]]]:
    from pipeline.annotate import annotate
    from pipeline.extract import doc_rows

    docs = annotate(_nlp, ((doc_id, text, published) for doc_id, text, published, _offset in batch), _settings)
    return [doc_rows(doc, offset) for doc, (_d, _t, _p, offset) in zip(docs, batch)]


def rows_in_workers(items: Iterable[PieceItem], settings: Settings) -> Iterator[dict[str, list[dict]]]:
    """doc_rows of every piece, in order, made in settings.workers processes."""
    batches = _batches(items, settings.batch_size)
    with multiprocessing.get_context().Pool(settings.workers, initializer=_start_worker, initargs=(settings,)) as pool:
        in_flight: deque = deque()
        for batch in batches:
            in_flight.append(pool.apply_async(_rows_of_batch, (batch,)))
            if len(in_flight) >= 2 * settings.workers:
                yield from in_flight.popleft().get()
        while in_flight:
            yield from in_flight.popleft().get()


def _batches(items: Iterable[PieceItem], size: int) -> Iterator[list[PieceItem]]:
    batch: list[PieceItem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= max(size, 1):
            yield batch
            batch = []
    if batch:
        yield batch
