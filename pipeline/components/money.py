"""money rule component (placeholder: finds nothing yet)."""

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("press_money")
def make_money(nlp: Language, name: str):
    return MoneyComponent()


class MoneyComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc.spans["money"] = []
        return doc
