"""Shared by the example-table tests (test_money, test_agreements): the tables' loading and
the real pipeline's rows for one sentence, with a fixed publication date."""

from pathlib import Path

import yaml

EXAMPLES = Path(__file__).parent / "examples"
PUBLISHED = "2024-03-14"


def load_examples(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / f"{name}.yml").read_text(encoding="utf-8"))


def mention_values(nlp, text: str, group: str, columns: tuple[str, ...]) -> list[list]:
    """[span text, *values] for each span of the group; every span's offsets point at its text."""
    doc = nlp.make_doc(text)
    doc._.published = PUBLISHED
    doc = nlp(doc)
    rows = []
    for span in doc.spans[group]:
        assert doc.text[span.start_char:span.end_char] == span.text
        rows.append([span.text, *(span._.value[c] for c in columns)])
    return rows
