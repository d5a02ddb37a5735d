"""The project's own spaCy components. Importing this package registers every factory and
every extension attribute, which is what worker processes need (spaCy re-imports it there).

Contract with pipeline.extract:
- doc.ents holds PERSON, ORG, GPE and LOC entities; span._.value = {"canonical": ...}.
- doc.spans["dates"], ["money"], ["agreements"], ["roles"] hold spans whose span._.value is a
  dict of that table's value columns (see pipeline.schema).
- doc._.published (YYYY-MM-DD or None) is set before the pipeline runs; rules that resolve
  relative expressions read it and never the clock.
"""

from spacy.tokens import Doc, Span

for name in ("doc_id", "published"):
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=None)
if not Span.has_extension("value"):
    Span.set_extension("value", default=None)

from pipeline.components import agreements, dates, entities, entity_rules, money, paragraphs, roles  # noqa: E402,F401  (registers factories)

# Components annotate puts before the model's "ner", in this order (after the senter, whose
# sentences press_paragraphs corrects); the model then predicts around their entities.
BEFORE_NER_COMPONENTS = ("press_paragraphs", "press_entity_rules")

# Names of the components, in the order annotate adds them after the model's own.
PROJECT_COMPONENTS = ("press_entities", "press_roles", "press_dates", "press_money", "press_agreements")
