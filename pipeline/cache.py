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

    def put(self, key: str, rows: dict[str, list[dict]], body: str) -> bool:
        """Store one document's rows and cleaned body (the HTML report shows it); written to a
        temporary file and renamed, so that a reader never sees half an entry. False when it
        could not be stored."""
        if self.folder is None or self.write_error:
            return False
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
            return False
        return True

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

    def has(self, key: str) -> bool:
        """Whether an entry is stored under key (not whether it is readable: get says that)."""
        return self.folder is not None and self._path(key).is_file()

    def stamp(self, key: str) -> list[int] | None:
        """The entry's size and modification time: what the run-state record compares, so that
        an entry changed or removed since (by hand, by a crash) means a full run."""
        try:
            return file_stamp(self._path(key))
        except (OSError, TypeError):
            return None

    # --- the run-state record: a rerun with nothing changed stops here ------------------------

    def _state_path(self, out_dir: Path) -> Path:
        return self.folder / "outputs" / (hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:32] + ".json")

    def last_run(self, out_dir: Path, inputs: list) -> dict | None:
        """What the last run of this code/settings/model combination into out_dir recorded
        (record_run), when it ran on exactly these inputs ([source_file, doc_id, key] lists)
        and every file it wrote is still in out_dir with the bytes it wrote; else None."""
        if self.folder is None:
            return None
        try:
            state = json.loads(self._state_path(out_dir).read_text(encoding="utf-8"))
            if state.get("inputs") != inputs or not isinstance(state.get("files"), dict):
                return None
            summary = state.get("summary")
            if not (isinstance(summary, dict) and isinstance(summary.get("rows"), dict) and isinstance(summary.get("errors"), list)):
                return None
            if not all(file_stamp(out_dir / name) == stamp for name, stamp in state["files"].items()):
                return None
        except (OSError, ValueError, AttributeError, TypeError):
            return None
        return state

    def record_run(self, out_dir: Path, inputs: list, names: list[str], summary: dict) -> None:
        """Record the inputs of a run that wrote out_dir, the digests of the files now there
        and the summary a rerun with nothing changed reports again."""
        if self.folder is None:
            return
        path = self._state_path(out_dir)
        try:
            files = {name: file_stamp(out_dir / name) for name in sorted(names)}
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"inputs": inputs, "files": files, "summary": summary}, fh)
            os.replace(tmp, path)
        except OSError:
            pass


def file_stamp(path: Path) -> list[int]:
    """Size and modification time (ns) of a file (an output, a cache entry). Enough to tell that
    a file is still the one a run wrote, as make and git's index do: an editor, a spreadsheet's save or a
    checkout changes the time. Hashing the outputs instead took seconds at 10,000 documents
    (report.html alone is hundreds of MB), against a goal of under one second for the rerun."""
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]
