"""press_paragraphs: a blank line ends a sentence. The statistical senter reads a headline or
a caption left without a full stop as the start of the next paragraph's sentence ("... sign
memorandum\\n\\nThe Ministry of ..."), which then joins two paragraphs in the context column
and lets rules that stop at a sentence start (names, coordinated bodies) run across them.
Runs after the senter, before the entity rules. A single line break is left to the senter:
hard-wrapped text breaks lines inside sentences.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("press_paragraphs")
def make_paragraphs(nlp: Language, name: str):
    return mark_paragraph_starts


def mark_paragraph_starts(doc: Doc) -> Doc:
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc
