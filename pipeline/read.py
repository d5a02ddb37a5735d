"""The input side: files and the manifest in raw/ become `SourceDocument`s.

Nothing here interprets the text; it only decodes it and attaches metadata the file
carries outside its text (manifest row, HTML <meta>).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

READABLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "published", "source_url", "title")


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


def list_input_files(raw_dir: Path) -> list[Path]:
    """Every readable file in raw_dir, sorted by name so that order never depends on the disk."""
    return sorted(
        (p for p in raw_dir.iterdir() if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES),
        key=lambda p: p.name,
    )


def read_manifest(raw_dir: Path) -> tuple[dict[str, dict], list[str]]:
    """Rows of raw_dir/manifest.csv keyed by file name, and warnings about rows it ignored."""
    path = raw_dir / MANIFEST_NAME
    if not path.exists():
        return {}, []
    warnings: list[str] = []
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "file" not in header:
        return {}, [f"{MANIFEST_NAME}: no 'file' column (expected columns: {', '.join(MANIFEST_COLUMNS)}); manifest ignored."]
    rows: dict[str, dict] = {}
    for line_no, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        name = row.get("file", "")
        if not name:
            continue
        if Path(name).name != name or name in (".", ".."):
            warnings.append(f"{MANIFEST_NAME} line {line_no}: '{name}' is not a plain file name inside raw/; row refused.")
            continue
        if not (raw_dir / name).exists():
            warnings.append(f"{MANIFEST_NAME} line {line_no}: no file '{name}' in raw/; row ignored.")
            continue
        rows[name] = {k: row.get(k, "") for k in MANIFEST_COLUMNS if k != "file"}
    return rows, warnings


def decode_bytes(data: bytes) -> str:
    """Bytes to text: BOMs first, then UTF-8, then charset-normalizer's best guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("the bytes are not text in any known encoding; save the file as UTF-8 text and rerun")
    return str(best)


def read_document(path: Path, manifest_row: dict | None = None) -> SourceDocument:
    data = path.read_bytes()
    doc = SourceDocument(
        doc_id=path.stem,
        source_file=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        manifest=dict(manifest_row or {}),
        is_html=path.suffix.lower() in (".html", ".htm"),
    )
    try:
        text = decode_bytes(data)
        if "\x00" in text:
            raise InputError("the file holds binary data (NUL bytes), not text; export it as plain text, Markdown or HTML")
        if doc.is_html:
            from pipeline.html import html_to_text

            text, doc.html_meta = html_to_text(text)
        if not text.strip():
            raise InputError("the file has no text; remove it or replace it with the press release's text")
        doc.text = text
    except InputError as exc:
        doc.error = str(exc)
    return doc
