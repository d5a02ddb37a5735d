"""Builds the spaCy pipeline (the model plus the project's components) and runs it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.settings import Settings

# Model components whose output nothing reads: the lemmatizer, and the parser, the slowest
# component of the small English model, which was needed only for sentence boundaries
# (extract.sentence_context); no project component reads .dep_, .head or noun_chunks
# (checked with grep; a component that starts to must take "parser" out of this list).
# The model's own senter, disabled by default, gives the sentences instead.
UNUSED_MODEL_COMPONENTS = ("lemmatizer", "parser")
SENTENCE_COMPONENT = "senter"
# The tagger, the tok2vec layer that only feeds it (the model's NER and senter have their own)
# and the attribute ruler that maps tags to .pos_ cost more than a third of the model's time,
# for a few words that only the money component asks about ("won", "over"). They stay loaded
# and run on one Doc when a component asks (TagsOnDemand) instead of on every Doc.
TAGGING_COMPONENTS = ("tok2vec", "tagger", "attribute_ruler")
# Project components that read .pos_ or .tag_ (grep). Tagging leaves the pipeline only when
# each of them says `tags_on_demand = True`, i.e. calls TagsOnDemand.ensure before reading tags.
TAG_READERS = ("press_money",)


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
    for name in components.BEFORE_NER_COMPONENTS:
        placement = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        nlp.add_pipe(name, config=component_config(name, settings), **placement)
    for name in components.PROJECT_COMPONENTS:
        nlp.add_pipe(name, config=component_config(name, settings))
    readers = [nlp.get_pipe(n) for n in TAG_READERS if n in nlp.pipe_names]
    if all(getattr(reader, "tags_on_demand", False) for reader in readers):
        for name in TAGGING_COMPONENTS:
            if name in nlp.pipe_names:
                nlp.disable_pipe(name)
    return nlp


class TagsOnDemand:
    """Part-of-speech tags for one Doc, made when a component asks: build it in the component's
    factory (`TagsOnDemand(nlp)`) and call `ensure(doc)` before reading .pos_ or .tag_."""

    def __init__(self, nlp: Language):
        self.pipes = [nlp.get_pipe(n) for n in TAGGING_COMPONENTS if n in nlp.component_names]

    def ensure(self, doc: Doc) -> Doc:
        if not doc.has_annotation("TAG"):
            for pipe in self.pipes:
                doc = pipe(doc)
        return doc


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
