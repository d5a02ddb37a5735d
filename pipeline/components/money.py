"""Money component: amounts with their currency in doc.spans["money"].

The grammar lives in pipeline.normalize.money (lexicon: pipeline/rules/money.yml); this
component maps its character matches onto tokens and uses the model's tags where a word is
ambiguous: a qualifier that is a verb particle ("handed over $3 million") and a currency
word that is a verb with no scale word before it ("the three won gold").
"""

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.components.tags_on_demand import TagsOnDemand
from pipeline.normalize.money import MoneyMention, load_grammar

LABEL = "MONEY"


@Language.factory("press_money", default_config={"lexicon": ""})
def make_money(nlp: Language, name: str, lexicon: str):
    """lexicon: path of a money lexicon in the shape of pipeline/rules/money.yml ("" = that file)."""
    return MoneyComponent(lexicon, tags=TagsOnDemand.of(nlp))


class MoneyComponent:
    def __init__(self, lexicon: str = "", tags: TagsOnDemand | None = None):
        self.grammar = load_grammar(Path(lexicon)) if lexicon else load_grammar()
        self.tags = tags or TagsOnDemand(None)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        text = doc.text  # once: Doc.text joins every token on each call
        for mention in self.grammar.find(text):
            span = self._span(doc, text, mention)
            # Two mentions inside one token expand to the same span: keep the first.
            if span is not None and not (spans and span.start < spans[-1].end):
                spans.append(span)
        doc.spans["money"] = spans
        return doc

    def _span(self, doc: Doc, text: str, mention: MoneyMention) -> Span | None:
        # A scale word settles it ("500 million won"); without one, trust the tagger.
        if mention.currency_after and not mention.has_scale:
            start, end = mention.currency_after
            currency = doc.char_span(start, end, alignment_mode="expand")
            if currency is not None and text[start:end].lower() in self.grammar.verb_forms and self.tags.pos(currency[0]) in ("VERB", "AUX"):
                return None
        value = mention.value()
        start = mention.start
        if value["qualifier"] in self.grammar.particle_qualifiers:
            qualifier = doc.char_span(mention.start, mention.amount_start, alignment_mode="expand")
            if qualifier is not None and self.tags.tag(qualifier[0]) == "RP":
                value["qualifier"], start = "", mention.amount_start
        # "expand": a mention glued to other characters in one token ("Rs3crore,") keeps
        # the whole token, so the span's text is still the body's text at its offsets.
        span = doc.char_span(start, mention.end, label=LABEL, alignment_mode="expand")
        if span is None:
            return None
        span._.value = value
        return span

