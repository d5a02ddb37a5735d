"""Money: the example table (tests/examples/money.yml) through the real pipeline, and the
normaliser's number reading on its own."""

from decimal import Decimal

import pytest
from mention_examples import PUBLISHED, load_examples, mention_values

from pipeline.normalize.money import find_money, parse_number, parse_word_number, plain_number

EXAMPLES = load_examples("money")


def money_rows(nlp, text):
    return mention_values(nlp, text, "money", ("amount", "amount_max", "currency", "qualifier"))


@pytest.mark.parametrize("case", EXAMPLES["positives"], ids=lambda c: c["text"][:50])
def test_money_example(nlp, case):
    assert money_rows(nlp, case["text"]) == case["rows"]


@pytest.mark.parametrize("case", EXAMPLES["negatives"], ids=lambda c: c["reason"])
def test_not_money(nlp, case):
    assert money_rows(nlp, case["text"]) == []


@pytest.mark.parametrize("written,zero_minor,has_scale,expected", [
    ("3", False, False, "3"),
    ("2.5", False, True, "2.5"),
    ("1,500,000", False, False, "1500000"),
    ("1.500.000", True, False, "1500000"),
    ("500,000", False, False, "500000"),
    ("2,5", True, True, "2.5"),
    ("1.500", True, False, "1500"),  # a currency without decimals: thousands
    ("1.500", False, False, "1.5"),  # otherwise the English decimal point
    ("1.500", True, True, "1.5"),  # "1.500 billion đồng": a decimal before a scale word
    ("1,500,000.50", False, False, "1500000.50"),
    ("1.500.000,50", False, False, "1500000.50"),
])
def test_parse_number(written, zero_minor, has_scale, expected):
    assert parse_number(written, zero_minor, has_scale) == Decimal(expected)


@pytest.mark.parametrize("written,expected", [
    ("three", 3), ("twenty-five", 25), ("three hundred", 300), ("a", 1), ("half a", Decimal("0.5")),
    ("two hundred and fifty", 250), ("lots", None),
])
def test_parse_word_number(written, expected):
    words = {"a": 1, "three": 3, "two": 2, "twenty": 20, "five": 5, "fifty": 50, "hundred": 100}
    assert parse_word_number(written, words) == expected


def test_plain_number_has_no_exponent():
    assert plain_number(Decimal("2.4") * Decimal(10) ** 9) == 2400000000
    assert isinstance(plain_number(Decimal("2.4") * Decimal(10) ** 9), int)
    assert plain_number(Decimal("0.5")) == 0.5


def test_yen_sign_follows_the_document():
    assert [m.currency for m in find_money("A loan of ¥5 billion was signed.")] == ["JPY"]
    assert [m.currency for m in find_money("A loan of ¥5 billion (RMB) was signed.")] == ["CNY"]


def test_amounts_are_written_as_plain_numbers(nlp, tmp_path):
    """The CSV holds 3000000 and 2400000000, never 3e+06 or 2,400,000,000."""
    from pipeline.extract import doc_rows
    from pipeline.write import write_tables

    from conftest import read_table

    doc = nlp.make_doc("It cost 3 million USD, then EUR 2.4 bln, then US$2-3 million and $2,350,000.50.")
    doc._.doc_id = "d"
    doc._.published = PUBLISHED
    doc = nlp(doc)
    write_tables(tmp_path, {"money": doc_rows(doc)["money"]})
    money = read_table(tmp_path, "money")
    assert list(zip(money.amount, money.amount_max)) == [
        ("3000000", ""), ("2400000000", ""), ("2000000", "3000000"), ("2350000.5", "")]
