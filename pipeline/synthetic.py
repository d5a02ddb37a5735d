"""Synthetic press releases for the benchmark, from the templates and vocabulary in
pipeline/rules/synthetic.yml. Deterministic for a given seed: the same corpus on every machine.

The documents have the parts real ones have (headline, site header, dateline, paragraphs with
people, places, dates, money and agreement periods, a byline) so that every stage of the
pipeline does its usual work; their content is made up.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

import yaml

RULES = Path(__file__).parent / "rules" / "synthetic.yml"
_SLOT = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    with open(RULES, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class _Filler:
    """Fills {slot}s of one document; the year is shared so the story hangs together."""

    def __init__(self, rng: random.Random, vocab: dict):
        self.rng = rng
        self.vocab = vocab
        self.year = rng.randint(2015, 2026)

    def pick(self, key: str) -> str:
        return self.rng.choice(self.vocab[key])

    def value(self, slot: str) -> str:
        rng = self.rng
        base = slot.rstrip("2")
        if base == "person":
            return self.pick("people")
        if base == "title":
            return self.pick("person_titles")
        if base == "title_lower":
            return self.pick("person_titles").lower()
        if base == "org":
            return self.pick("organisations")
        if base == "city":
            return self.pick("cities")
        if base == "CITY":
            return self.pick("cities").upper()
        if base == "country":
            return self.pick("countries")
        if base == "province":
            return self.pick("provinces")
        if base == "sector":
            return self.pick("sectors")
        if base == "topic":
            return self.pick("topics")
        if base == "agreement":
            return self.pick("agreements")
        if base == "period":
            start = self.year + rng.randint(-2, 1)
            return f"{start} - {start + rng.choice((2, 3, 4, 5))}"
        if base == "money":
            return self.fill(self.pick("money"))
        if base == "n":
            return str(rng.randint(2, 950))
        if base == "m":
            return f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"
        if base == "number":
            return str(rng.choice((rng.randint(2, 60), rng.randint(100, 9000))))
        if base == "percent":
            return f"{rng.randint(1, 40)}.{rng.randint(0, 9)}"
        if base == "date":
            return self.fill(self.pick("dates"))
        if base == "month_year":
            return f"{self.pick('months')} {self.year + rng.randint(-1, 2)}"
        if base == "month_name":
            return self.pick("months")
        if base == "day":
            return str(rng.randint(1, 28))
        if base == "dd":
            return f"{rng.randint(1, 28):02d}"
        if base == "mm":
            return f"{rng.randint(1, 12):02d}"
        if base == "yyyy":
            return str(self.year + (rng.randint(1, 5) if slot.endswith("2") else 0))
        if base == "hh":
            return f"{rng.randint(1, 12):02d}"
        if base == "mi":
            return f"{rng.randint(0, 59):02d}"
        raise KeyError(f"synthetic.yml uses an unknown slot {{{slot}}}")

    def fill(self, template: str) -> str:
        return _SLOT.sub(lambda m: self.value(m.group(1)), template)


def _capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def press_release(rng: random.Random, words: int = 600) -> str:
    """One synthetic press release of about `words` words in its body."""
    vocab = vocabulary()
    filler = _Filler(rng, vocab)
    paragraphs: list[str] = []
    n_words = 0
    first = True
    while n_words < words:
        sentences = [_capitalise(filler.fill(rng.choice(vocab["sentences"]))) for _ in range(rng.randint(2, 4))]
        paragraph = " ".join(sentences)
        if first:
            paragraph = filler.fill(rng.choice(vocab["datelines"])) + paragraph
            first = False
        paragraphs.append(paragraph)
        n_words += len(paragraph.split())
    head = [filler.fill(rng.choice(vocab["titles"])), filler.fill(rng.choice(vocab["headers"]))]
    return "\n".join(head) + "\n\n" + "\n\n".join(paragraphs) + "\n\n" + rng.choice(vocab["bylines"]) + "\n"


def write_corpus(folder: Path, n_docs: int, words: int = 600, seed: int = 0, start: int = 0) -> list[Path]:
    """Write n_docs press releases as folder/synthetic_00000.txt, ...; numbering from `start`
    (a later call with start=n adds new files without touching the first ones)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n_docs):
        # One generator per document: document i is the same whatever n_docs is.
        rng = random.Random(f"{seed}:{i}")
        path = folder / f"synthetic_{i:05d}.txt"
        path.write_text(press_release(rng, words), encoding="utf-8")
        paths.append(path)
    return paths
