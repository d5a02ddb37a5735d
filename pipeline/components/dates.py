"""dates rule component (placeholder: finds nothing yet)."""

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("press_dates")
def make_dates(nlp: Language, name: str):
    return DatesComponent()


class DatesComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc.spans["dates"] = []
        return doc
