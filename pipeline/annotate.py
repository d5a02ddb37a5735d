"""Builds the spaCy pipeline (the model plus the project's components) and runs it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.settings import Settings

# The lemmatizer feeds nothing the extraction reads.
UNUSED_MODEL_COMPONENTS = ("lemmatizer",)


class ModelNotFound(Exception):
    pass


def build_nlp(settings: Settings) -> Language:
    import pipeline.components as components  # registers factories and extensions

    try:
        nlp = spacy.load(settings.model, exclude=list(UNUSED_MODEL_COMPONENTS))
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy pipeline '{settings.model}' is not installed in this environment; "
            f"install it with pip, or pass --model with an installed pipeline's name"
        ) from exc
    for name in components.PROJECT_COMPONENTS:
        nlp.add_pipe(name, config=component_config(name, settings))
    return nlp


def component_config(name: str, settings: Settings) -> dict:
    if name == "press_dates":
        return {}
    return {}


def annotate(nlp: Language, items: Iterable[tuple[str, str, str | None]], settings: Settings) -> Iterator[Doc]:
    """(doc_id, body, published) triples to annotated Docs, in the same order."""

    def docs() -> Iterator[Doc]:
        for doc_id, body, published in items:
            doc = nlp.make_doc(body)
            doc._.doc_id = doc_id
            doc._.published = published
            yield doc

    yield from nlp.pipe(docs(), batch_size=settings.batch_size, n_process=settings.workers)
