"""press_dates: finds date mentions with Matcher patterns kept as data (rules/dates_*.yml,
rules/dates_patterns.jsonl) and gives each its normalised value (pipeline.normalize.dates).

Candidates overlap ("12 March 2024" holds "March 2024" and "2024"): the longest wins
(spacy.util.filter_spans). A few forms are only dates in context, which the patterns cannot
see and the normaliser (text only) must not: a bare year followed by a unit or a currency
("2024 members", "2024 USD"), a lone month name without a preposition ("June" the name), "the
last year" (a duration). Those checks live here, their words in dates_lexicon.yml.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import yaml
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.components.tags_on_demand import TagsOnDemand
from pipeline.normalize.calendar import MONTHS
from pipeline.normalize.dates import LEXICON, DateContext, normalise_date, year_given

RULES = Path(__file__).resolve().parent.parent / "rules"
PATTERNS_PATH = RULES / "dates_patterns.jsonl"
TOKENS_PATH = RULES / "dates_tokens.yml"
SPAN_GROUP = "dates"
LABEL = "DATE"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def word_lists() -> dict[str, list[str]]:
    """The "@name" lists the token classes refer to."""
    months = sorted(set(MONTHS) | {f"{m}." for m in MONTHS if len(m) <= 4 and m != "may"})
    weekdays = sorted(set(LEXICON["weekdays"]) | {f"{w}." for w in LEXICON["weekdays"] if len(w) <= 4})
    return {
        "months": months,
        "weekdays": weekdays,
        "weekdays_full": sorted(w for w in LEXICON["weekdays"] if w.endswith("day")),
        "modifiers": sorted(LEXICON["modifiers"]),
        "shifts": sorted(LEXICON["relative_shifts"]),
        "units": list(LEXICON["relative_units"]),
        "relative_days": sorted(LEXICON["relative_days"]),
        "ordinals": sorted(LEXICON["ordinals"]),
        "month_counts": sorted(LEXICON["month_counts"]) + [str(n) for n in range(2, 12)],
    }


def _fill(value, lists: dict[str, list[str]]):
    if isinstance(value, str) and value.startswith("@"):
        return lists[value[1:]]
    if isinstance(value, dict):
        return {k: _fill(v, lists) for k, v in value.items()}
    return value


def load_classes(tokens_path: Path = TOKENS_PATH) -> dict[str, dict]:
    """dates_tokens.yml: class name -> Matcher token dict, word lists filled in."""
    lists = word_lists()
    return {name: _fill(spec, lists) for name, spec in yaml.safe_load(tokens_path.read_text(encoding="utf-8")).items()}


def load_patterns(patterns_path: Path = PATTERNS_PATH, tokens_path: Path = TOKENS_PATH,
                  classes: dict[str, dict] | None = None) -> list[dict]:
    """dates_patterns.jsonl with every "$CLASS" expanded to its Matcher token dict (classes:
    load_classes(tokens_path) unless given). Raises ValueError for a pattern with no required
    class besides connectors (see DateAnchors)."""
    classes = classes if classes is not None else load_classes(tokens_path)
    connectors = set(LEXICON["connector_token_classes"])
    patterns = []
    for line in patterns_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        tokens = []
        for item in entry["pattern"]:
            if isinstance(item, str) and item.startswith("$"):
                name, optional = item[1:].rstrip("?"), item.endswith("?")
                token = dict(classes[name])
                if optional:
                    token["OP"] = "?"
                tokens.append(token)
            else:
                tokens.append(item)
        # where its first required non-connector token stands: DateAnchors reads back that far
        lead = next((k for k, item in enumerate(entry["pattern"]) if isinstance(item, str) and item.startswith("$")
                     and not item.endswith("?") and item[1:] not in connectors), None)
        if lead is None:
            raise ValueError(f"{patterns_path.name}: pattern {entry['pattern']} needs a required class "
                             f"that is not a connector ({', '.join(sorted(connectors))})")
        patterns.append({"id": entry["id"], "pattern": tokens, "lead": lead, "lead_class": entry["pattern"][lead][1:]})
    return patterns


class DateAnchors:
    """Where the date Matcher needs to run. The Matcher tests each of its ~90 patterns at
    every token, which made it the slowest project component; but every pattern holds a
    required token of a non-connector class (its lead, load_patterns checks there is one), so
    every match lies around a token of its pattern's lead class: from the most tokens a pattern
    with that lead has before it to the most it has after. The test of a class is a superset
    of it (its words, case-folded, and its regexes), and a word gets the widest reach of the
    classes it may belong to, cached per word. spaCy has no such pre-filter, hence this class."""

    def __init__(self, classes: dict[str, dict], patterns: list[dict]):
        self.reach: dict[str, tuple[int, int]] = {}  # lead class -> (tokens before, tokens after)
        for entry in patterns:
            before, after = entry["lead"], len(entry["pattern"]) - entry["lead"] - 1
            old = self.reach.get(entry["lead_class"], (0, 0))
            self.reach[entry["lead_class"]] = (max(old[0], before), max(old[1], after))
        self.tests = {name: self._class_test(name, classes[name]) for name in sorted(self.reach)}
        self._by_orth: dict[int, tuple[int, int] | None] = {}

    @staticmethod
    def _class_test(name: str, spec: dict):
        words: set[str] = set()
        regexes = []
        tests = [(attr, value) for attr, value in spec.items() if attr in ("LOWER", "TEXT", "ORTH", "NORM")]
        if not tests:
            raise ValueError(f"dates_tokens.yml: {name}: a lead class needs a LOWER, TEXT or ORTH test")
        for attr, value in tests:
            if isinstance(value, str):
                words.add(value.lower())
            elif "IN" in value:
                words.update(v.lower() for v in value["IN"])
            elif "REGEX" in value:
                regexes.append(re.compile(value["REGEX"], re.IGNORECASE))
            else:
                raise ValueError(f"dates_tokens.yml: {name}: no anchor test for {attr}: {value}")
        return words, regexes

    def reach_of(self, text: str) -> tuple[int, int] | None:
        """(tokens before, tokens after) that a match around this word can reach, or None."""
        lower = text.lower()
        reaches = [self.reach[name] for name, (words, regexes) in self.tests.items()
                   if lower in words or any(r.match(text) or r.match(lower) for r in regexes)]
        if not reaches:
            return None
        return max(before for before, _ in reaches), max(after for _, after in reaches)

    def windows(self, doc: Doc) -> list[tuple[int, int]]:
        """Disjoint token ranges, in order, holding every match the Matcher can find in doc."""
        around: list[tuple[int, int]] = []
        known = self._by_orth
        for i, orth in enumerate(doc.to_array(ORTH).tolist()):
            if orth in known:
                reach = known[orth]
            else:
                reach = known[orth] = self.reach_of(doc.vocab.strings[orth])
            if reach is not None:
                around.append((max(0, i - reach[0]), min(len(doc), i + reach[1] + 1)))
        windows: list[list[int]] = []
        for start, end in sorted(around):
            if windows and start <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], end)
            else:
                windows.append([start, end])
        return [(start, end) for start, end in windows]


@Language.factory(
    "press_dates",
    default_config={"day_first": True, "fiscal_year_start_month": 1},
)
def make_dates(nlp: Language, name: str, day_first: bool, fiscal_year_start_month: int):
    return DatesComponent(nlp, day_first=day_first, fiscal_year_start_month=fiscal_year_start_month)


class DatesComponent:
    def __init__(self, nlp: Language, day_first: bool = True, fiscal_year_start_month: int = 1):
        if not 1 <= fiscal_year_start_month <= 12:
            raise ValueError(f"fiscal_year_start_month must be 1..12, not {fiscal_year_start_month}")
        self.day_first = day_first
        self.fiscal_year_start_month = fiscal_year_start_month
        self.matcher = Matcher(nlp.vocab)
        self.tags = TagsOnDemand.of(nlp)
        by_id: dict[str, list] = {}
        classes = load_classes()
        patterns = load_patterns(classes=classes)
        for entry in patterns:
            by_id.setdefault(entry["id"], []).append(entry["pattern"])
        self.anchors = DateAnchors(classes, patterns)
        for pattern_id, group in by_id.items():
            self.matcher.add(pattern_id, group)
        self.bare_month_leads = set(LEXICON["bare_month_leads"])
        self.year_blockers_after = set(LEXICON["year_blockers_after"])
        self.year_blockers_before = set(LEXICON["year_blockers_before"])
        self.duration_leads = set(LEXICON["duration_leads"])
        self.future_auxiliaries = set(LEXICON["future_auxiliaries"])
        self.year_target_leads = set(LEXICON["year_target_leads"])
        self.numeric_day_month_leads = set(LEXICON["numeric_day_month_leads"])
        self.numeric_day_month_never = set(LEXICON["numeric_day_month_never"])

    def __call__(self, doc: Doc) -> Doc:
        published = _parse_published(doc._.published)
        # Candidates that the context rejects or the grammar cannot read are dropped before
        # the longest-first choice, so a failed long match ("2025-2023") leaves its parts.
        readable = DateContext(published=published, day_first=self.day_first)
        candidates = [
            span
            for span in (
                Span(doc, start, end, label=LABEL, span_id=doc.vocab.strings[match_id])
                for match_id, start, end in self._matches(doc)
            )
            if self._stands_as_date(span) and normalise_date(span.text, readable) is not None
        ]
        spans = []
        previous_year, previous_end = None, 0
        text = doc.text  # once: Doc.text joins every token on each call
        for span in sorted(filter_spans(candidates), key=lambda s: s.start):
            if _PARAGRAPH_BREAK.search(text, previous_end, span.start_char):
                previous_year = None  # "the year the text just gave" does not cross paragraphs
            inherited = previous_year
            if (inherited is not None and published is not None and inherited < published.year
                    and self._points_ahead(span)):
                # "Trade reached $10 billion in 2023. He will visit in the second quarter.":
                # what lies ahead of publication is not in a past year the text gave
                inherited = None
            context = DateContext(
                published=published,
                previous_year=inherited,
                forward=span.id_ == "weekday" and self._points_ahead(span),
                day_first=self.day_first,
                fiscal_year_start_month=self.fiscal_year_start_month,
            )
            value = normalise_date(span.text, context)
            if value is None:
                continue
            span._.value = value
            spans.append(span)
            if not self._is_target(span):
                previous_year = year_given(span.text, value) or previous_year
            previous_end = span.end_char
        doc.spans[SPAN_GROUP] = spans
        return doc

    def _matches(self, doc: Doc):
        """The Matcher's matches over the whole doc, found in the anchors' windows only."""
        for start, end in self.anchors.windows(doc):
            for match_id, match_start, match_end in self.matcher(doc[start:end]):
                yield match_id, start + match_start, start + match_end

    def _stands_as_date(self, span: Span) -> bool:
        doc = span.doc
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        if before == "." and span.start > 1:
            before = doc[span.start - 2].lower_ + "."  # the tokeniser splits "No. 2023" as No / . / 2023
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        kind = span.id_
        if kind == "year" and len(span) == 1 and span[0].text.isdigit():
            if before in self.year_blockers_before or after in self.year_blockers_after:
                return False
            # "Tel. 024 3825 2024", "1,200 2024": a year does not stand in a run of numbers.
            if _is_number(doc, span.start - 1) or _is_number(doc, span.end):
                return False
            # "a 2024-member delegation": a hyphenated compound makes the number a count.
            if after == "-" and span.end + 1 < len(doc) and doc[span.end + 1].is_alpha:
                return False
        if kind == "numeric_day_month":
            return before in self.numeric_day_month_leads and span.text not in self.numeric_day_month_never
        if kind == "bare_month" and span[0].lower_.rstrip(".") in MONTHS:
            return before in self.bare_month_leads
        if kind == "relative_day" and span[0].is_title and span.start > 0 and not span[0].is_sent_start:
            return False  # "Vietnam Today", "Asia Tomorrow": a capitalised word mid-sentence is a name
        if kind == "relative_period" and span[0].lower_ in ("last", "next"):
            return before not in self.duration_leads
        return True

    def _is_target(self, span: Span) -> bool:
        """Whether the mention is a period's end or target ("to 2030", "until the end of
        2025", "a vision to 2045"): a year there is not the time the story is at."""
        i = span.start - 1
        if i >= 0 and span.doc[i].lower_ == "the":
            i -= 1
        return i >= 0 and span.doc[i].lower_ in self.year_target_leads

    def _points_ahead(self, span: Span) -> bool:
        """Whether the verb the mention hangs on is future: "will meet on Monday", "is to visit
        on Monday", "plans to open on Monday", "On Monday, they will sign". Read from the
        tagger's tags (asked for this sentence only, see tags_on_demand.py; no parser): the nearest verb
        before the mention in its sentence, else the first after it, and the auxiliaries and
        adverbs in front of that verb. Without tags, the past reading stands."""
        doc = span.doc
        sent_start, sent_end = (span.sent.start, span.sent.end) if doc.has_annotation("SENT_START") else (0, len(doc))
        # Only a future auxiliary of the sentence can make it point ahead: without one, no tags needed.
        if not any(doc[i].lower_ in self.future_auxiliaries for i in range(sent_start, sent_end)):
            return False
        if not self.tags.ensure(doc, span.start):
            return False
        verb = next((i for i in range(span.start - 1, sent_start - 1, -1) if _is_verb(doc[i])), None)
        if verb is None:
            verb = next((i for i in range(span.end, sent_end) if _is_verb(doc[i])), None)
        if verb is None:
            return False
        i = verb
        while i >= sent_start and (_is_verb(doc[i]) or doc[i].tag_ in ("RB", "TO")):
            if doc[i].lower_ in self.future_auxiliaries:
                return True
            i -= 1
        return False


def _is_number(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and doc[i].like_num and any(c.isdigit() for c in doc[i].text)


def _is_verb(token) -> bool:
    return token.tag_.startswith("VB") or token.tag_ == "MD"


def _parse_published(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
