"""The input side: files and the manifest in raw/ become `SourceDocument`s.

Nothing here interprets the text; it only decodes it and attaches metadata the file
carries outside its text (manifest row, HTML <meta>). Every problem with one input becomes
an `InputError` whose message says what is wrong and what to do, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

READABLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "published", "source_url", "title")

# Files nobody means as input: hidden files (.DS_Store, .gitkeep), Office lock files
# (~$report.docx) and editor backups (notes.txt~). They are skipped without a row.
_IGNORED_PREFIXES = (".", "~$")
_IGNORED_SUFFIXES = ("~",)

# Share of characters that are controls, unassigned or private-use code points above which
# a decoding is taken to be wrong: real text has next to none of them.
MAX_ODD_CHAR_SHARE = 0.02
# Encodings the detector may not pick between: the same bytes decode to the same text in each,
# or it scores them the same. Windows-1252 is what the WHATWG Encoding Standard reads every
# "latin-1" label as, and what Western-language Windows software writes, so it wins a tie.
PREFERRED_SINGLE_BYTE = "cp1252"
_TIE_MARGIN = 0.005


class InputError(Exception):
    """A problem with one input that the user can fix; the message says how."""


@dataclass
class SourceDocument:
    doc_id: str
    source_file: str
    sha256: str
    text: str = ""
    is_html: bool = False
    # Metadata from outside the text: manifest columns, or the HTML page's own <meta>.
    manifest: dict = field(default_factory=dict)
    html_meta: dict = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class InputFile:
    """One file of raw/ and the doc_id it gets; `supported` is False for types not read."""

    path: Path
    doc_id: str
    supported: bool

    @property
    def name(self) -> str:
        return self.path.name


def is_ignored(name: str) -> bool:
    return name == MANIFEST_NAME or name.startswith(_IGNORED_PREFIXES) or name.endswith(_IGNORED_SUFFIXES)


def list_input_files(raw_dir: Path) -> list[InputFile]:
    """Every file in raw_dir (read or not), sorted by name so that order never depends on the disk.

    doc_id is the name without its extension. When two files share a stem (report.txt and
    report.pdf, or a.txt and a.html), the first readable one in name order keeps the stem and
    the others use their full name, so that doc_id stays unique.
    """
    # os.scandir: the directory listing says which entries are files, with no stat per file
    # (a tenth of a second per thousand files on reruns that otherwise stop early).
    with os.scandir(raw_dir) as entries:
        paths = sorted((Path(e.path) for e in entries if e.is_file() and not is_ignored(e.name)), key=lambda p: p.name)
    supported = {p: p.suffix.lower() in READABLE_SUFFIXES for p in paths}
    owner: dict[str, Path] = {}
    for path in sorted(paths, key=lambda p: (not supported[p], p.name)):
        owner.setdefault(path.stem, path)
    return [InputFile(p, p.stem if owner[p.stem] == p else p.name, supported[p]) for p in paths]


def folder_warnings(raw_dir: Path) -> list[str]:
    """A warning for each folder inside raw_dir: only files directly in raw/ are read."""
    with os.scandir(raw_dir) as entries:
        folders = sorted(e.name for e in entries if e.is_dir() and not is_ignored(e.name))
    return [f"{name}/ is a folder; files in folders inside raw/ are not read: move them into raw/ itself" for name in folders]


def unsupported_type_message(path: Path) -> str:
    kind = f"a {path.suffix.lower()} file" if path.suffix else "a file without an extension"
    return (
        f"{kind} is not a type the pipeline reads (it reads {', '.join(READABLE_SUFFIXES)}); "
        "save it as plain text (.txt) or as a web page (.html) and rerun"
    )


def read_manifest(raw_dir: Path) -> tuple[dict[str, dict], list[str]]:
    """Rows of raw_dir/manifest.csv keyed by file name, and warnings about what it ignored.

    A bad row or cell costs only itself: the rest of the manifest is used.
    """
    path = raw_dir / MANIFEST_NAME
    if not path.exists():
        return {}, []
    try:
        text = decode_bytes(path.read_bytes())
        records = list(csv.reader(io.StringIO(text)))
    except (InputError, csv.Error) as exc:
        return {}, [f"{MANIFEST_NAME}: cannot be read ({exc}); save it as a UTF-8 CSV file; manifest ignored."]
    records = [r for r in records if any(cell.strip() for cell in r)]
    if not records:
        return {}, [f"{MANIFEST_NAME}: is empty; manifest ignored."]
    header = [h.strip().lower() for h in records[0]]
    expected = ", ".join(MANIFEST_COLUMNS)
    if "file" not in header:
        return {}, [f"{MANIFEST_NAME}: no 'file' column in the first line (expected columns: {expected}); manifest ignored."]
    warnings: list[str] = []
    missing = [c for c in MANIFEST_COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in MANIFEST_COLUMNS]
    if missing:
        warnings.append(f"{MANIFEST_NAME}: no column {', '.join(repr(c) for c in missing)}; those values stay empty (expected columns: {expected}).")
    if unknown:
        warnings.append(f"{MANIFEST_NAME}: column {', '.join(repr(c) for c in unknown)} is not used (expected columns: {expected}).")
    rows: dict[str, dict] = {}
    for line_no, record in enumerate(records[1:], start=2):
        row = {h: (record[i].strip() if i < len(record) else "") for i, h in enumerate(header) if h in MANIFEST_COLUMNS}
        name = row.get("file", "")
        where = f"{MANIFEST_NAME} line {line_no}"
        if not name:
            warnings.append(f"{where}: the 'file' cell is empty; row ignored.")
            continue
        if not is_plain_file_name(name):
            warnings.append(f"{where}: '{name}' is not a plain file name inside raw/; row refused (give the name only, e.g. report.txt).")
            continue
        if not (raw_dir / name).is_file():
            warnings.append(f"{where}: no file '{name}' in raw/; row ignored (check the spelling, extension included).")
            continue
        if name in rows:
            warnings.append(f"{where}: a second row for '{name}'; the first row is used.")
            continue
        values = {k: row.get(k, "") for k in MANIFEST_COLUMNS if k != "file"}
        if values["published"] and not is_iso_date(values["published"]):
            warnings.append(f"{where}: published '{values['published']}' is not a date written YYYY-MM-DD; ignored.")
            values["published"] = ""
        rows[name] = values
    return rows, warnings


def is_plain_file_name(name: str) -> bool:
    """A bare name of a file directly in raw/: no folder part, in either slash direction."""
    return Path(name).name == name and "\\" not in name and name not in (".", "..") and ":" not in name


def is_iso_date(value: str) -> bool:
    """A real calendar date written YYYY-MM-DD."""
    try:
        return len(value) == 10 and dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _odd_char_share(text: str) -> float:
    if not text:
        return 0.0
    odd = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs") and c not in "\n\r\t\f")
    return odd / len(text)


def _detect(data: bytes) -> str:
    """charset-normalizer's reading of bytes that are not UTF-8; ties go to Windows-1252."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("the file is not text in any known encoding (is it a binary file renamed?); save the document as UTF-8 text and rerun")
    for match in matches:
        if match.chaos <= best.chaos + _TIE_MARGIN and PREFERRED_SINGLE_BYTE in match.could_be_from_charset:
            return data.decode(PREFERRED_SINGLE_BYTE)
    return str(best)


def _invalid_bytes_as_cp1252(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8 is read as Windows-1252 (the stray \x92
    apostrophe pasted from a Word document into an otherwise UTF-8 file)."""
    return error.object[error.start:error.end].decode(PREFERRED_SINGLE_BYTE, errors="replace"), error.end


codecs.register_error("pipeline-cp1252", _invalid_bytes_as_cp1252)


def _mostly_utf8(data: bytes) -> bool:
    """More well-formed non-ASCII UTF-8 characters than malformed bytes: a UTF-8 file with a
    few pasted-in bytes of another encoding, not a file in another encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 127) - bad
    return good > bad


def decode_bytes(data: bytes) -> str:
    """Bytes to text: a byte-order mark first, then UTF-8 (stray bytes of another encoding in a
    UTF-8 file read as Windows-1252), then charset-normalizer.

    Raises InputError for binary data and for bytes no encoding turns into sensible text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        text = data.decode("utf-32", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="pipeline-cp1252") if _mostly_utf8(data) else _detect(data)
    if "\x00" in text:
        raise InputError("the file holds binary data, not text (is it a PDF, Word or image file renamed?); export the document as plain text or HTML and rerun")
    if _odd_char_share(text) > MAX_ODD_CHAR_SHARE or text.count("\ufffd") > max(3, len(text) // 100):
        raise InputError("the bytes do not decode as sensible text in any encoding; open the file, save it as UTF-8 text and rerun")
    return text


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: Path, manifest_row: dict | None = None, doc_id: str | None = None, data: bytes | None = None) -> SourceDocument:
    """One file as a SourceDocument; a problem the user can fix goes into `.error`."""
    if data is None:
        data = path.read_bytes()
    doc = SourceDocument(
        doc_id=doc_id or path.stem,
        source_file=path.name,
        sha256=file_sha256(data),
        manifest=dict(manifest_row or {}),
        is_html=path.suffix.lower() in HTML_SUFFIXES,
    )
    try:
        if path.suffix.lower() not in READABLE_SUFFIXES:
            raise InputError(unsupported_type_message(path))
        if not data.strip():
            raise InputError("the file is empty; put the press release's text in it, or remove it")
        text = decode_bytes(data)
        if doc.is_html:
            from pipeline.html import html_to_text

            text, doc.html_meta = html_to_text(text)
        elif path.suffix.lower() == ".md":
            from pipeline.markdown import markdown_to_text

            text = markdown_to_text(text)
        if not text.strip():
            raise InputError("the file holds only white space; put the press release's text in it, or remove it")
        doc.text = text
    except InputError as exc:
        doc.error = str(exc)
    return doc
