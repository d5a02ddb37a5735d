"""Large bodies in pieces the model can take, each with its offset in the body.

spaCy refuses texts longer than `nlp.max_length` (1,000,000 characters), and its parser and
NER need about 1 GB of memory per 100,000 characters, so a 10 MB file is annotated piece
by piece. Pieces end at paragraph boundaries, where no sentence crosses, so a mention's
sentence context is the same as in the whole body; each piece's offset is added to its
rows' start_char/end_char, which keeps body[start_char:end_char] == text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Bodies up to this size are one piece (nearly every press release): their annotation is
# exactly that of the whole body.
PIECE_CHARS = 100_000

# Where to cut, best first: a paragraph break, a line break, the end of a sentence, a
# space. A text with none of them (one 100,000-character "word") is cut where it must.
_BREAKS = (re.compile(r"\n\n+"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))


@dataclass(frozen=True)
class Piece:
    offset: int  # where `text` starts in the body: body[offset:offset + len(text)] == text
    text: str


def _cut(body: str, start: int, limit: int) -> int:
    """The end of the piece that starts at `start`: the last good break within `limit` chars."""
    end = start + limit
    if end >= len(body):
        return len(body)
    for pattern in _BREAKS:
        last = None
        for match in pattern.finditer(body, start, end + 1):
            if match.start() > start:
                last = match
        if last is not None:
            return last.start()
    return end


def split_body(body: str, limit: int | None = None) -> list[Piece]:
    """Pieces of at most `limit` (default PIECE_CHARS) characters covering the body's text; the
    white space between pieces belongs to none. The same body always gives the same pieces."""
    limit = PIECE_CHARS if limit is None else limit
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[Piece] = []
    start = 0
    while start < len(body):
        while start < len(body) and body[start].isspace():
            start += 1
        if start >= len(body):
            break
        end = _cut(body, start, limit)
        text = body[start:end].rstrip()
        if text:
            pieces.append(Piece(start, text))
        start = end
    return pieces
