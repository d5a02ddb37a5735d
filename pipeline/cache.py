"""A cache of each document's rows, so that a rerun processes only new or changed files.

An entry holds every table's rows for one file (the documents row and the mention rows, the
entity rows before any cross-document linking). Its key covers everything that could change
those rows:
- the pipeline's own code and rules data (a hash of every file under pipeline/),
- the settings that change results (Settings.fingerprint()) and the model's name and version,
- the file's name, doc_id, bytes (SHA-256) and its manifest row.
Entries for one code/settings/model combination live in one folder, named by its hash; a
change of any of them starts a new folder, and old folders beyond the newest few are removed.

The cache is never needed for correctness: a missing, unreadable or corrupt entry is a miss,
and a cache folder that cannot be written only costs speed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from pipeline import __version__
from pipeline.settings import Settings

PACKAGE_DIR = Path(__file__).resolve().parent
# Bumped when the layout of an entry changes.
CACHE_FORMAT = 1
# Folders of other code/settings/model combinations kept (switching back is then free).
KEEP_RUN_FOLDERS = 4
# Files under pipeline/ that are neither code nor rules data.
_NOT_SOURCE = ("__pycache__",)


def default_cache_dir(out_dir: Path) -> Path:
    """`.cache/pipeline` beside the output folder (outputs/ -> ./.cache/pipeline), git-ignored."""
    return out_dir.resolve().parent / ".cache" / "pipeline"


def code_fingerprint(package_dir: Path = PACKAGE_DIR) -> str:
    """SHA-256 over the path and bytes of every source and rules file of the pipeline package."""
    digest = hashlib.sha256()
    files = sorted(
        p for p in package_dir.rglob("*")
        if p.is_file() and not any(part in _NOT_SOURCE for part in p.relative_to(package_dir).parts) and p.suffix != ".pyc"
    )
    for path in files:
        digest.update(path.relative_to(package_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def model_version(model: str) -> str:
    """The installed version of a spaCy pipeline package, or of a pipeline folder's meta.json,
    read without importing spaCy."""
    folder = Path(model)
    if (folder / "meta.json").is_file():
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"
        except (OSError, ValueError):
            return "unreadable-meta"
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(model)
    except PackageNotFoundError:
        return "unknown"


def run_fingerprint(settings: Settings) -> str:
    data = {
        "format": CACHE_FORMAT,
        "pipeline": __version__,
        "code": code_fingerprint(),
        "settings": settings.fingerprint(),
        "model_version": model_version(settings.model),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


class DocumentCache:
    """Rows by document key in `root/<run fingerprint>/`; disabled when root is None."""

    def __init__(self, root: Path | None, settings: Settings):
        self.root = root
        self.folder = root / run_fingerprint(settings)[:32] if root is not None else None
        self.write_error = ""

    @staticmethod
    def key(source_file: str, doc_id: str, sha256: str, manifest_row: dict | None) -> str:
        data = [source_file, doc_id, sha256, sorted((manifest_row or {}).items())]
        return hashlib.sha256(json.dumps(data).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """{"rows": {table: rows}, "body": cleaned body} stored under key, or None."""
        if self.folder is None:
            return None
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
            rows, body = entry["rows"], entry["body"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if entry.get("key") != key or not isinstance(rows, dict) or not rows.get("documents") or not isinstance(body, str):
            return None
        return {"rows": rows, "body": body}

    def put(self, key: str, rows: dict[str, list[dict]], body: str) -> None:
        """Store one document's rows and cleaned body (the HTML report shows it); written to a
        temporary file and renamed, so that a reader never sees half an entry."""
        if self.folder is None or self.write_error:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps({"key": key, "rows": rows, "body": body}, ensure_ascii=False).encode("utf-8")
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            self.write_error = f"the cache folder {self.root} cannot be written ({exc.strerror or exc}); every rerun will process all files"

    def prune(self) -> None:
        """Remove the folders of all but the newest few code/settings/model combinations."""
        if self.folder is None or not self.root.is_dir():
            return
        try:
            if self.folder.is_dir():
                os.utime(self.folder)
            folders = sorted((p for p in self.root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in folders[KEEP_RUN_FOLDERS:]:
                if old != self.folder:
                    shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass

    def _outputs_stamp(self, out_dir: Path) -> Path:
        return self.folder / "outputs" / (hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:32] + ".json")

    def outputs_current(self, out_dir: Path, tables: dict[str, bytes]) -> bool:
        """True when this code/settings/model combination last wrote out_dir from exactly these
        table bytes, and every file it wrote is still there with the tables unchanged on disk."""
        if self.folder is None:
            return False
        try:
            recorded = json.loads(self._outputs_stamp(out_dir).read_text(encoding="utf-8"))
            if recorded.get("tables") != _digest_of(tables):
                return False
            if not all((out_dir / name).is_file() for name in recorded.get("files", [])):
                return False
            return all((out_dir / name).read_bytes() == data for name, data in tables.items())
        except (OSError, ValueError, AttributeError):
            return False

    def record_outputs(self, out_dir: Path, tables: dict[str, bytes], names: list[str]) -> None:
        if self.folder is None:
            return
        stamp = self._outputs_stamp(out_dir)
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(json.dumps({"tables": _digest_of(tables), "files": sorted(names)}), encoding="utf-8")
        except OSError:
            pass


def _digest_of(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()
