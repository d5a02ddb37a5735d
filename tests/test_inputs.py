"""Bad and odd inputs, written as real bytes by each test: every one gets a clear message and a
documents.csv row, and every other file is processed as usual."""

import socket
import subprocess
import sys
import zipfile
import zlib

import pytest

from pipeline import html as html_module
from pipeline import pieces
from pipeline.clean import clean
from pipeline.read import InputError, decode_bytes, list_input_files, read_document, read_manifest

from conftest import ROOT, read_table

STORY = (
    "Hanoi and Vientiane sign a water plan\n\n"
    "VIENTIANE — The two capitals signed a plan on water supply for the 2024 – 2026 period on Monday.\n\n"
    "The Mayor of Vientiane said the plan would cost about 2 million USD.\n"
)


# --- encodings -------------------------------------------------------------------------------

ENCODED = [
    ("utf-8", "Đinh Tiến Dũng met the “delegation” – in Hà Nội.".encode("utf-8"), "Đinh Tiến Dũng met the “delegation” – in Hà Nội."),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + "Café Hà Nội".encode("utf-8"), "Café Hà Nội"),
    ("utf-16 LE with BOM", "\ufeffHà Nội – Viêng Chăn".encode("utf-16-le"), "Hà Nội – Viêng Chăn"),
    ("utf-16 BE with BOM", "\ufeffHà Nội – Viêng Chăn".encode("utf-16-be"), "Hà Nội – Viêng Chăn"),
    # Windows-1252: curly quotes, en dash and euro sign live in 0x80-0x9F; ñ tells it from cp1250.
    ("windows-1252", "The ministry’s “green” plan – worth €3 million – was signed by José Muñoz.".encode("cp1252"),
     "The ministry’s “green” plan – worth €3 million – was signed by José Muñoz."),
    ("latin-1", "Le ministre a signé l'accord à Genève avec la délégation française; Straße in München.".encode("latin-1"),
     "Le ministre a signé l'accord à Genève avec la délégation française; Straße in München."),
    ("latin-1, short", "Café opens in Hanoi.".encode("latin-1"), "Café opens in Hanoi."),
    # UTF-8 with one apostrophe pasted in from a Windows-1252 document.
    ("utf-8 with a stray byte", "Đinh Tiến Dũng visited Hà Nội. ".encode("utf-8") + b"The minister\x92s plan.",
     "Đinh Tiến Dũng visited Hà Nội. The minister’s plan."),
]


@pytest.mark.parametrize("name,data,expected", ENCODED, ids=[e[0] for e in ENCODED])
def test_encodings_are_decoded_not_mangled(name, data, expected):
    assert decode_bytes(data) == expected


ZIP_PATH = "word/document.xml"


def docx_bytes():
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ZIP_PATH, "<w:document>" + "Hanoi signs a plan. " * 50 + "</w:document>")
    return buffer.getvalue()


BINARY = [
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
    ("word file renamed", docx_bytes()),
    ("pdf renamed", b"%PDF-1.4\n1 0 obj<</Filter/FlateDecode>>stream\n" + zlib.compress(b"BT (Hanoi) Tj ET" * 40) + b"\nendstream\n%%EOF"),
    ("random bytes", bytes((i * 7919 + 13) % 251 + 3 for i in range(3000))),
]


@pytest.mark.parametrize("name,data", BINARY, ids=[b[0] for b in BINARY])
def test_binary_or_nonsense_bytes_are_an_input_error_that_says_what_to_do(name, data):
    with pytest.raises(InputError) as error:
        decode_bytes(data)
    assert "save" in str(error.value) or "export" in str(error.value)


# --- files that cannot be read -------------------------------------------------------------------

ODD_FILES = {
    "empty.txt": (b"", "empty"),
    "blank.md": (b"  \n\t\r\n   \n", "empty"),
    "blank16.txt": ("\ufeff   \n\n ".encode("utf-16-le"), "white space"),
    "photo.txt": (BINARY[0][1], "binary"),
    "renamed.txt": (docx_bytes(), "not text"),
    "report.pdf": (b"%PDF-1.4 binary", "save it as plain text (.txt) or as a web page (.html)"),
    "minutes.docx": (docx_bytes(), "is not a type the pipeline reads"),
    "README": (b"notes", "without an extension"),
    # A page whose article a script draws in the browser: the saved file has no article text.
    "app.html": (b"<html><head><title>News</title><script src='app.js'></script></head><body><div id='root'></div><script>render()</script></body></html>", "no article text"),
}


@pytest.mark.parametrize("name", sorted(ODD_FILES))
def test_each_odd_file_gets_an_error_that_says_what_to_do(tmp_path, name):
    data, expected = ODD_FILES[name]
    (tmp_path / name).write_bytes(data)
    doc = read_document(tmp_path / name)
    assert expected in doc.error
    assert any(verb in doc.error for verb in ("save", "export", "put", "paste")), doc.error


def test_hidden_and_lock_files_are_skipped_and_doc_ids_stay_unique(tmp_path):
    for name in (".DS_Store", "~$minutes.docx", "notes.txt~", "manifest.csv", "a.txt", "a.pdf", "b.html", "b.txt"):
        (tmp_path / name).write_bytes(b"x")
    found = {f.name: (f.doc_id, f.supported) for f in list_input_files(tmp_path)}
    assert found == {"a.pdf": ("a.pdf", False), "a.txt": ("a", True), "b.html": ("b", True), "b.txt": ("b.txt", True)}


def test_a_folder_inside_raw_is_reported_not_read(tmp_path):
    from pipeline.read import folder_warnings

    (tmp_path / "from_colleague").mkdir()
    (tmp_path / "from_colleague" / "a.txt").write_text("text")
    (tmp_path / ".git").mkdir()
    assert list_input_files(tmp_path) == []
    assert [w.split()[0] for w in folder_warnings(tmp_path)] == ["from_colleague/"]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def odd_folder_run(tmp_path_factory):
    """One CLI run over a folder of every odd file, two good ones and a malformed manifest."""
    base = tmp_path_factory.mktemp("odd")
    raw = base / "raw"
    raw.mkdir()
    for name, (data, _expected) in ODD_FILES.items():
        (raw / name).write_bytes(data)
    (raw / "good.txt").write_bytes(STORY.encode("utf-8"))
    (raw / "good1252.txt").write_bytes(STORY.replace("Hanoi", "Hanoi’s").encode("cp1252"))
    (raw / "manifest.csv").write_bytes(
        b"file,published,title\n"
        b"good.txt,2024-02-30,\n"
        b"../secret.txt,2024-01-01,\n"
        b"missing.txt,2024-01-01,\n"
        b"good1252.txt,2024-05-06,\n"
    )
    out = base / "out"
    result = run_cli("extract", "--raw", str(raw), "--out", str(out), "--quiet", "--no-cache")
    strict = run_cli("extract", "--raw", str(raw), "--out", str(base / "out2"), "--quiet", "--strict")
    return result, strict, read_table(out, "documents")


def test_odd_files_never_stop_the_run_or_print_a_traceback(odd_folder_run):
    result, strict, documents = odd_folder_run
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + strict.stderr
    assert strict.returncode == 1


def test_every_odd_file_has_an_error_row_and_a_terminal_line(odd_folder_run):
    result, _strict, documents = odd_folder_run
    rows = {r["source_file"]: r for r in documents.to_dict("records")}
    assert set(rows) == set(ODD_FILES) | {"good.txt", "good1252.txt"}
    for name, (_data, expected) in ODD_FILES.items():
        assert rows[name]["status"] == "error" and expected in rows[name]["error"], rows[name]
        assert f"error: {name}: " in result.stderr
    assert rows["good.txt"]["status"] == rows["good1252.txt"]["status"] == "ok"
    assert rows["good1252.txt"]["title"] == "Hanoi's and Vientiane sign a water plan"


def test_a_malformed_manifest_gives_one_warning_per_problem(odd_folder_run):
    result, _strict, documents = odd_folder_run
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: manifest.csv")]
    assert len(warnings) == 4, warnings
    for fragment in ("'source_url'", "2024-02-30", "../secret.txt", "missing.txt"):
        assert any(fragment in w for w in warnings), fragment
    rows = {r["source_file"]: r for r in documents.to_dict("records")}
    assert (rows["good1252.txt"]["published"], rows["good1252.txt"]["published_from"]) == ("2024-05-06", "manifest")
    assert rows["good.txt"]["published_from"] != "manifest"


@pytest.mark.parametrize("name", ["../x.txt", "/etc/passwd", "sub/x.txt", "..\\x.txt", "C:x.txt", "..", "."])
def test_manifest_names_outside_raw_are_refused(tmp_path, name):
    (tmp_path / "manifest.csv").write_text(f"file,published,source_url,title\n{name},2024-01-01,,\n", encoding="utf-8")
    rows, warnings = read_manifest(tmp_path)
    assert rows == {} and "refused" in warnings[0]


def test_manifest_without_a_file_column_is_ignored_with_a_warning(tmp_path):
    (tmp_path / "manifest.csv").write_text("name,date\na.txt,2024-01-01\n", encoding="utf-8")
    rows, warnings = read_manifest(tmp_path)
    assert rows == {} and "no 'file' column" in warnings[0]


def test_manifest_saved_by_excel_in_windows_1252_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "manifest.csv").write_bytes("file,published,source_url,title\r\na.txt,2024-03-01,,Café – opening\r\n".encode("cp1252"))
    rows, warnings = read_manifest(tmp_path)
    assert rows == {"a.txt": {"published": "2024-03-01", "source_url": "", "title": "Café – opening"}} and warnings == []


# --- HTML pages ----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Laos and Vietnam sign rail deal | Example News</title>
<meta property="og:title" content="Laos and Vietnam sign rail deal">
{date_meta}
<link rel="canonical" href="https://news.example.org/2019/01/09/rail-deal.html">
<style>body {{ color: red }} .secret-style {{ }}</style>
<script>var tracking = "SCRIPT-TEXT";</script></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">MENU-WORLD</a></li></ul></nav>
<article><h1>Laos and Vietnam sign rail deal</h1>{time}
<p>VIENTIANE — The two governments signed an agreement on Thursday to build a railway linking Vientiane with the port of Vung Ang, officials said.</p>
<p>The project, estimated at 5 billion USD, will run from 2025 to 2030 according to the transport ministry.</p>
<p>Construction crews are expected to begin surveying the route in the coming months, the ministry added.</p>
</article><footer>FOOTER-TEXT Copyright 2024 Example News. Posted 12 March 2021.</footer></body></html>"""

DATED = [
    ("meta", '<meta property="article:published_time" content="2024-05-02T08:30:00+07:00">', "", "2024-05-02"),
    ("json-ld", '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-11-20T10:00:00Z"}</script>', "", "2023-11-20"),
    ("time", "", '<time datetime="2022-07-15T09:00:00" pubdate="pubdate">15 July 2022</time>', "2022-07-15"),
    # A date only in the canonical URL, the footer text or the clock is not the page's metadata.
    ("none", "", "", ""),
]


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the pipeline tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize("name,date_meta,time,expected", DATED, ids=[d[0] for d in DATED])
def test_html_gives_article_text_title_and_the_pages_own_date(no_network, name, date_meta, time, expected):
    text, meta = html_module.html_to_text(PAGE.format(date_meta=date_meta, time=time))
    assert meta["published"] == expected
    assert meta["title"] == "Laos and Vietnam sign rail deal"
    assert text.startswith("Laos and Vietnam sign rail deal\n\nVIENTIANE — The two governments")
    assert "port of Vung Ang" in text and "surveying the route" in text
    for noise in ("SCRIPT-TEXT", "color: red", "MENU-WORLD", "FOOTER-TEXT"):
        assert noise not in text
    assert html_module.html_to_text(PAGE.format(date_meta=date_meta, time=time)) == (text, meta)


def test_html_date_does_not_depend_on_the_clock(monkeypatch):
    # htmldate's default upper bound is "today"; ours is fixed, so a page dated next year is
    # read the same way on every day.
    page = PAGE.format(date_meta='<meta property="article:published_time" content="2099-01-02">', time="")
    assert html_module.html_to_text(page)[1]["published"] == "2099-01-02"


def test_an_html_document_goes_through_the_cleaner_with_its_title(tmp_path, no_network):
    path = tmp_path / "rail.html"
    path.write_text(PAGE.format(date_meta=DATED[0][1], time=""), encoding="utf-8")
    doc = read_document(path)
    cleaned = clean(doc.text)
    assert doc.error == "" and doc.html_meta["published"] == "2024-05-02"
    assert cleaned.title == "Laos and Vietnam sign rail deal"
    assert cleaned.dateline_place == "VIENTIANE" and cleaned.body.startswith("The two governments")


# --- very large files ----------------------------------------------------------------------------

def test_a_10_mb_body_is_cleaned_and_split_at_paragraph_boundaries():
    paragraph = "The ministry said the plan for 2024 - 2026 would cost about 2 million USD. " * 6
    text = "Title of a very long report\n\n" + "\n\n".join(f"Section {i}. {paragraph}" for i in range(22_000))
    assert len(text) > 10_000_000
    body = clean(text).body
    found = pieces.split_body(body)
    assert len(found) > 100 and all(len(p.text) <= pieces.PIECE_CHARS for p in found)
    for piece in found:
        assert body[piece.offset:piece.offset + len(piece.text)] == piece.text
        assert piece.offset == 0 or body[piece.offset - 2:piece.offset] == "\n\n"


def test_pieces_of_a_large_file_keep_offsets_and_contexts_true(tmp_path, monkeypatch, nlp):
    """A document annotated in pieces (forced small here) has every offset true to the whole
    body and every context a sentence of it."""
    from pipeline import annotate
    from pipeline.run import run_extract
    from pipeline.settings import Settings

    monkeypatch.setattr(pieces, "PIECE_CHARS", 400)
    monkeypatch.setattr(annotate, "build_nlp", lambda settings: nlp)
    paragraphs = [
        f"On March {day}, 2024, Secretary Dinh Tien Dung of Hanoi met officials of Vientiane to review a {day} million USD plan."
        for day in range(1, 28)
    ]
    text = "Long record of meetings\n\n" + "\n\n".join(paragraphs) + "\n"
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "long.txt").write_text(text, encoding="utf-8")
    body = clean(text).body
    assert len(pieces.split_body(body)) > 5
    annotated = []  # the (doc_id, text, published) items the model is given
    real_annotate = annotate.annotate

    def recording(nlp, items, settings):
        annotated.extend(items)
        return real_annotate(nlp, iter(annotated), settings)

    monkeypatch.setattr(annotate, "annotate", recording)
    run_extract(tmp_path / "raw", tmp_path / "out", Settings(), log=lambda *a, **k: None, use_cache=False)
    total = 0
    for table in ("entities", "dates", "money"):
        for row in read_table(tmp_path / "out", table).to_dict("records"):
            start, end = int(row["start_char"]), int(row["end_char"])
            assert body[start:end] == row["text"].removeprefix("'") or body[start:end] == row["text"], row
            assert row["context"] in paragraphs, row
            assert row["text"].removeprefix("'") in row["context"]
            total += 1
    assert total > 27
    assert len(annotated) > 5 and all(len(text) <= 400 for _doc_id, text, _published in annotated)


def test_a_document_whose_body_is_empty_does_not_shift_other_documents_rows(tmp_path, monkeypatch, nlp):
    from pipeline import annotate
    from pipeline.run import run_extract
    from pipeline.settings import Settings

    monkeypatch.setattr(annotate, "build_nlp", lambda settings: nlp)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Mayor visits\n\nThe mayor of Hanoi opened a bridge on Monday.\n", encoding="utf-8")
    (raw / "b.txt").write_text("A headline and nothing else\n\n/.\n", encoding="utf-8")  # end mark only: empty body
    (raw / "c.txt").write_text("Minister visits\n\nThe minister travelled to Vientiane on Tuesday.\n", encoding="utf-8")
    run_extract(raw, tmp_path / "out", Settings(), log=lambda *a, **k: None, use_cache=False)
    documents = {r["doc_id"]: r for r in read_table(tmp_path / "out", "documents").to_dict("records")}
    assert (documents["b"]["status"], documents["b"]["n_words"]) == ("ok", "0")
    entities = read_table(tmp_path / "out", "entities")
    assert set(entities[entities.text == "Hanoi"].doc_id) == {"a"}
    assert set(entities[entities.text == "Vientiane"].doc_id) == {"c"}
