"""Builds the spaCy pipeline (the model plus the project's components) and runs it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.tags_on_demand import TAGGING_PIPES, tagging_can_wait
from pipeline.settings import Settings

# Model components whose output nothing reads: the lemmatizer, and the parser, the slowest
# component of the small English model, which was needed only for sentence boundaries
# (extract.sentence_context); no project component reads .dep_, .head or noun_chunks
# (checked with grep; a component that starts to must take "parser" out of this list).
# The model's own senter, disabled by default, gives the sentences instead.
# The tagger, the tok2vec layer that feeds it and the attribute ruler (tags -> .pos_) cost
# about 40 % of the rest, and the rules read tags in a few sentences only (press_entity_rules,
# press_dates: the tense before a weekday, press_money: "won", "handed over", press_agreements):
# they are disabled here and run by components.tags_on_demand on the sentences a rule asks
# about, with the same tags as a whole-document run. Every read of .pos_ or .tag_ in a
# component must go through TagsOnDemand (grep).
UNUSED_MODEL_COMPONENTS = ("lemmatizer", "parser")
SENTENCE_COMPONENT = "senter"


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
    _ensure_sentences(nlp)
    if tagging_can_wait(nlp):
        for name in TAGGING_PIPES:
            if name in nlp.pipe_names:
                nlp.disable_pipe(name)
    for name in components.BEFORE_NER_COMPONENTS:
        placement = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        nlp.add_pipe(name, config=component_config(name, settings), **placement)
    for name in components.PROJECT_COMPONENTS:
        nlp.add_pipe(name, config=component_config(name, settings))
    return nlp


def _ensure_sentences(nlp: Language) -> None:
    """Sentence boundaries without the parser: the model's senter when it has one, else
    spaCy's rule-based sentencizer (for a --model without senter or parser)."""
    if "parser" in nlp.pipe_names:
        return
    if SENTENCE_COMPONENT in nlp.disabled:
        nlp.enable_pipe(SENTENCE_COMPONENT)
    elif SENTENCE_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)


def component_config(name: str, settings: Settings) -> dict:
    if name == "press_dates":
        return {"day_first": settings.day_first, "fiscal_year_start_month": settings.fiscal_year_start_month}
    if name in ("press_entity_rules", "press_entities"):
        return {"gazetteer": str(settings.gazetteer or "")}
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
