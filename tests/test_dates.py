"""Dates: the example table (tests/examples/dates.yml) through the real pipeline, the
normaliser's rules one by one, and the data the rules are made of."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from pipeline.components.dates import PATTERNS_PATH, TOKENS_PATH, DatesComponent, load_patterns, word_lists
from pipeline.extract import doc_rows
from pipeline.normalize.calendar import MONTHS
from pipeline.normalize.dates import GRANULARITIES, DateContext, fiscal_year_months, normalise_date, year_given

EXAMPLES_PATH = Path(__file__).parent / "examples" / "dates.yml"
EXAMPLES = yaml.safe_load(EXAMPLES_PATH.read_text(encoding="utf-8"))
DEFAULT_PUBLISHED = EXAMPLES["published"]


def _example_id(example: dict) -> str:
    extra = "".join(f"|{k}={v}" for k, v in sorted(example.get("settings", {}).items()))
    published = example.get("published", DEFAULT_PUBLISHED)
    return f"{example['text'][:60]}|{published}{extra}"


def annotate(nlp, text: str, published: str | None, settings: dict | None = None):
    doc = nlp.make_doc(text)
    doc._.doc_id = "example"
    doc._.published = published
    doc = nlp(doc)
    if settings:
        # The session pipeline has the default settings; re-run the date rules with others.
        doc = DatesComponent(nlp, **settings)(doc)
    return doc


@pytest.mark.parametrize("example", EXAMPLES["examples"], ids=_example_id)
def test_example(nlp, example):
    published = example.get("published", DEFAULT_PUBLISHED)
    doc = annotate(nlp, example["text"], published, example.get("settings"))
    rows = doc_rows(doc)["dates"]
    found = [[r["text"], r["date_start"], r["date_end"], r["granularity"], r["modifier"]] for r in rows]
    expected = [[str(cell) for cell in row] for row in example["rows"]]
    assert found == expected, example.get("why", "")
    for row in rows:
        assert doc.text[row["start_char"]:row["end_char"]] == row["text"]


def test_table_is_large_and_has_reasoned_negatives():
    examples = EXAMPLES["examples"]
    assert len(examples) >= 110
    negatives = [e for e in examples if not e["rows"]]
    assert len(negatives) >= 20
    assert all(e.get("why") for e in negatives), "every negative says why it is not a date"
    assert any(e.get("published", DEFAULT_PUBLISHED) is None for e in examples)


def test_pipeline_accepts_a_prepared_doc(nlp):
    """Language.__call__ takes a Doc: the extensions set before the pipeline survive it."""
    doc = nlp.make_doc("The talks ended yesterday.")
    doc._.published = "2024-03-14"
    assert nlp(doc) is doc
    assert [s._.value["date_start"] for s in doc.spans["dates"]] == ["2024-03-13"]


@pytest.mark.parametrize("raw,text,start,end", [
    ("The plan for 2022\u20132025 was adopted.", "2022-2025", "2022", "2025"),
    ("The visit on  March  12,\u00a0 2024 was short.", "March 12, 2024", "2024-03-12", "2024-03-12"),
    ("Signed on 12\u200b March 2024.", "12 March 2024", "2024-03-12", "2024-03-12"),
])
def test_unclean_text_after_the_cleaner(nlp, raw, text, start, end):
    """The patterns assume the cleaner's output (one kind of dash, single spaces): check the
    two together on text that needs cleaning."""
    from pipeline.clean import normalise_text

    doc = annotate(nlp, normalise_text(raw), "2024-03-14")
    assert [(s.text, s._.value["date_start"], s._.value["date_end"]) for s in doc.spans["dates"]] == [(text, start, end)]


def test_publication_date_may_be_a_date_object(nlp):
    doc = annotate(nlp, "The talks ended yesterday.", dt.date(2024, 3, 14))
    assert [s._.value["date_start"] for s in doc.spans["dates"]] == ["2024-03-13"]


# --- the tokenisation the patterns assume -----------------------------------------------------

@pytest.mark.parametrize("text,tokens", [
    ("2022-2025", ["2022", "-", "2025"]),
    ("2022 - 2025", ["2022", "-", "2025"]),
    ("2022-25", ["2022", "-", "25"]),
    ("2022/23", ["2022/23"]),
    ("2024-03-12", ["2024", "-", "03", "-", "12"]),
    ("12/03/2024", ["12/03/2024"]),
    ("12.03.2024", ["12.03.2024"]),
    ("12-03-2024", ["12", "-", "03", "-", "2024"]),
    ("mid-2023", ["mid-2023"]),
    ("mid-March", ["mid", "-", "March"]),
    ("11-12 March", ["11", "-", "12", "March"]),
    ("FY2023/24", ["FY2023/24"]),
    ("Q3/2024", ["Q3/2024"]),
    ("Mar. 12", ["Mar.", "12"]),
    ("12th", ["12th"]),
    ("a 2024-member", ["a", "2024", "-", "member"]),
])
def test_tokenisation_the_patterns_assume(nlp, text, tokens):
    assert [t.text for t in nlp.make_doc(text)] == tokens


# --- the rules as data ------------------------------------------------------------------------

def test_every_token_class_a_pattern_names_is_defined_and_used():
    classes = set(yaml.safe_load(TOKENS_PATH.read_text(encoding="utf-8")))
    named = set()
    for line in PATTERNS_PATH.read_text(encoding="utf-8").splitlines():
        for item in json.loads(line)["pattern"]:
            if isinstance(item, str):
                named.add(item.lstrip("$").rstrip("?"))
    assert named <= classes, named - classes
    assert classes <= named, f"unused token classes: {classes - named}"


def test_word_lists_cover_the_calendar_months():
    months = set(word_lists()["months"])
    assert set(MONTHS) <= months
    assert "may." not in months


def test_patterns_load_into_matcher_token_dicts():
    patterns = load_patterns()
    assert patterns and all(isinstance(t, dict) for p in patterns for t in p["pattern"])


# --- the normaliser, one rule per test -------------------------------------------------------------

THU = dt.date(2024, 3, 14)


def value(text, **context):
    context.setdefault("published", THU)
    found = normalise_date(text, DateContext(**context))
    return None if found is None else (found["date_start"], found["date_end"], found["granularity"], found["modifier"])


@pytest.mark.parametrize("text,expected", [
    ("12 March 2024", ("2024-03-12", "2024-03-12", "day", "")),
    ("March 12 2024", ("2024-03-12", "2024-03-12", "day", "")),
    ("Tue., 12 March 2024", ("2024-03-12", "2024-03-12", "day", "")),
    ("the 12th of March", ("2024-03-12", "2024-03-12", "day", "")),
    ("2024-03-12", ("2024-03-12", "2024-03-12", "day", "")),
    ("31/04/2024", None),
    ("March 2024", ("2024-03", "2024-03", "month", "")),
    ("2024", ("2024", "2024", "year", "")),
    ("2022-2025", ("2022", "2025", "year", "")),
    ("2098-03", None),
    ("2024-03", None),
    ("2022/2021", None),
    ("1990s", ("1990", "1999", "year", "")),
    ("Q2", ("2024-04", "2024-06", "quarter", "")),
    ("2Q2024", ("2024-04", "2024-06", "quarter", "")),
    ("last quarter of 2023", ("2023-10", "2023-12", "quarter", "")),
    ("1H2025", ("2025-01", "2025-06", "half", "")),
    ("FY24", ("2024-01", "2024-12", "fiscal_year", "")),
    ("this week", ("2024-03-11", "2024-03-17", "week", "")),
    ("next month", ("2024-04", "2024-04", "month", "")),
    ("end of next month", ("2024-04", "2024-04", "month", "late")),
    ("middle of 2024", ("2024", "2024", "year", "mid")),
    ("start of 2025", ("2025", "2025", "year", "early")),
    ("between March 11 and 14", ("2024-03-11", "2024-03-14", "day", "")),
    ("from March 11 and 14", None),
    ("between 2021 to 2025", None),
    ("March 14-11", None),
    ("December 2023 - February 2024", ("2023-12", "2024-02", "month", "")),
    ("12 March 2024 - 14 March 2024", ("2024-03-12", "2024-03-14", "day", "")),
    ("fifty years", None),
    ("the same day", None),
])
def test_normalise(text, expected):
    assert value(text) == expected


def test_month_takes_the_year_the_text_gave_before_the_publication_year():
    assert value("March", previous_year=2019)[0] == "2019-03"
    assert value("March")[0] == "2024-03"
    assert value("March", published=None)[0] == "XXXX-03"


def test_relative_year_ignores_the_year_the_text_gave():
    assert value("this year", previous_year=2019)[0] == "2024"
    assert value("this year", published=None, previous_year=2019)[0] == "XXXX"


def test_written_year_wins_over_context():
    assert value("March 2021", previous_year=2019)[0] == "2021-03"


def test_range_inherits_year_from_its_end():
    assert value("March 30 - April 2, 2023")[:2] == ("2023-03-30", "2023-04-02")


@pytest.mark.parametrize("published,text,forward,expected", [
    (dt.date(2024, 3, 14), "Monday", False, "2024-03-11"),
    (dt.date(2024, 3, 14), "Monday", True, "2024-03-18"),
    (dt.date(2024, 3, 11), "Monday", False, "2024-03-11"),
    (dt.date(2024, 3, 11), "Monday", True, "2024-03-11"),
    (dt.date(2024, 3, 11), "last Monday", False, "2024-03-04"),
    (dt.date(2024, 3, 11), "next Monday", False, "2024-03-18"),
    (dt.date(2024, 3, 14), "this Friday", True, "2024-03-15"),
    (dt.date(2024, 12, 30), "next year", False, "2025"),
    (dt.date(2024, 1, 2), "last month", False, "2023-12"),
    (dt.date(2024, 1, 1), "yesterday", False, "2023-12-31"),
])
def test_relative_resolution(published, text, forward, expected):
    assert value(text, published=published, forward=forward)[0] == expected


def test_no_publication_date_never_reads_the_clock():
    assert value("today", published=None)[:2] == ("XXXX-XX-XX", "XXXX-XX-XX")
    assert value("last week", published=None)[2] == "week"
    assert value("next month", published=None)[0] == "XXXX-XX"


@pytest.mark.parametrize("start_month,year,expected", [
    (1, 2024, ((2024, 1), (2024, 12))),
    (10, 2024, ((2023, 10), (2024, 9))),
    (4, 2024, ((2023, 4), (2024, 3))),
])
def test_fiscal_year_months(start_month, year, expected):
    assert fiscal_year_months(year, start_month) == expected


def test_day_first_setting_never_flips_a_valid_date():
    assert value("04/05/2024", day_first=True)[0] == "2024-05-04"
    assert value("04/05/2024", day_first=False)[0] == "2024-04-05"
    assert value("13/05/2024", day_first=False)[0] == "2024-05-13"


@pytest.mark.parametrize("text,expected", [
    ("April 2022", 2022), ("12 March 2024", 2024), ("2022-2025", None), ("this year", None), ("March", None),
])
def test_year_given(text, expected):
    found = normalise_date(text, DateContext(published=THU))
    assert year_given(text, found) == expected


def test_granularities_are_the_documented_ones():
    granularities = {row[3] for e in EXAMPLES["examples"] for row in e["rows"]}
    assert granularities <= set(GRANULARITIES)
    assert all(re.fullmatch(r"[0-9X]{4}(-[0-9X]{2}){0,2}", str(row[1])) for e in EXAMPLES["examples"] for row in e["rows"])


def test_settings_reach_the_component():
    from pipeline.annotate import component_config
    from pipeline.settings import Settings

    config = component_config("press_dates", Settings(day_first=False, fiscal_year_start_month=10))
    assert config == {"day_first": False, "fiscal_year_start_month": 10}


def test_fiscal_year_start_month_is_checked(nlp):
    with pytest.raises(ValueError):
        DatesComponent(nlp, fiscal_year_start_month=13)


def test_every_word_list_of_the_lexicon_holds_words():
    """YAML reads a bare on, no, yes or off as a boolean: a word list must hold strings only."""
    from pipeline.normalize.dates import LEXICON

    for name, value in LEXICON.items():
        if isinstance(value, list):
            assert all(isinstance(word, str) for word in value), name
