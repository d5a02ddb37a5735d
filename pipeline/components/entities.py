"""Entity layer over the model's NER (placeholder: keeps the model's PERSON/ORG/GPE/LOC)."""

from spacy.language import Language
from spacy.tokens import Doc

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC"}


@Language.factory("press_entities")
def make_entities(nlp: Language, name: str):
    return EntitiesComponent()


class EntitiesComponent:
    def __call__(self, doc: Doc) -> Doc:
        kept = [e for e in doc.ents if e.label_ in KEPT_LABELS]
        for ent in kept:
            ent._.value = {"canonical": ent.text}
        doc.ents = kept
        doc.spans["roles"] = []
        return doc
