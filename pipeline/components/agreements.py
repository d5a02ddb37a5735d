"""Agreements component: instruments with the period they cover in doc.spans["agreements"].

Instruments are found with a PhraseMatcher (heads listed in pipeline/rules/agreements.yml),
periods with a Matcher (pipeline/rules/agreements_periods.jsonl). Joining the two is
hand-written: an instrument takes the period that follows it through a connector ("for the",
"until", "(") or that stands right before it ("the 2022-25 cooperation agreement"), and a
"five-year" instrument takes a start year after "from"; the connectors are data too.
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.components.tags_on_demand import TagsOnDemand
from pipeline.normalize.agreements import duration_end, duration_years, period_years, plausible_period

RULES = Path(__file__).resolve().parent.parent / "rules"
LABEL = "AGREEMENT"
PARTY_LABELS = ("PERSON", "ORG", "GPE", "LOC")
YEAR = re.compile(r"^(?:19|20)\d{2}$")
# Title words between a party marker and a name ("signed by Deputy Prime Minister X").
MAX_TITLE_WORDS = 6
# Noun and adjective modifiers read before an instrument ("socio-economic development plan").
MAX_MODIFIERS = 6


@Language.factory("press_agreements", default_config={"lexicon": ""})
def make_agreements(nlp: Language, name: str, lexicon: str):
    """lexicon: path of a lexicon in the shape of pipeline/rules/agreements.yml ("" = that file)."""
    return AgreementsComponent(nlp, load_lexicon(Path(lexicon)) if lexicon else None)


def load_lexicon(path: Path = RULES / "agreements.yml") -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class AgreementsComponent:
    def __init__(self, nlp: Language, lexicon: dict | None = None):
        lex = lexicon or load_lexicon()
        self.tags = TagsOnDemand.of(nlp)
        self.instruments = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.instruments.add("INSTRUMENT", [nlp.make_doc(t) for t in lex["instruments"]])
        self.periods = Matcher(nlp.vocab)
        with open(RULES / "agreements_periods.jsonl", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rule = json.loads(line)
                    self.periods.add(rule["label"], [rule["pattern"]])
        self.not_modifiers = set(lex["not_modifiers"])
        self.range_only = set(lex["range_only"])
        self.connectors = [
            (c["words"].split(), set(c["kinds"]), c["gap"])
            for c in sorted(lex["connectors"], key=lambda c: -len(c["words"].split()))
        ]
        self.duration_starts = sorted((s.split() for s in lex["duration_starts"]), key=len, reverse=True)
        self.max_connector = max((len(words) for words, _, _ in self.connectors), default=0)
        # by the word just before the period ("" for none): most periods have no connector
        self.connectors_by_last_word: dict[str, list] = {}
        for order, (words, kinds, gap_allowed) in enumerate(self.connectors):
            last = words[-1] if words else ""
            self.connectors_by_last_word.setdefault(last, []).append((order, words, kinds, gap_allowed))
        self.duration_units = set(lex["duration_units"])
        self.duration_numbers = dict(lex["duration_numbers"])
        self.period_nouns = set(lex["period_nouns"])
        self.max_gap = lex["max_gap"]
        self.max_aside = lex["max_aside"]
        self.party_markers = [m.split() for m in lex["party_markers"]]
        self.sign_verbs = set(lex["sign_verbs"])

    def __call__(self, doc: Doc) -> Doc:
        periods = self._periods(doc)
        ends = sorted(periods["end"])
        # Most instruments have no period near them ("the agreement", "plans"): their words
        # settle it, and only the rest have their sentences tagged, in one run of the tagger
        # (tags_on_demand.py) before the rules below read tags.
        candidates = []
        for _, start, end in self.instruments(doc):
            connections = self._connections(doc, end, periods["start"])
            if connections or self._period_may_end_before(doc, start, ends) or self._duration_start(doc, end, periods["start"]):
                candidates.append((start, end, connections))
        self.tags.ensure_many(doc, [i for start, end, _ in candidates for i in (start, end - 1)])
        found = []
        for start, end, connections in candidates:
            mention = self._mention(doc, start, end, periods, connections)
            if mention is not None:
                found.append(mention)
        spans = filter_spans(found)
        doc.spans["agreements"] = sorted(spans, key=lambda s: (s.start, s.end))
        return doc

    # --- periods -------------------------------------------------------------------------

    def _periods(self, doc: Doc) -> dict[str, dict[int, Span]]:
        """The longest period starting, and the longest ending, at each token."""
        by_start: dict[int, Span] = {}
        by_end: dict[int, Span] = {}
        matches = [Span(doc, start, end, label=match_id) for match_id, start, end in self.periods(doc)]
        # "2025-2021": not a period, and neither year of it stands alone.
        blocked = {i for span in matches if span.label_ == "range" and not plausible_period(*period_years(span.text))
                   for i in range(span.start, span.end)}
        for span in matches:
            start, end = span.start, span.end
            if blocked.intersection(range(start, end)):
                continue
            if start not in by_start or len(by_start[start]) < len(span):
                by_start[start] = span
            if end not in by_end or len(by_end[end]) < len(span):
                by_end[end] = span
        return {"start": by_start, "end": by_end}

    # --- instruments ---------------------------------------------------------------------

    def _modifier_start(self, doc: Doc, head_start: int) -> int:
        """Noun and adjective modifiers written before the head ("socio-economic development plan")."""
        i = head_start
        while i > 0 and head_start - i < MAX_MODIFIERS:
            tok = doc[i - 1]
            hyphen_inside = tok.text == "-" and i - 2 >= 0 and doc[i - 2].is_alpha and doc[i].is_alpha
            if tok.lower_ in self.duration_units or tok.lower_ in self.period_nouns:
                break  # "five-year agreement", "2022-2025 period plan": not part of the name
            if hyphen_inside or (tok.is_alpha and self.tags.pos(tok) in ("NOUN", "PROPN", "ADJ") and tok.lower_ not in self.not_modifiers):
                i -= 1
            else:
                break
        while i < head_start and doc[i].text == "-":
            i += 1
        return i

    def _proper_duration_start(self, doc: Doc, mod_start: int) -> int:
        """A capitalised duration before the modifiers belongs to a proper name: "Five-Year
        Plan", "5-Year Plan" (the lower-case "five-year agreement" stays a duration, which
        _duration reads)."""
        i = mod_start
        if i >= 3 and doc[i - 1].lower_ in self.duration_units and doc[i - 1].is_title and doc[i - 2].text == "-" \
                and (doc[i - 3].is_title or doc[i - 3].like_num):
            return i - 3
        return mod_start

    def _words_at(self, doc: Doc, i: int, words: list[str]) -> bool:
        # Word by word, stopping at the first mismatch: called for every connector at every gap.
        return i + len(words) <= len(doc) and all(doc[i + k].lower_ == word for k, word in enumerate(words))

    @staticmethod
    def _period_may_end_before(doc: Doc, start: int, ends: list[int]) -> bool:
        """Whether a period may end where _mention looks before the instrument: "the 2021-2025
        Five-Year Plan". _modifier_start, _proper_duration_start and a period noun reach at most
        MAX_MODIFIERS + 4 tokens back, over words, hyphens and a number only."""
        low = start - MAX_MODIFIERS - 4
        k = bisect.bisect_left(ends, low)
        while k < len(ends) and ends[k] <= start:
            if all(t.is_alpha or t.like_num or t.text == "-" for t in doc[ends[k]:start]):
                return True
            k += 1
        return False

    def _mention(self, doc: Doc, start: int, end: int, periods, connections) -> Span | None:
        after = self._period_after(doc, end, connections)
        if after and doc[end - 1].lower_ in self.range_only and (after[2] or after[0].label_ != "range"):
            after = None
        if self.tags.pos(doc[end - 1]) in ("VERB", "AUX"):
            return None  # "the ministry plans for 2024-2025 ..." is the verb
        mod_start = self._modifier_start(doc, start)
        name_start = self._proper_duration_start(doc, mod_start)
        agreement = doc[name_start:end].text
        if after:
            period, span_end, end_only = after
            first, last = period_years(period.text)
            return self._span(doc, name_start, span_end, end, agreement, None if end_only else first, last)
        # "the 2022-25 cooperation agreement", "the 2022-2025 period plan", "the 2021-2025 Five-Year Plan"
        before = periods["end"].get(mod_start) or periods["end"].get(name_start)
        if before is None and mod_start > 0 and doc[mod_start - 1].lower_ in self.period_nouns:
            before = periods["end"].get(mod_start - 1)
        if before is not None and not (doc[end - 1].lower_ in self.range_only and before.label_ != "range"):
            first, last = period_years(before.text)
            return self._span(doc, before.start, end, end, agreement, first, last)
        return self._duration(doc, mod_start, end, agreement, periods["start"])

    def _connections(self, doc: Doc, end: int, by_start: dict[int, Span]) -> list[tuple[int, list]]:
        """(gap, [(connector words, kinds, period)]) for every gap after the instrument where a
        connector leads to a period ("for the", "from"); words only, no tags."""
        # From the periods back to their connectors: most instruments have no period in reach.
        max_gap = min(self.max_aside, len(doc) - end)
        by_gap: dict[int, list] = {}
        for start in range(end, end + max_gap + self.max_connector + 1):
            period = by_start.get(start)
            if period is None:
                continue
            before = doc[start - 1].lower_ if start > end else None
            candidates = self.connectors_by_last_word.get(before, []) + self.connectors_by_last_word.get("", [])
            for order, words, kinds, gap_allowed in candidates:
                gap = start - len(words) - end
                if 0 <= gap <= max_gap and (gap_allowed or not gap) and self._words_at(doc, end + gap, words) \
                        and self._gap_may_pass(doc[end:end + gap]):
                    by_gap.setdefault(gap, []).append((order, words, kinds, period))
        # in the order of the gaps, and at one gap in the connectors' order
        return [(gap, [(words, kinds, period) for _, words, kinds, period in sorted(found, key=lambda c: c[0])])
                for gap, found in sorted(by_gap.items())]

    def _period_after(self, doc: Doc, end: int, connections: list[tuple[int, list]]):
        """(period, end of the mention, end-year only?) for the first connection whose gap is
        a short phrase or an aside."""
        for gap, connected in connections:
            tokens = doc[end:end + gap]
            if gap and not ((gap <= self.max_gap and self._gap_ok(tokens)) or self._aside(tokens)):
                continue
            for words, kinds, period in connected:
                kind = period.label_
                if kind == "year" and "end" in kinds:
                    return period, self._close(doc, period.end, words), True
                if kind in kinds:
                    return period, self._close(doc, period.end, words), False
        return None

    def _gap_may_pass(self, tokens: Span) -> bool:
        """What _period_after asks of a gap that the words alone can tell: none, a short one
        without a clause break (_gap_ok then reads its tags), or an aside."""
        return (not len(tokens) or self._aside(tokens)
                or (len(tokens) <= self.max_gap and all(t.text not in ".;:!?()" for t in tokens)))

    def _gap_ok(self, tokens: Span) -> bool:
        """A gap is a short phrase ("between Hanoi and Vientiane", "signed in April 2022"): no
        finite verb and no clause break; a past participle may open it."""
        return all(
            (self.tags.pos(t) not in ("VERB", "AUX") or t.tag_ == "VBN") and t.text not in ".;:!?()" for t in tokens
        )

    def _aside(self, tokens: Span) -> bool:
        """", signed by X and Y," between commas: any words, but no clause break or year."""
        return (
            len(tokens) >= 3 and tokens[0].text == "," and tokens[-1].text == ","
            and all(t.text not in ".;:!?()" and not YEAR.match(t.text) for t in tokens[1:-1])
        )

    def _close(self, doc: Doc, i: int, words: list[str]) -> int:
        """Past a closing period noun ("... 2025 period") and the bracket a "(" opened."""
        if i < len(doc) and doc[i].lower_ in self.period_nouns:
            i += 1
        if words == ["("] and i < len(doc) and doc[i].text == ")":
            i += 1
        return i

    def _duration(self, doc: Doc, mod_start: int, end: int, agreement: str, by_start) -> Span | None:
        """'a five-year agreement from 2024' -> 2024..2028 (start + years - 1)."""
        i = mod_start
        # "five-year" / "5-year" / "five year" before the modifiers.
        if i >= 2 and doc[i - 1].lower_ in self.duration_units:
            number = doc[i - 3] if doc[i - 2].text == "-" and i >= 3 else doc[i - 2]
            years = duration_years(number.text, self.duration_numbers)
        elif i >= 1 and "-" in doc[i - 1].text and doc[i - 1].lower_.split("-")[-1] in self.duration_units:
            number = doc[i - 1]
            years = duration_years(number.text.split("-")[0], self.duration_numbers)
        else:
            return None
        if not years:
            return None
        period = self._duration_start(doc, end, by_start)
        if period is None:
            return None
        first = period_years(period.text)[0]
        return self._span(doc, number.i, period.end, end, agreement, first, duration_end(first, years))

    def _duration_start(self, doc: Doc, end: int, by_start: dict[int, Span]) -> Span | None:
        """The year a duration starts from, written after the instrument: "... from 2024"."""
        for words in self.duration_starts:
            if self._words_at(doc, end, words):
                period = by_start.get(end + len(words))
                if period is not None and period.label_ == "year":
                    return period
        return None

    def _span(self, doc: Doc, start: int, end: int, head_end: int, agreement: str, first: int | None, last: int) -> Span:
        span = Span(doc, start, end, label=LABEL)
        parties = self._parties(doc, span, head_end)
        span._.value = {"agreement": agreement, "start_year": first, "end_year": last, "parties": parties}
        return span

    # --- parties -------------------------------------------------------------------------

    def _parties(self, doc: Doc, span: Span, head_end: int) -> str:
        """Named parties after "between"/"signed by" next to the mention, or the entities that
        "signed" it; names are the entity layer's canonicals."""
        sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
        names: list[Span] = []
        for i in range(head_end, min(sent.end, max(span.end, head_end) + self.max_gap)):
            inside = span.start <= i < span.end
            if not inside and self.tags.pos(doc[i]) in ("VERB", "AUX") and doc[i].lower_ not in self.sign_verbs:
                break
            for words in self.party_markers:
                if self._words_at(doc, i, words):
                    names = self._listed_entities(doc, i + len(words), sent.end)
                    break
            if names:
                break
        if not names:
            names = self._signers_before(doc, span, sent.start)
        seen = []
        for ent in names:
            value = ent._.value or {}
            name = value.get("canonical") or ent.text
            if name not in seen:
                seen.append(name)
        return " | ".join(seen)

    def _signers_before(self, doc: Doc, span: Span, sent_start: int) -> list[Span]:
        """"Hanoi and Vientiane signed a cooperation agreement ...": the entity list just before
        a sign verb whose object the mention is. Token order, not the parse: the project's
        pipeline may run without the dependency parser."""
        i = span.start - 1
        while i >= sent_start and self.tags.pos(doc[i]) in ("DET", "ADJ", "NUM", "PRON") and doc[i].lower_ not in self.sign_verbs:
            i -= 1
        if i < sent_start or doc[i].lower_ not in self.sign_verbs:
            return []
        by_end = {e.end: e for e in doc.ents if e.label_ in PARTY_LABELS}
        names = []
        j = i
        while j > sent_start:
            if j in by_end:
                names.insert(0, by_end[j])
                j = by_end[j].start
            elif doc[j - 1].lower_ in ("and", ",", "&", "both"):
                j -= 1
            else:
                break
        return names

    def _listed_entities(self, doc: Doc, start: int, limit: int) -> list[Span]:
        """Entities of a list "X, Y and Z" starting at token start."""
        by_start = {e.start: e for e in doc.ents if e.label_ in PARTY_LABELS}
        names = []
        i = start
        title_words = 0
        while i < limit:
            if i in by_start:
                names.append(by_start[i])
                i = by_start[i].end
                title_words = 0
            elif doc[i].lower_ in ("and", ",", "the", "&") or doc[i].text == "'s":
                i += 1
            elif doc[i].is_title and self.tags.pos(doc[i]) in ("PROPN", "NOUN", "ADJ") and title_words < MAX_TITLE_WORDS:
                i += 1  # a title or nationality before the name
                title_words += 1
            else:
                break
        return names


def _any_between(positions: list[int], low: int, high: int) -> bool:
    """Whether the sorted positions hold one in low..high (both included)."""
    k = bisect.bisect_left(positions, low)
    return k < len(positions) and positions[k] <= high
