"""extractions.xlsx: one typed sheet per table, and the same bytes on every write."""

import datetime as dt
import time
import zipfile

import openpyxl
import pytest

from pipeline.schema import TABLES
from pipeline.write import table_records
from pipeline.xlsx import MAX_WIDTH, MIN_WIDTH, write_workbook

# Rows written for these tests; values chosen to hit every cell type the workbook makes.
ROWS = {
    "documents": [
        {"doc_id": "b_visit", "source_file": "b_visit.txt", "sha256": "ab" * 32, "title": "=HYPERLINK(\"http://x\")",
         "published": "2024-03-11", "published_from": "header", "n_words": 412, "status": "ok"},
        {"doc_id": "a_forum", "source_file": "a_forum.md", "sha256": "cd" * 32, "title": "Forum opens in Vientiane",
         "published": "", "published_from": "none", "n_words": 0, "status": "error", "error": "the file has no text"},
    ],
    "dates": [
        {"doc_id": "b_visit", "text": "March 2024", "date_start": "2024-03", "date_end": "2024-03", "granularity": "month",
         "start_char": 10, "end_char": 20, "context": "The plan starts in March 2024."},
        {"doc_id": "b_visit", "text": "11 March 2024", "date_start": "2024-03-11", "date_end": "2024-03-11", "granularity": "day",
         "start_char": 40, "end_char": 53, "context": "-5 degrees on 11 March 2024."},
    ],
    "money": [
        {"doc_id": "b_visit", "text": "US$3.5 million", "amount": 3500000, "currency": "USD", "start_char": 60, "end_char": 74, "context": "A grant of US$3.5 million."},
        {"doc_id": "b_visit", "text": "2.5 USD", "amount": 2.5, "currency": "USD", "start_char": 80, "end_char": 87, "context": "Only 2.5 USD."},
    ],
}


@pytest.fixture(scope="module")
def records():
    return {t.name: table_records(t, ROWS.get(t.name, [])) for t in TABLES}


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory, records):
    path = tmp_path_factory.mktemp("xlsx") / "extractions.xlsx"
    write_workbook(path, records)
    return path


def _cells(sheet):
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)]


def test_two_writes_are_byte_identical(tmp_path, records, workbook_path):
    # Zip entry times have a 2-second resolution: wait past it so a clock leak would show.
    time.sleep(2.1)
    again = tmp_path / "again.xlsx"
    write_workbook(again, records)
    assert again.read_bytes() == workbook_path.read_bytes()


def test_timestamps_are_fixed(workbook_path):
    with zipfile.ZipFile(workbook_path) as archive:
        # XlsxWriter's own fixed time for every entry, never the clock
        assert len({info.date_time for info in archive.infolist()}) == 1
        assert archive.infolist()[0].date_time[0] == 1980
        core = archive.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core
    assert str(dt.date.today().year) not in core


def test_one_sheet_per_table_with_frozen_header_filters_and_widths(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    assert wb.sheetnames == [t.name for t in TABLES]
    for table in TABLES:
        sheet = wb[table.name]
        assert [c.value for c in sheet[1]] == table.column_names
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        for letter, dim in sheet.column_dimensions.items():
            # the file stores a width plus Excel's cell padding (under one character)
            assert MIN_WIDTH <= dim.width <= MAX_WIDTH + 1, (table.name, letter)
    # The context column is wider than the currency column.
    money = wb["money"]
    header = [c.value for c in money[1]]
    letter = lambda name: openpyxl.utils.get_column_letter(header.index(name) + 1)  # noqa: E731
    assert money.column_dimensions[letter("context")].width > money.column_dimensions[letter("currency")].width


def test_full_dates_are_date_cells_and_partial_dates_stay_text(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    documents = {c["doc_id"].value: c for c in _cells(wb["documents"])}
    published = documents["b_visit"]["published"]
    assert published.is_date and published.value == dt.datetime(2024, 3, 11)
    assert published.number_format == "yyyy-mm-dd"
    assert documents["a_forum"]["published"].value is None
    dates = _cells(wb["dates"])
    assert dates[0]["date_start"].value == "2024-03" and dates[0]["date_start"].data_type == "s"
    assert dates[1]["date_start"].is_date
    # The mention's own text is never turned into a date.
    assert dates[1]["text"].data_type == "s"


def test_amounts_and_offsets_are_numbers(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    money = _cells(wb["money"])
    assert [c["amount"].value for c in money] == [3500000, 2.5]
    assert all(c["amount"].data_type == "n" and c["start_char"].data_type == "n" for c in money)


def test_text_that_looks_like_a_formula_stays_text(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    documents = {c["doc_id"].value: c for c in _cells(wb["documents"])}
    title = documents["b_visit"]["title"]
    assert title.data_type == "s" and title.value == '=HYPERLINK("http://x")'
    # The CSV's protecting apostrophe is not shown in the workbook.
    context = _cells(wb["dates"])[1]["context"]
    assert context.value == "-5 degrees on 11 March 2024."


def test_rows_are_in_the_tables_order(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    assert [c["doc_id"].value for c in _cells(wb["documents"])] == ["a_forum", "b_visit"]
