"""agreements rule component (placeholder: finds nothing yet)."""

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("press_agreements")
def make_agreements(nlp: Language, name: str):
    return AgreementsComponent()


class AgreementsComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc.spans["agreements"] = []
        return doc
