"""Links entity rows across documents: one canonical name and one entity_id for every
spelling of an entity, and the entity_index table that lists each entity once.

Spellings meet on the folded name (no case, no diacritics: Đinh Tiến Dũng = Dinh Tien
Dung); the canonical name is the preferred spelling of the group (pipeline.normalize.names).
Pure: rows in, new rows out, so cached per-document rows are never changed in place.
"""

from __future__ import annotations

from collections import defaultdict

from pipeline.normalize.names import choose_canonical, entity_id, fold


def link_entities(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The tables with entities' canonical names linked across documents, entity_id filled,
    roles' person and organisation renamed alike, and the entity_index table added."""
    entities = rows.get("entities", [])
    spellings: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in entities:
        spellings[(row["label"], fold(row["canonical"]))][row["canonical"]] += 1
    canonical = {key: choose_canonical(dict(counts)) for key, counts in spellings.items()}

    linked, mentions = [], defaultdict(list)
    for row in entities:
        key = (row["label"], fold(row["canonical"]))
        name = canonical[key]
        new = {**row, "canonical": name, "entity_id": entity_id(row["label"], name)}
        linked.append(new)
        mentions[key].append(new)

    index = []
    for key, group in mentions.items():
        texts = sorted({r["text"] for r in group}, key=lambda t: (fold(t), t))
        index.append({
            "entity_id": group[0]["entity_id"],
            "label": key[0],
            "canonical": group[0]["canonical"],
            "aliases": " | ".join(texts),
            "n_documents": len({r["doc_id"] for r in group}),
            "n_mentions": len(group),
        })

    def rename(name: str, labels: tuple[str, ...]) -> str:
        for label in labels:
            if (label, fold(name)) in canonical:
                return canonical[(label, fold(name))]
        return name

    roles = [{**r, "person": rename(r["person"], ("PERSON",)),
              "organisation": rename(r["organisation"], ("ORG", "GPE", "LOC")) if r.get("organisation") else ""}
             for r in rows.get("roles", [])]
    return {**rows, "entities": linked, "roles": roles, "entity_index": index}
