"""The entity rules' data (pipeline/rules/*.yml and a user's gazetteer file), loaded once.

A user's gazetteer file is JSON lines, one place or organisation a line, in either form:
  {"label": "GPE", "canonical": "Phú Quốc", "aliases": ["Phu Quoc", "Phu Quoc City"]}
  {"label": "GPE", "pattern": "Phu Quoc", "id": "Phú Quốc"}     (spaCy EntityRuler's form)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from spacy.language import Language
from spacy.matcher import PhraseMatcher

from pipeline.normalize.names import strip_diacritics

RULES = Path(__file__).resolve().parent.parent / "rules"
LABELS = ("PERSON", "ORG", "GPE", "LOC")


@dataclass
class Lexicon:
    # spelling -> (label, canonical); every spelling, its form without diacritics and
    # its ALL-CAPS form.
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    currency_nouns: set[str] = field(default_factory=set)
    place_heads: list[str] = field(default_factory=list)
    place_head_modifiers: set[str] = field(default_factory=set)
    subject_heads: list[str] = field(default_factory=list)
    bare_heads: list[str] = field(default_factory=list)
    after_place: set[str] = field(default_factory=set)
    # every word of an organisation's name or head: never a word of a person's name
    institution_words: set[str] = field(default_factory=set)
    never_org: set[str] = field(default_factory=set)
    not_org_last_words: set[str] = field(default_factory=set)
    titles: list[str] = field(default_factory=list)
    honorifics: list[str] = field(default_factory=list)
    title_abbreviations: dict[str, str] = field(default_factory=dict)
    family_names: set[str] = field(default_factory=set)
    # country -> its ruling party: what "the Party" of a title ("Party General Secretary") is
    ruling_parties: dict[str, str] = field(default_factory=dict)

    def add(self, label: str, canonical: str, aliases: list[str]) -> None:
        if label not in LABELS:
            raise ValueError(f"gazetteer label must be one of {LABELS}, not {label!r}")
        for alias in (canonical, *aliases):
            for spelling in _spellings(alias):
                # The first entry to claim a spelling keeps it; the user's file is read
                # first, so it overrides the project's.
                self.names.setdefault(spelling, (label, canonical))


def _spellings(alias: str) -> list[str]:
    forms = [alias, strip_diacritics(alias)]
    # ALL-CAPS forms of datelines ("VIENTIANE -"); short abbreviations are already capitals.
    if sum(c.isalpha() for c in alias) >= 4:
        forms += [f.upper() for f in forms]
    return list(dict.fromkeys(forms))


def _read_yaml(name: str) -> dict:
    with open(RULES / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def read_user_gazetteer(path: Path) -> list[tuple[str, str, list[str]]]:
    """(label, canonical, aliases) entries of a user's JSON-lines file; a clear error for a
    line that is not one."""
    entries = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                item = json.loads(line)
                label = item["label"]
                if label not in LABELS:
                    raise ValueError(f"label must be one of {', '.join(LABELS)}")
                if "pattern" in item:
                    if not isinstance(item["pattern"], str):
                        raise ValueError("only phrase patterns (strings) are read")
                    entries.append((label, item.get("id") or item["pattern"], [item["pattern"]]))
                else:
                    entries.append((label, item["canonical"], list(item.get("aliases", []))))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a gazetteer line ({exc}): {line[:80]}") from exc
    return entries



def exact_phrase_matcher(nlp: Language, phrases_by_label: dict[str, list[str]]) -> PhraseMatcher:
    """A case-sensitive PhraseMatcher of the lexicon's phrases, tokenised as the texts will be."""
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for label, phrases in phrases_by_label.items():
        matcher.add(label, list(nlp.tokenizer.pipe(phrases)))
    return matcher

@lru_cache(maxsize=8)
def load_lexicon(user_gazetteer: str = "") -> Lexicon:
    lex = Lexicon()
    if user_gazetteer:
        # A user's spellings win over the project's.
        for label, canonical, aliases in read_user_gazetteer(Path(user_gazetteer)):
            lex.add(label, canonical, aliases)
    gazetteer = _read_yaml("gazetteer.yml")
    for label in ("GPE", "LOC"):
        for canonical, *aliases in gazetteer[label]:
            lex.add(label, canonical, aliases)
    lex.demonyms = dict(gazetteer["demonyms"])
    lex.currency_nouns = set(gazetteer.get("currency_nouns", []))
    orgs = _read_yaml("organisations.yml")
    for canonical, *aliases in orgs["names"]:
        lex.add("ORG", canonical, aliases)
    lex.place_heads = orgs["place_heads"]
    lex.place_head_modifiers = set(orgs["place_head_modifiers"])
    lex.subject_heads = orgs["subject_heads"]
    lex.bare_heads = orgs["bare_heads"]
    lex.after_place = set(orgs["after_place"])
    lex.institution_words = {
        word for phrase in [*(n for entry in orgs["names"] for n in entry), *lex.place_heads, *lex.subject_heads,
                            *lex.bare_heads, *lex.after_place, *lex.not_org_last_words, *lex.never_org]
        for word in phrase.split() if word[:1].isupper() and len(word) > 3
    }
    # but not the syllables of names ("Minh" of the Ho Chi Minh National Academy)
    lex.institution_words -= {word for spelling, (label, _) in lex.names.items() if label != "ORG"
                              for word in spelling.split()}
    lex.never_org = set(orgs["never"]) | set(orgs["currency_codes"])
    lex.not_org_last_words = set(orgs["not_organisation_last_words"])
    lex.ruling_parties = dict(orgs["ruling_parties"])
    titles = _read_yaml("titles.yml")
    lex.titles = titles["titles"]
    lex.honorifics = titles["honorifics"]
    lex.title_abbreviations = dict(titles["abbreviations"])
    families = _read_yaml("family_names.yml")["vietnamese"]
    lex.family_names = {f for name in families for f in (name, strip_diacritics(name))}
    lex.institution_words -= lex.family_names
    return lex
