"""report.html: every document with its extractions highlighted, escaped, deterministic;
and opened in a real headless browser (Debian's chromium, driven by Selenium)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from pipeline.report import FILE_NAME, write_report
from pipeline.schema import TABLES
from pipeline.write import table_records

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

# A made-up release whose text and metadata try to inject markup.
BODY = (
    "VIENTIANE - Minister Khamla Vongsa announced on 11 March 2024 a grant of US$2 million.\n\n"
    "<script>window.injected = 1;</script> The Cooperation Agreement for 2022 - 2025 stays in force."
)


def _span(text, **values):
    start = BODY.index(text)
    return {"doc_id": "visit<1>", "text": text, "start_char": start, "end_char": start + len(text),
            "context": "irrelevant here", **values}


ROWS = {
    "documents": [
        {"doc_id": "visit<1>", "source_file": "visit<1>.txt", "sha256": "0" * 64, "title": "<b>Grant</b> & <i>visit</i>",
         "published": "2024-03-12", "published_from": "header", "n_words": 25, "status": "ok"},
        {"doc_id": "zz_broken", "source_file": "zz_broken.txt", "sha256": "1" * 64, "published_from": "none",
         "n_words": 0, "status": "error", "error": "the file has no text <img src=x onerror=alert(1)>"},
    ],
    "entities": [_span("Khamla Vongsa", label="PERSON", canonical="Khamla Vongsa"), _span("VIENTIANE", label="GPE", canonical="Vientiane")],
    "dates": [_span("11 March 2024", date_start="2024-03-11", date_end="2024-03-11", granularity="day"),
              _span("2022 - 2025", date_start="2022", date_end="2025", granularity="year")],
    "money": [_span("US$2 million", amount=2000000, currency="USD")],
    "agreements": [_span("Cooperation Agreement for 2022 - 2025", agreement="Cooperation Agreement", start_year=2022, end_year=2025)],
}


def _records():
    return {t.name: table_records(t, ROWS.get(t.name, [])) for t in TABLES}


@pytest.fixture(scope="module")
def report_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / FILE_NAME
    write_report(path, _records(), {"visit<1>": BODY})
    return path


def test_text_and_metadata_are_escaped(report_path):
    page = report_path.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;window.injected = 1;&lt;/script&gt;" in page
    assert "<b>Grant</b>" not in page and "&lt;b&gt;Grant&lt;/b&gt; &amp; &lt;i&gt;visit&lt;/i&gt;" in page
    assert "<img" not in page
    assert 'data-doc-id="visit&lt;1&gt;"' in page


def test_every_table_is_highlighted_and_nested_mentions_are_listed(report_path):
    page = report_path.read_text(encoding="utf-8")
    for table, label in (("entities", "PERSON"), ("entities", "GPE"), ("dates", "DATES"), ("money", "MONEY"), ("agreements", "AGREEMENTS")):
        assert f'data-table="{table}" data-label="{label}"' in page
    # The date inside the agreement cannot be nested in the highlight but is in the list of rows.
    assert page.count('class="extraction"') == 5
    assert "<summary>6 rows</summary>" in page
    assert 'title="amount=2000000; currency=USD"' in page


def test_summary_counts_rows_and_shows_errors(report_path):
    page = report_path.read_text(encoding="utf-8")
    assert "<tr><td>money.csv</td><td class=\"n\">1</td></tr>" in page
    assert "the file has no text" in page


def test_two_writes_are_byte_identical(report_path, tmp_path):
    again = tmp_path / FILE_NAME
    write_report(again, _records(), [("visit<1>", BODY)])
    assert again.read_bytes() == report_path.read_bytes()


def test_the_run_writes_a_report_of_every_document(raw_extraction, tables):
    page = (raw_extraction / FILE_NAME).read_text(encoding="utf-8")
    for doc_id in tables["documents"].doc_id:
        assert f'data-doc-id="{doc_id}"' in page
    assert page.count('class="extraction"') > 0


# --- in a real browser ------------------------------------------------------------------

def _install_chromium() -> str:
    """Install Debian's chromium and chromium-driver when missing; '' when done, else why not."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return ""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "not root, so cannot apt-get install chromium chromium-driver"
    if not shutil.which("apt-get"):
        return "apt-get is not available"
    result = subprocess.run("apt-get update && apt-get install -y chromium chromium-driver", shell=True,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return f"apt-get failed: {result.stderr[-500:]}"
    return "" if CHROMIUM.exists() and CHROMEDRIVER.exists() else "chromium or chromedriver still missing after apt-get"


@pytest.fixture(scope="module")
def browser():
    problem = _install_chromium()
    if problem:
        # Never a skip: CI must not pass without having looked at the page.
        pytest.fail(f"the browser test needs {CHROMIUM} and {CHROMEDRIVER}: {problem}. "
                    "Install them with: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="report-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # An explicit driver path: selenium-manager must not try to download one.
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.browser
def test_highlights_render_in_a_browser(browser, report_path):
    from selenium.webdriver.common.by import By

    browser.get(report_path.as_uri())
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.extraction")
    assert [m.get_attribute("data-label") for m in marks] == ["GPE", "PERSON", "DATES", "MONEY", "AGREEMENTS"]
    person = marks[1]
    assert person.text.startswith("Khamla Vongsa") and person.is_displayed()
    assert person.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    # The press release's <script> is text on the page, and it never ran.
    assert browser.execute_script("return window.injected === undefined")
    assert "<script>window.injected = 1;</script>" in browser.find_element(By.CSS_SELECTOR, "section.document").text


@pytest.mark.browser
def test_the_real_report_renders_in_a_browser(browser, raw_extraction, tables):
    from selenium.webdriver.common.by import By

    browser.get((raw_extraction / FILE_NAME).as_uri())
    sections = browser.find_elements(By.CSS_SELECTOR, "section.document")
    assert len(sections) == len(tables["documents"])
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.extraction[data-table='entities']")
    # Overlapping mentions are highlighted once, so at most one mark per row.
    assert 0 < len(marks) <= len(tables["entities"])
    labels = {m.get_attribute("data-label") for m in marks}
    assert labels <= {"PERSON", "ORG", "GPE", "LOC"}
    # A mark shows the mention and then its label.
    shown = {m.text.rsplit(m.get_attribute("data-label"), 1)[0].strip() for m in marks[:20]}
    assert shown <= set(tables["entities"].text)
