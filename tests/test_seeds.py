"""Hand-written expectations for the two seed press releases in raw/ (issue: end to end).

These are the specification; the snapshots only record what the pipeline does now.
"""

import pytest

D000 = "000_d80f09471b6c6da1"
D002 = "002_14dff7261d5997f9"


def rows(tables, name, doc_id):
    frame = tables[name]
    return frame[frame["doc_id"] == doc_id]


def document(tables, doc_id):
    return rows(tables, "documents", doc_id).to_dict("records")[0]


# --- documents --------------------------------------------------------------------------

def test_000_metadata(tables):
    doc = document(tables, D000)
    assert (doc["published"], doc["published_from"], doc["author"], doc["status"]) == ("2024-03-14", "header", "Uyen Nhi", "ok")
    assert doc["title"] == "Cooperation between Hanoi and Vientiane to be Enhanced"


def test_002_metadata(tables):
    doc = document(tables, D002)
    assert (doc["published"], doc["published_from"], doc["source"], doc["status"]) == ("2024-03-11", "manifest", "VNS", "ok")
    assert doc["dateline_place"].lower() == "vientiane"


def test_offsets_point_at_text(tables, raw_extraction):
    for name in ("entities", "dates", "money", "agreements"):
        for row in tables[name].to_dict("records"):
            assert row["text"] in row["context"], (name, row)


# --- dates ------------------------------------------------------------------------------

DATES = [
    (D000, "March 11 and 12, 2024", "2024-03-11", "2024-03-12", ""),
    (D000, "April 2022", "2022-04", "2022-04", ""),
    (D000, "2022 - 2025", "2022", "2025", ""),
    (D000, "2022-2025", "2022", "2025", ""),
    (D000, "late February this year", "2024-02", "2024-02", "late"),
    (D000, "2022-2023", "2022", "2023", ""),
    (D002, "March 11", "2024-03-11", "2024-03-11", ""),
    (D002, "2022-25", "2022", "2025", ""),
    (D002, "2024", "2024", "2024", ""),
    (D002, "this year", "2024", "2024", ""),
]


@pytest.mark.parametrize("doc_id,text,start,end,modifier", DATES)
def test_seed_dates(tables, doc_id, text, start, end, modifier):
    found = rows(tables, "dates", doc_id)
    found = found[found.text == text]
    assert len(found), f"no date row for {text!r}"
    assert set(zip(found.date_start, found.date_end, found.modifier)) == {(start, end, modifier)}


@pytest.mark.parametrize("doc_id,text", [
    (D000, "just over a year"), (D000, "10:11 AM"), (D000, "14/03/2024"), (D002, "the same day"), (D002, "same day"),
])
def test_seed_non_dates(tables, doc_id, text):
    found = rows(tables, "dates", doc_id)
    assert text not in set(found.text)


def test_000_dates_complete(tables):
    found = rows(tables, "dates", D000)
    assert len(found[found.text.isin(["2022-2025", "2022 - 2025"])]) == 5


# --- money and agreements ---------------------------------------------------------------

def test_000_money(tables):
    found = rows(tables, "money", D000)
    assert found[["text", "amount", "currency", "qualifier"]].to_dict("records") == [
        {"text": "3 million USD", "amount": "3000000", "currency": "USD", "qualifier": ""}
    ]


def test_002_has_no_money(tables):
    assert rows(tables, "money", D002).empty


def test_000_agreements(tables):
    found = rows(tables, "agreements", D000)
    assert len(found) == 4, "the Cooperation Agreement with its period is named four times"
    assert set(zip(found.agreement.str.lower(), found.start_year, found.end_year)) == {("cooperation agreement", "2022", "2025")}
    assert all("2022" in t and "2025" in t for t in found.text)


def test_002_agreements(tables):
    found = rows(tables, "agreements", D002)
    assert len(found) == 2
    assert set(zip(found.agreement.str.lower(), found.start_year, found.end_year)) == {("cooperation agreement", "2022", "2025")}


# --- entities ---------------------------------------------------------------------------

def names(tables, doc_id, label):
    found = rows(tables, "entities", doc_id)
    return set(found[found.label == label].text)


def canonicals(tables, doc_id, label):
    found = rows(tables, "entities", doc_id)
    return set(found[found.label == label].canonical)


def test_000_people(tables):
    assert names(tables, D000, "PERSON") == {
        "Dinh Tien Dung", "Nguyen Phu Trong", "Thongloun Sisoulith", "Sonexay Siphandone", "Anouphap Tounalom",
    }


def test_002_people(tables):
    people = names(tables, D002, "PERSON")
    assert {"Đinh Tiến Dũng", "Sonexay Siphandone", "Anouphap Tounalom", "Dũng"} <= people
    assert people <= {"Đinh Tiến Dũng", "Sonexay Siphandone", "Anouphap Tounalom", "Dũng"}
    assert canonicals(tables, D002, "PERSON") == {"Đinh Tiến Dũng", "Sonexay Siphandone", "Anouphap Tounalom"}


def test_author_is_not_a_body_entity(tables):
    assert "Uyen Nhi" not in set(rows(tables, "entities", D000).text)


def test_000_places(tables):
    assert names(tables, D000, "GPE") == {"Hanoi", "Vientiane", "Vientiane Capital", "Laos", "Vietnam"}


def test_002_places(tables):
    places = names(tables, D002, "GPE")
    assert {"Hà Nội", "Vientiane", "Laos", "Việt Nam"} <= places
    found = rows(tables, "entities", D002)
    assert set(found[found.text.str.startswith("Hà Nội") & (found.label != "GPE") & (found.text.str.len() <= 8)].label) == set()


def test_000_organisations(tables):
    orgs = {o.removeprefix("the ") for o in names(tables, D000, "ORG")}
    expected = {
        "Politburo", "Hanoi Party Committee", "National Assembly", "Communist Party of Vietnam",
        "Lao People's Revolutionary Party", "Vientiane Municipal Party Committee",
        "Department of Justice", "People's Procuracy of Vientiane Capital",
    }
    assert expected <= orgs, expected - orgs
    assert not orgs & {"Party", "State", "USD", "Dinh Tien Dung", "Thongloun Sisoulith", "Anouphap Tounalom"}
    assert not any(person in org for org in orgs for person in ("Tounalom", "Sisoulith", "Siphandone"))


def test_002_organisations(tables):
    orgs = {o.removeprefix("the ") for o in names(tables, D002, "ORG")}
    assert {"Hà Nội Party Committee", "Party Committee", "People's Council of Vientiane"} <= orgs, orgs
    assert not orgs & {"Party", "State", "States", "Parties", "Hà Nội", "Vientiane", "VNS"}
