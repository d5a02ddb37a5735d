"""The evaluation's scorer on hand-made sets, its name folding, and the gold files' shape."""

import io
from pathlib import Path

import pytest
import yaml

from pipeline.evaluate import TABLES, Counts, fold_name, gold_keys, load_gold, run_eval, score

GOLD = Path(__file__).parent / "gold"
ROOT = Path(__file__).resolve().parent.parent


def test_perfect_score():
    doc = {"money": {(3000000, "USD")}, "agreements": {("2022", "2025")}}
    totals = score([(doc, doc)])
    assert (totals["money"].precision, totals["money"].recall, totals["money"].f1) == (1.0, 1.0, 1.0)
    assert totals["dates"].f1 == 1.0  # nothing expected, nothing found


def test_known_partial_score_is_micro_averaged():
    gold_a = {"money": {(1, "USD"), (2, "USD"), (3, "USD")}}
    found_a = {"money": {(1, "USD"), (2, "EUR")}}  # 1 tp, 1 fp, 2 fn
    gold_b = {"money": {(5, "VND")}}
    found_b = {"money": {(5, "VND"), (6, "VND")}}  # 1 tp, 1 fp
    c = score([(gold_a, found_a), (gold_b, found_b)])["money"]
    assert (c.tp, c.fp, c.fn) == (2, 2, 2)
    assert c.precision == pytest.approx(0.5)
    assert c.recall == pytest.approx(0.5)
    assert c.f1 == pytest.approx(0.5)


def test_nothing_found_scores_zero():
    c = Counts()
    c.add({"a"}, set())
    assert (c.precision, c.recall, c.f1) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("a,b", [
    ("Hà Nội", "Hanoi"),
    ("Đinh Tiến Dũng", "Dinh Tien Dung"),
    ("the Hà Nội Party Committee", "Ha Noi Party-Committee"),
    ("People's Council of Vientiane", "Peoples Council of Vientiane"),
    ("Việt Nam", "VIETNAM"),
])
def test_fold_name_equal(a, b):
    assert fold_name(a) == fold_name(b)


def test_fold_name_keeps_different_names_apart():
    assert fold_name("Vientiane") != fold_name("Vientiane Capital")
    assert fold_name("Theodore") == "theodore"  # only a leading word "the" goes


def test_gold_amounts_compare_by_value():
    keys = gold_keys({"money": [[3000000, "USD"], [2.5, "EUR"]], "agreements": [[None, 2030]]})
    from decimal import Decimal

    assert (Decimal("3000000.0"), "USD") in keys["money"]
    assert (Decimal("2.5"), "EUR") in keys["money"]
    assert keys["agreements"] == {("", "2030")}


def test_gold_files_are_well_formed():
    golds = load_gold(GOLD)
    assert len(golds) >= 5
    for gold in golds:
        source = GOLD / gold["file"] if "file" in gold else ROOT / "raw" / gold["raw"]
        assert source.exists(), gold["doc_id"]
        assert source.stem == gold["doc_id"]
        assert set(gold) - {"_path"} <= {"doc_id", "file", "raw", "published", *TABLES}


def test_eval_prints_a_line_per_table(tmp_path):
    """End to end on one small document: the machine-readable lines are there and right."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tiny.txt").write_text(
        "Aid for schools\n\nThe bank lent 3 million USD under the 2021-2025 action plan.\n", encoding="utf-8")
    (tmp_path / "tiny.yml").write_text(yaml.safe_dump({
        "doc_id": "tiny", "file": "docs/tiny.txt", "published": "2024-03-14",
        "money": [[3000000, "USD"]], "agreements": [[2021, 2025]],
    }), encoding="utf-8")
    from pipeline.settings import Settings

    out = io.StringIO()
    totals = run_eval(tmp_path / "no-raw", tmp_path, Settings(), out=out)
    assert "table=money precision=1.000 recall=1.000 f1=1.000" in out.getvalue()
    assert "table=agreements precision=1.000 recall=1.000 f1=1.000" in out.getvalue()
    assert {line.split()[0] for line in out.getvalue().splitlines() if line.startswith("table=")} == {f"table={t}" for t in TABLES}
    assert totals["money"].tp == 1
