"""Names compared and chosen without spaCy: folding, canonical choice and stable ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"đ": "d", "Đ": "D", "ƒ": "f", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_SPACES = re.compile(r"\s+")
_DASH_SPACING = re.compile(r"\s*-\s*")


def strip_diacritics(text: str) -> str:
    """Đinh Tiến Dũng -> Dinh Tien Dung (case kept)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_UNDECOMPOSED))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text


@lru_cache(maxsize=1 << 16)  # pure, and called for every mention by the entity layer and the linking
def fold(text: str) -> str:
    """The key two spellings of one name share: no diacritics, no case, one space, no
    leading "the", no possessive "'s", "Bà Rịa - Vũng Tàu" == "Ba Ria-Vung Tau"."""
    text = strip_diacritics(text.translate(_APOSTROPHES)).casefold()
    text = _DASH_SPACING.sub("-", _SPACES.sub(" ", text).strip())
    text = text.removeprefix("the ")
    return text.removesuffix("'s").removesuffix("'")


def preference(spelling: str, count: int = 1) -> tuple:
    """Sort key: the spelling with diacritics first, then the most frequent, then the
    longest (the full name over a short reference), then alphabetical for a stable tie."""
    return (not has_diacritics(spelling), -count, -len(spelling), spelling)


def choose_canonical(spellings: Iterable[str] | dict[str, int]) -> str:
    """The preferred spelling among several of one entity (Hà Nội over Hanoi)."""
    counts = dict(spellings) if isinstance(spellings, dict) else {}
    if not counts:
        for s in spellings:
            counts[s] = counts.get(s, 0) + 1
    return min(counts, key=lambda s: preference(s, counts[s]))


@lru_cache(maxsize=1 << 16)  # pure; called for every entity row
def entity_id(label: str, canonical: str) -> str:
    """Stable across runs and documents: from the label and the folded canonical name only,
    never from the order in which files were read."""
    digest = hashlib.sha1(f"{label}|{fold(canonical)}".encode("utf-8")).hexdigest()[:10]
    return f"{label.lower()}-{digest}"
