from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
OUTPUTS = ROOT / "outputs"


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """A written table as strings, exactly as a spreadsheet user would see the cells."""
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def nlp(settings):
    from pipeline.annotate import build_nlp

    return build_nlp(settings)


@pytest.fixture(scope="session")
def raw_extraction(tmp_path_factory, settings) -> Path:
    """The tables made from a copy of raw/, once per test session."""
    from pipeline.run import run_extract

    base = tmp_path_factory.mktemp("raw_extraction")
    raw = base / "raw"
    shutil.copytree(RAW, raw)
    out = base / "outputs"
    run_extract(raw, out, settings, log=lambda *a, **k: None)
    return out


@pytest.fixture(scope="session")
def tables(raw_extraction) -> dict[str, pd.DataFrame]:
    from pipeline.schema import TABLES

    return {t.name: read_table(raw_extraction, t.name) for t in TABLES}
