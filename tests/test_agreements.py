"""Agreements: the example table (tests/examples/agreements.yml) through the real pipeline,
and the period normaliser on its own."""

import pytest
from mention_examples import load_examples, mention_values

from pipeline.evaluate import fold_name
from pipeline.normalize.agreements import duration_end, duration_years, period_years, plausible_period

EXAMPLES = load_examples("agreements")


def agreement_rows(nlp, text):
    rows = mention_values(nlp, text, "agreements", ("agreement", "start_year", "end_year", "parties"))
    return [[*row[:4], folded_parties(row[4])] for row in rows]


def folded_parties(parties: str) -> str:
    """Parties are the entity layer's canonicals ("Hà Nội" for "Hanoi"): compared folded."""
    return " | ".join(fold_name(p) for p in parties.split(" | ")) if parties else ""


@pytest.mark.parametrize("case", EXAMPLES["positives"], ids=lambda c: c["text"][:50])
def test_agreement_example(nlp, case):
    expected = [[*row[:4], folded_parties(row[4])] for row in case["rows"]]
    assert agreement_rows(nlp, case["text"]) == expected


@pytest.mark.parametrize("case", EXAMPLES["negatives"], ids=lambda c: c["reason"])
def test_not_an_agreement_period(nlp, case):
    assert agreement_rows(nlp, case["text"]) == []


@pytest.mark.parametrize("written,expected", [
    ("2022 - 2025", (2022, 2025)), ("2022-25", (2022, 2025)), ("from 2022 to 2025", (2022, 2025)),
    ("2024", (2024, 2024)), ("1998-02", (1998, 2002)), ("between 2019 and 2023", (2019, 2023)),
])
def test_period_years(written, expected):
    assert period_years(written) == expected


def test_duration_counts_the_start_year():
    assert duration_end(2024, 5) == 2028
    assert duration_end(2023, 1) == 2023


@pytest.mark.parametrize("written,expected", [("five", 5), ("Five", 5), ("5", 5), ("many", None)])
def test_duration_years(written, expected):
    assert duration_years(written, {"five": 5}) == expected


def test_implausible_periods():
    assert not plausible_period(2025, 2021)
    assert not plausible_period(1900, 2100)
    assert plausible_period(2022, 2022)
