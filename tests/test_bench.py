"""`python -m pipeline bench` on a tiny corpus: every figure is printed and parseable.
Timings are never asserted (the machine is shared); only that they were measured."""

import math
import random
import subprocess
import sys

from pipeline.bench import FIGURES
from pipeline.synthetic import press_release, write_corpus

from conftest import ROOT


def test_bench_prints_every_figure_as_name_value():
    result = subprocess.run([sys.executable, "-m", "pipeline", "bench", "--n", "5", "--words", "200"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = {}
    for line in result.stdout.splitlines():
        name, _, value = line.partition("=")
        assert name.isidentifier() and value, f"not a name=value line: {line!r}"
        figures[name] = float(value)
    for name in FIGURES:
        assert name in figures, f"{name} missing from {result.stdout!r}"
        assert math.isfinite(figures[name]) and figures[name] > 0, (name, figures[name])
    assert figures["n_docs"] == 5 and figures["n_words"] > 5 * 100
    assert math.isclose(figures["ratio"], figures["words_per_s"] / figures["spacy_words_per_s"], rel_tol=0.01)


def test_the_corpus_is_deterministic_and_about_the_asked_length(tmp_path):
    first = write_corpus(tmp_path / "a", 3, words=600, seed=7)
    again = write_corpus(tmp_path / "b", 3, words=600, seed=7)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert first[0].read_bytes() != first[1].read_bytes()
    for path in first:
        assert 600 <= len(path.read_text(encoding="utf-8").split()) <= 900
    # A later document does not depend on how many came before it.
    assert write_corpus(tmp_path / "c", 1, words=600, seed=7, start=2)[0].read_bytes() == first[2].read_bytes()


def test_templates_fill_every_slot():
    for seed in range(30):
        text = press_release(random.Random(seed), words=300)
        assert "{" not in text and "}" not in text


def test_the_pipeline_leaves_out_what_nothing_reads(nlp):
    """Performance choices of pipeline.annotate: no parser or lemmatizer; sentences from the senter."""
    assert "parser" not in nlp.component_names and "lemmatizer" not in nlp.component_names
    assert "senter" in nlp.pipe_names
    doc = nlp("The delegation arrived in Vientiane on Monday. Talks began on Tuesday.")
    assert [s.text for s in doc.sents] == ["The delegation arrived in Vientiane on Monday.", "Talks began on Tuesday."]


def test_the_components_get_the_models_tags(nlp, settings):
    """The tagger and attribute ruler run on every Doc (components read .pos_/.tag_), and give
    the tags the model's full default pipeline gives."""
    import spacy

    text = "The three won gold, and the bank handed over $3 million in won."
    doc = nlp(text)
    full = spacy.load(settings.model)(text)
    assert [(t.tag_, t.pos_) for t in doc] == [(t.tag_, t.pos_) for t in full]
