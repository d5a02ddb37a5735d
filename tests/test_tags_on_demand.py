"""Tags on demand (pipeline/components/tags_on_demand.py) and the date Matcher's anchor windows
(DateAnchors in pipeline/components/dates.py) are speed-ups that must change nothing: the same
tags as tagging the whole document, the same matches as matching it, the same rows."""

from pathlib import Path

import pytest
import spacy
from mention_examples import EXAMPLES, PUBLISHED

from pipeline.annotate import build_nlp
from pipeline.clean import clean
from pipeline.components.dates import load_patterns
from pipeline.components.tags_on_demand import (
    TAGGING_PIPES,
    TagsOnDemand,
    encoder_reach,
    pos_from_token_alone,
    tagging_can_wait,
)
from pipeline.extract import doc_rows
from pipeline.synthetic import write_corpus

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted((ROOT / "raw").glob("*.txt")) + sorted((ROOT / "tests" / "gold" / "docs").glob("*.txt"))


def example_sentences() -> list[str]:
    """Every string of the example tables: sentences, and a few values, which do no harm."""
    import yaml

    found: list[str] = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(EXAMPLES.glob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> list[str]:
    """The seeds, the gold documents and 20 synthetic press releases (pipeline.synthetic)."""
    synthetic = tmp_path_factory.mktemp("synthetic")
    write_corpus(synthetic, 20, words=600, seed=7)
    paths = DOCUMENTS + sorted(synthetic.glob("*.txt"))
    return [clean(p.read_text(encoding="utf-8")).body for p in paths]


@pytest.fixture(scope="module")
def whole_document_tagger(settings):
    return spacy.load(settings.model, exclude=["parser", "lemmatizer"])


@pytest.fixture(scope="module")
def nlp_tagging_everything(settings):
    """The project's pipeline with the tagging pipes left in: every Doc fully tagged."""
    nlp = build_nlp(settings)
    for name in TAGGING_PIPES:
        if name in nlp.disabled:
            nlp.enable_pipe(name)
    return nlp


def test_the_default_model_tags_on_demand(nlp):
    assert not set(TAGGING_PIPES) & set(nlp.pipe_names)
    assert encoder_reach(nlp) == 4  # MaxoutWindowEncoder, depth 4, window 1


def test_a_tok2vec_that_feeds_the_parser_stays(settings):
    assert not tagging_can_wait(spacy.load(settings.model))


LISTENING_TAGGER = {"model": {"@architectures": "spacy.Tagger.v2", "tok2vec": {
    "@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}}}


def test_a_tagger_listening_to_an_encoder_outside_the_tagging_pipes_stays():
    # e.g. a transformer's listener: without its upstream the tagger would read zeros
    nlp = spacy.blank("en")
    nlp.add_pipe("tagger", config=LISTENING_TAGGER)
    assert not tagging_can_wait(nlp)
    nlp.add_pipe("tok2vec", first=True)
    assert tagging_can_wait(nlp)


def test_the_models_attribute_ruler_reads_one_token_at_a_time(whole_document_tagger):
    assert pos_from_token_alone(whole_document_tagger.get_pipe("attribute_ruler"))


@pytest.mark.parametrize("pattern, alone", [
    ([{"TAG": "NN", "LOWER": "plan"}], True),
    ([{"LOWER": "will"}, {"TAG": "VB"}], False),  # the second token's POS depends on the first
    ([{"DEP": "expl"}, {"LOWER": "is"}], True),  # matches only after a parse, and none runs
    ([{"TAG": "NN", "MORPH": "Number=Sing"}], False),  # reads more than the tag and the word
])
def test_a_ruler_that_reads_context_is_run_as_it_is(pattern, alone):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add(patterns=[pattern], attrs={"POS": "VERB"}, index=len(pattern) - 1)
    assert pos_from_token_alone(ruler) is alone


def test_without_a_tagger_no_tags_and_no_error():
    nlp = spacy.blank("en")
    doc = nlp("The ministry plans to sign the plan on Monday.")
    tags = TagsOnDemand(nlp)
    assert tags.ensure(doc, 2) is False
    assert tags.pos(doc[2]) == ""
    assert TagsOnDemand(None).tag(doc[0]) == ""


def test_sentences_get_the_tags_of_the_whole_document(nlp, whole_document_tagger, texts):
    tags = TagsOnDemand(nlp)
    compared = 0
    for text in texts:
        expected = whole_document_tagger(text)
        doc = nlp(text)
        sentences = list(doc.sents)
        # some sentences at once, then the others one by one, the last first
        tags.ensure_many(doc, [s.start for s in sentences[::3]])
        for sentence in reversed(sentences):
            assert tags.ensure(doc, sentence.end - 1)
        assert [(t.tag_, t.pos_) for t in doc] == [(t.tag_, t.pos_) for t in expected]
        compared += len(doc)
    assert compared > 15000


def test_a_rule_reading_one_sentence_tags_only_that_one(nlp):
    # sentences only: the project's components would ask for tags themselves
    doc = nlp.get_pipe("senter")(nlp.make_doc("The plan was signed in 2022. It runs for five years. They met."))
    second = list(doc.sents)[1]
    assert TagsOnDemand(nlp).pos(doc[second.start]) == "PRON"
    assert [t.i for t in doc if t.tag != 0] == list(range(second.start, second.end))


def test_rows_are_the_same_as_with_the_whole_document_tagged(nlp, nlp_tagging_everything, texts):
    for text in texts + example_sentences():
        rows = []
        for pipeline in (nlp, nlp_tagging_everything):
            doc = pipeline.make_doc(text)
            doc._.published = PUBLISHED
            rows.append(doc_rows(pipeline(doc)))
        assert rows[0] == rows[1], text[:80]


def test_date_matches_in_anchor_windows_are_the_whole_documents(nlp, texts):
    dates = nlp.get_pipe("press_dates")
    total = 0
    for text in texts + example_sentences():
        doc = nlp.make_doc(text)
        expected = list(dates.matcher(doc))
        assert list(dates._matches(doc)) == expected, text[:80]
        total += len(expected)
    assert total > 1000


def test_a_date_pattern_of_connectors_only_is_refused(tmp_path):
    patterns = tmp_path / "dates_patterns.jsonl"
    patterns.write_text('{"id": "nonsense", "pattern": ["$THE", "$YEAR?", "$OF"]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="needs a required class"):
        load_patterns(patterns)
