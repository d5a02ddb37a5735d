"""The entity layer on sentences of our own (tests/examples/entities.yml), through the real
pipeline, and the linking of entities across documents (pipeline/entity_index.py)."""

from pathlib import Path

import pytest
import yaml

from pipeline.entity_index import link_entities
from pipeline.normalize.names import choose_canonical, entity_id, fold, strip_diacritics

EXAMPLES = yaml.safe_load((Path(__file__).parent / "examples" / "entities.yml").read_text(encoding="utf-8"))
LABELS = ("PERSON", "ORG", "GPE", "LOC")


def annotate(nlp, text):
    doc = nlp.make_doc(text)
    doc._.doc_id, doc._.published = "example", "2024-03-11"
    return nlp(doc)


def parse_role(row: str) -> tuple[str, str, str]:
    person, title, organisation = (part.strip() for part in row.split("|"))
    return person, title, organisation


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:60] for e in EXAMPLES])
def test_entities_of_a_sentence(nlp, example):
    doc = annotate(nlp, example["text"])
    found = {label: sorted({e.text for e in doc.ents if e.label_ == label}) for label in LABELS}
    expected = {label: sorted(set(example["entities"].get(label, []))) for label in LABELS}
    assert found == expected, example.get("why", "")
    canonical = {e.text: e._.value["canonical"] for e in doc.ents}
    for text, name in (example.get("canonical") or {}).items():
        assert canonical.get(text) == name, text
    for ent in doc.ents:
        assert doc.text[ent.start_char:ent.end_char] == ent.text


@pytest.mark.parametrize("example", [e for e in EXAMPLES if "roles" in e], ids=lambda e: e["text"][:60])
def test_roles_of_a_sentence(nlp, example):
    doc = annotate(nlp, example["text"])
    found = {(s._.value["person"], s._.value["title"], s._.value["organisation"]) for s in doc.spans["roles"]}
    assert found == {parse_role(r) for r in example["roles"]}
    for span in doc.spans["roles"]:
        assert span._.value["person"] in span.text


def test_a_role_span_runs_from_the_title_through_the_name(nlp):
    doc = annotate(nlp, "Lao Prime Minister Sonexay Siphandone met the press.")
    assert [s.text for s in doc.spans["roles"]] == ["Lao Prime Minister Sonexay Siphandone"]


def test_every_label_is_one_of_the_four(nlp):
    doc = annotate(nlp, "About 300 Lao students, 20 percent of them women, arrived on Monday at 9 am for the NATO summit.")
    assert {e.label_ for e in doc.ents} <= set(LABELS)


# --- names --------------------------------------------------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("Đinh Tiến Dũng", "Dinh Tien Dung"), ("Hà Nội", "HA NOI"), ("the Hanoi Party Committee", "Hanoi Party Committee"),
    ("Bà Rịa - Vũng Tàu", "Ba Ria-Vung Tau"), ("Dũng's", "Dung"), ("Đà Nẵng", "Da Nang"),
])
def test_spellings_fold_alike(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize("a,b", [("Hà Nội", "Hanoi"), ("Vientiane", "Vientiane Province"), ("Lê Văn Thành", "Lê Văn Thanh Hải")])
def test_different_names_do_not_fold_alike(a, b):
    assert fold(a) != fold(b)


def test_the_spelling_with_diacritics_is_preferred():
    assert choose_canonical({"Dinh Tien Dung": 5, "Đinh Tiến Dũng": 1}) == "Đinh Tiến Dũng"
    assert strip_diacritics("Đinh Tiến Dũng") == "Dinh Tien Dung"


def test_entity_id_depends_on_label_and_folded_name_only():
    assert entity_id("PERSON", "Đinh Tiến Dũng") == entity_id("PERSON", "DINH TIEN DUNG")
    assert entity_id("PERSON", "Hà Nội") != entity_id("GPE", "Hà Nội")
    assert entity_id("GPE", "Hà Nội") == "gpe-" + entity_id("GPE", "Hà Nội").split("-")[1]


# --- linking across documents -----------------------------------------------------------------------

def entity(doc_id, label, text, canonical, start=0):
    return {"doc_id": doc_id, "label": label, "text": text, "canonical": canonical,
            "start_char": start, "end_char": start + len(text), "context": text}


def test_two_spellings_in_two_documents_are_one_entity():
    rows = {"entities": [
        entity("a", "PERSON", "Dinh Tien Dung", "Dinh Tien Dung"),
        entity("a", "PERSON", "Dinh Tien Dung", "Dinh Tien Dung", 40),
        entity("b", "PERSON", "Đinh Tiến Dũng", "Đinh Tiến Dũng"),
        entity("b", "PERSON", "Dũng", "Đinh Tiến Dũng", 30),
        entity("b", "GPE", "Hà Nội", "Hà Nội", 60),
    ], "roles": [{"doc_id": "a", "person": "Dinh Tien Dung", "title": "Secretary", "organisation": "Ha Noi"}]}
    linked = link_entities(rows)
    people = [r for r in linked["entities"] if r["label"] == "PERSON"]
    assert {r["canonical"] for r in people} == {"Đinh Tiến Dũng"}
    assert len({r["entity_id"] for r in people}) == 1
    index = {r["canonical"]: r for r in linked["entity_index"]}
    assert index["Đinh Tiến Dũng"] == {
        "entity_id": people[0]["entity_id"], "label": "PERSON", "canonical": "Đinh Tiến Dũng",
        "aliases": "Dinh Tien Dung | Đinh Tiến Dũng | Dũng", "n_documents": 2, "n_mentions": 4,
    }
    assert linked["roles"][0]["person"] == "Đinh Tiến Dũng"
    assert linked["roles"][0]["organisation"] == "Hà Nội"


def test_linking_does_not_depend_on_the_order_of_documents():
    rows = [entity("a", "GPE", "Hanoi", "Hà Nội"), entity("b", "ORG", "ADB", "Asian Development Bank"),
            entity("c", "PERSON", "Sonexay Siphandone", "Sonexay Siphandone")]
    forward = link_entities({"entities": rows})
    backward = link_entities({"entities": rows[::-1]})
    key = lambda r: (r["doc_id"], r["label"])  # noqa: E731
    assert sorted(forward["entities"], key=key) == sorted(backward["entities"], key=key)
    assert sorted(forward["entity_index"], key=lambda r: r["entity_id"]) == sorted(backward["entity_index"], key=lambda r: r["entity_id"])


def test_cached_rows_are_not_changed_in_place():
    row = entity("a", "PERSON", "Dinh Tien Dung", "Dinh Tien Dung")
    link_entities({"entities": [row, entity("b", "PERSON", "Đinh Tiến Dũng", "Đinh Tiến Dũng")]})
    assert row["canonical"] == "Dinh Tien Dung" and "entity_id" not in row


def test_seed_entity_index(tables):
    index = tables["entity_index"]
    dung = index[index.canonical == "Đinh Tiến Dũng"].to_dict("records")
    assert len(dung) == 1 and dung[0]["n_documents"] == "2"
    assert set(dung[0]["aliases"].split(" | ")) == {"Dinh Tien Dung", "Đinh Tiến Dũng", "Dũng"}
    hanoi = index[index.canonical == "Hà Nội"].to_dict("records")
    assert len(hanoi) == 1 and set(hanoi[0]["aliases"].split(" | ")) == {"Hanoi", "Hà Nội"}
    entities = tables["entities"]
    assert set(entities.entity_id) == set(index.entity_id)
    assert entities.groupby("entity_id").canonical.nunique().max() == 1


def test_seed_roles(tables):
    roles = {(r["person"], r["title"], r["organisation"]) for r in tables["roles"].to_dict("records")}
    assert {
        ("Đinh Tiến Dũng", "Secretary", "Hà Nội Party Committee"),
        ("Thongloun Sisoulith", "President", "Laos"),
        ("Sonexay Siphandone", "Prime Minister", "Laos"),
        ("Anouphap Tounalom", "Secretary", "Vientiane Party Committee"),
        ("Anouphap Tounalom", "Chairman", "Vientiane People's Council"),
    } <= roles
    for row in tables["roles"].to_dict("records"):
        assert row["text"] in row["context"]


# --- a user's gazetteer ---------------------------------------------------------------------------

def test_a_user_gazetteer_adds_places(tmp_path):
    from pipeline.annotate import build_nlp
    from pipeline.settings import Settings

    path = tmp_path / "gazetteer.local.jsonl"
    path.write_text('{"label": "GPE", "canonical": "Nong Het", "aliases": ["Nonghet"]}\n'
                    '{"label": "LOC", "pattern": "Nam Ngum Reservoir", "id": "Nam Ngum Reservoir"}\n', encoding="utf-8")
    nlp = build_nlp(Settings(gazetteer=str(path)))
    doc = annotate(nlp, "Fishermen from Nonghet sell their catch at the Nam Ngum Reservoir.")
    assert {(e.text, e.label_, e._.value["canonical"]) for e in doc.ents} == {
        ("Nonghet", "GPE", "Nong Het"), ("Nam Ngum Reservoir", "LOC", "Nam Ngum Reservoir")}


@pytest.mark.parametrize("line,message", [
    ('{"label": "CITY", "canonical": "X"}', "label must be one of"),
    ('{"canonical": "X"}', "not a gazetteer line"),
    ("Nong Het", "not a gazetteer line"),
])
def test_a_bad_gazetteer_line_is_named(tmp_path, line, message):
    from pipeline.components.entity_lexicon import read_user_gazetteer

    path = tmp_path / "g.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        read_user_gazetteer(path)
    assert "g.jsonl:1" in str(info.value)
