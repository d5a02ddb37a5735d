"""The README's data dictionary is generated from pipeline.schema and must stay in step."""

from pipeline.schema import data_dictionary_markdown

from conftest import ROOT


def test_readme_holds_the_generated_data_dictionary():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert data_dictionary_markdown().strip() in readme, "regenerate the README's data dictionary with `python -m pipeline schema`"


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make extract" in readme and "make test" in readme
