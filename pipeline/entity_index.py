"""Links entity rows across documents: one canonical name and one entity_id for every
spelling of an entity, and the entity_index table that lists each entity once.

Spellings meet on the folded name (no case, no diacritics: Đinh Tiến Dũng = Dinh Tien
Dung); the canonical name is the preferred spelling of the group (pipeline.normalize.names).
Pure: rows in, new rows out, so cached per-document rows are never changed in place.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from pipeline.normalize.names import choose_canonical, entity_id, fold


class EntityLinker:
    """Cross-document linking in two passes, so that the corpus never has to be in memory at
    once: `count` every document's entity rows (in doc_id order), then `link` each document's
    rows and take the `index` rows. What it keeps is per entity: its spellings, the texts
    it was written as and the documents it is in."""

    def __init__(self):
        # (label, folded canonical) -> spelling -> count; in order of first mention.
        self.spellings: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.texts: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.doc_ids: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.canonical: dict[tuple[str, str], str] = {}

    def count(self, entities: list[dict]) -> None:
        for row in entities:
            key = (row["label"], fold(row["canonical"]))
            self.spellings[key][row["canonical"]] += 1
            self.texts[key].add(row["text"])
            self.doc_ids[key].add(sys.intern(row["doc_id"]))

    def finish(self) -> None:
        """After the last `count`: the canonical name of every entity."""
        self.canonical = {key: choose_canonical(dict(counts)) for key, counts in self.spellings.items()}

    def link(self, rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
        """The tables (of one document or many) with entities' canonical names linked, entity_id
        filled and roles' person and organisation renamed alike; new rows, the given ones unchanged."""
        linked = []
        for row in rows.get("entities", []):
            name = self.canonical[(row["label"], fold(row["canonical"]))]
            linked.append({**row, "canonical": name, "entity_id": entity_id(row["label"], name)})
        roles = [{**r, "person": self._rename(r["person"], ("PERSON",)),
                  "organisation": self._rename(r["organisation"], ("ORG", "GPE", "LOC")) if r.get("organisation") else ""}
                 for r in rows.get("roles", [])]
        return {**rows, "entities": linked, "roles": roles}

    def _rename(self, name: str, labels: tuple[str, ...]) -> str:
        for label in labels:
            if (label, fold(name)) in self.canonical:
                return self.canonical[(label, fold(name))]
        return name

    def index(self) -> list[dict]:
        """The entity_index rows: each entity once, in order of first mention."""
        index = []
        for key, counts in self.spellings.items():
            name = self.canonical[key]
            index.append({
                "entity_id": entity_id(key[0], name),
                "label": key[0],
                "canonical": name,
                "aliases": " | ".join(sorted(self.texts[key], key=lambda t: (fold(t), t))),
                "n_documents": len(self.doc_ids[key]),
                "n_mentions": sum(counts.values()),
            })
        return index


def link_entities(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The tables with entities' canonical names linked across documents, entity_id filled,
    roles' person and organisation renamed alike, and the entity_index table added."""
    linker = EntityLinker()
    linker.count(rows.get("entities", []))
    linker.finish()
    return {**linker.link(rows), "entity_index": linker.index()}
