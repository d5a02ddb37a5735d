"""Entities the project's rules know, set before the model's "ner" so that the model
predicts around them: places of the gazetteer, organisations of the organisation lexicon
and of the institution patterns, Vietnamese names (a family name and one to three given
names). Each span's `id_` is its canonical name; the model's own entities have none.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.components.entity_lexicon import Lexicon, exact_phrase_matcher, load_lexicon
from pipeline.components.tags_on_demand import TagsOnDemand

# Words that end a run of given names: a name followed by one of them names a street, a
# school or a place, not the person.
NOT_GIVEN_NAMES = {"Street", "Road", "Avenue", "Boulevard", "Bridge", "Province", "City", "District",
                   "Ward", "Commune", "Village", "Hall", "Park", "Airport", "School", "University",
                   "Hospital", "Museum", "Square", "Mausoleum", "Trail", "Award", "Prize", "Party"}
# Capitalised words that end a name without making it a place's ("Lê Văn Thành Tuesday").
CALENDAR_WORDS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
                  "January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"}
# Vietnamese given names that spaCy's English stop list holds ("Hồ An Phong").
GIVEN_NAMES_THAT_ARE_STOP_WORDS = {"an", "do", "to", "ha", "le", "on", "mai"}
CONNECTORS = {"and", "&", ",", "'s", "for", "of", "the", "on", "in"}


@Language.factory("press_entity_rules", default_config={"gazetteer": ""})
def make_entity_rules(nlp: Language, name: str, gazetteer: str):
    return EntityRules(nlp, load_lexicon(gazetteer))


class EntityRules:
    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lex = lexicon
        self.tags = TagsOnDemand.of(nlp)
        self.names = exact_phrase_matcher(nlp, {"NAME": lexicon.names})
        self.heads = exact_phrase_matcher(nlp, {"PLACE_HEAD": lexicon.place_heads, "SUBJECT_HEAD": lexicon.subject_heads,
                                                "BARE_HEAD": lexicon.bare_heads})
        self.titles = exact_phrase_matcher(nlp, {"TITLE": lexicon.titles + lexicon.honorifics})
        self.people = Matcher(nlp.vocab)
        self.people.add("VIETNAMESE_NAME", [[
            {"ORTH": {"IN": sorted(lexicon.family_names)}},
            {"IS_TITLE": True, "IS_ALPHA": True, "OP": "{1,3}"},
        ]], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        places = self._names(doc)
        heads = self._heads(doc)
        titles = {i for _, s, e in self.titles(doc) for i in range(s, e)}
        in_places = {i for p in places if p.label_ != "ORG" for i in range(p.start, p.end)}
        # a Vietnamese-looking name never overlaps a known place ("Thái Bình", "Hà Nội Tuesday")
        people = self._people(doc, titles | set(heads) | in_places)
        stops = titles | {p.start for p in people}
        orgs = self._organisations(doc, places, heads, stops)
        # Order = priority on an equal span: filter_spans keeps the longest, and among
        # equally long spans the first of this list.
        chosen = filter_spans(orgs + [p for p in places if p.label_ != "ORG"] + people)
        doc.ents = sorted(chosen, key=lambda s: s.start)
        return doc

    def _names(self, doc: Doc) -> list[Span]:
        spans = []
        for _, start, end in self.names(doc):
            label, canonical = self.lex.names[doc[start:end].text]
            spans.append(Span(doc, start, end, label=label, span_id=canonical))
        # places and fixed organisation names apart: "Vietnam" inside "State Bank of Vietnam"
        # is still a place for the institution patterns
        return (filter_spans([s for s in spans if s.label_ != "ORG"])
                + filter_spans([s for s in spans if s.label_ == "ORG"]))

    def _heads(self, doc: Doc) -> dict[int, list[tuple[str, int]]]:
        """Token index -> (kind, end) of every institution head starting there."""
        heads: dict[int, list[tuple[str, int]]] = {}
        for match_id, start, end in self.heads(doc):
            heads.setdefault(start, []).append((doc.vocab.strings[match_id], end))
        return heads

    def _organisations(self, doc: Doc, places: list[Span], heads: dict, stops: set[int]) -> list[Span]:
        # Hand-written rather than Matcher patterns: a name's complement may hold a second
        # institution joined by "and" ("Department of Justice and People's Procuracy of
        # Vientiane Capital"), which needs the lookahead below.
        place_at = {p.start: p for p in places if p.label_ in ("GPE", "LOC")}
        place_ending_at = {p.end: p for p in places if p.label_ in ("GPE", "LOC")}
        spans = [p for p in places if p.label_ == "ORG"] + self._named_after_place(doc, places, stops)
        for start, found in heads.items():
            for kind, end in found:
                if kind == "PLACE_HEAD":
                    spans += self._place_head(doc, start, end, place_at, place_ending_at)
                elif kind == "SUBJECT_HEAD":
                    spans += self._subject_head(doc, start, end, place_at, heads, stops)
                elif kind == "BARE_HEAD" and start > 0 and doc[start - 1].lower_ == "the":
                    place = self._shared_place(doc, end, place_at, stops)
                    head = doc[start:end].text
                    # without a place, "the People's Committee" is generic: no named body
                    if place is not None:
                        spans.append(Span(doc, start, end, label="ORG", span_id=f"{place.id_} {head}"))
        return spans + self._coordinated_heads(doc, heads, spans, place_at)

    @staticmethod
    def _coordinated_heads(doc, heads, spans, place_at) -> list[Span]:
        """'the Hà Nội Party Committee, People's Council and People's Committee': heads listed
        right after a place's body (joined by a comma or "and") are that place's bodies too."""
        place_of_end = {}
        for span in spans:
            place = place_at.get(span.start)
            if place is not None and span.end > place.end:
                place_of_end[span.end] = place
        found = []
        for start in sorted(heads):
            for kind, end in heads[start]:
                if kind in ("PLACE_HEAD", "BARE_HEAD") and start > 1 and doc[start - 1].text in (",", "and") \
                        and start - 1 in place_of_end:
                    place = place_of_end[start - 1]
                    found.append(Span(doc, start, end, label="ORG", span_id=f"{place.id_} {doc[start:end].text}"))
                    place_of_end[end] = place
        return found

    def _named_after_place(self, doc, places, stops) -> list[Span]:
        """'Vietnam Airlines', 'Hanoi University', 'Vietnam National Authority of Tourism'."""
        spans = []
        for place in places:
            if place.label_ == "ORG":
                continue
            end = None
            for i in range(place.end, min(place.end + 3, len(doc))):
                token = doc[i]
                if not (token.is_title and token.is_alpha) or i in stops:
                    break
                if token.text in self.lex.after_place:
                    end = i + 1
            if end is not None:
                # a brand keeps its own spelling: "Vietnam Airlines", not "Việt Nam Airlines"
                spans.append(Span(doc, place.start, end, label="ORG", span_id=doc[place.start:end].text))
        return spans

    def _place_head(self, doc, start, end, place_at, place_ending_at) -> list[Span]:
        """'<place> [Municipal] Party Committee' and 'Party Committee of (the) <place>'. The
        canonical name is '<place> <head>' in both forms, without the redundant Municipal,
        Provincial or City, so that every way of writing one body meets."""
        spans = []
        head = doc[start:end].text
        place = place_ending_at.get(start)  # "HCM City People's Committee": City is the place's
        if place is None and start > 0 and doc[start - 1].text in self.lex.place_head_modifiers:
            place = place_ending_at.get(start - 1)
        if place is not None:
            spans.append(Span(doc, place.start, end, label="ORG", span_id=f"{place.id_} {head}"))
        after = self._of_place(doc, end, place_at)
        if after is not None and place is None:
            spans.append(Span(doc, start, after.end, label="ORG", span_id=f"{after.id_} {head}"))
        return spans

    def _shared_place(self, doc, i, place_at, stops, reach=12):
        """The place a coordination gives a bare head: 'the Party Committee, government and
        people of Hanoi', 'Secretary of the Party Committee and Chairman of the People's
        Council of Vientiane' -> the Party Committee of that place. Only nouns, titles,
        institution words and connectors may stand between; a verb ends the search."""
        for j in range(i, min(i + reach, len(doc) - 1)):
            token = doc[j]
            if token.is_sent_start:
                return None
            if token.text == "of":
                k = j + 2 if doc[j + 1].lower_ == "the" else j + 1
                if k in place_at:
                    return place_at[k]
                continue
            pos = self.tags.pos(token)
            if pos in ("VERB", "AUX", "ADP", "PRON", "NUM") or token.text in (".", ";", ":"):
                return None
            if pos not in ("NOUN", "PROPN", "ADJ", "CCONJ", "PUNCT", "DET", "PART") and j not in stops:
                return None
        return None

    @staticmethod
    def _of_place(doc, i, place_at):
        if i < len(doc) and doc[i].text == "of":
            i += 1
            if i < len(doc) and doc[i].lower_ == "the":
                i += 1
            return place_at.get(i)
        return None

    def _subject_head(self, doc, start, end, place_at, heads, stops) -> list[Span]:
        """'Ministry of Planning and Investment', 'Department of Foreign Affairs of Hà Nội',
        'Embassy of Việt Nam', 'Standing Committee of ...'; the name ends where 'and' begins
        another institution, at a title and at a person's name."""
        # "of" or "for": "Council for the Development of Cambodia", "Institute for Policy Studies"
        if end >= len(doc) or doc[end].text not in ("of", "for") or not doc[start].is_title:
            return []
        # capitalised words before the head belong to the name ("Organising Committee")
        # ("The" opening a line that the sentence splitter ran on from a headline is no part of it)
        while (start > 0 and doc[start - 1].is_title and doc[start - 1].is_alpha and not doc[start - 1].is_sent_start
               and not doc[start - 1].is_stop
               and start - 1 not in stops and doc[start - 1].text not in self.lex.demonyms):
            start -= 1
        i = end + 1
        last = None  # index just past the last capitalised word of the subject
        # A comma inside a name only lists its subjects, closed by "and" ("Ministry of Labour,
        # Invalids and Social Affairs"); a comma that no "and" closes ends the name:
        # "Ministry of Agriculture and Rural Development, Tuấn said".
        before_comma = None
        while i < len(doc) and not doc[i].is_sent_start:
            token = doc[i]
            if token.text == ",":
                before_comma = last if before_comma is None else before_comma
            elif token.text == "and":
                before_comma = None
            if i in place_at:
                if doc[i - 1].text == "of":
                    last = place_at[i].end
                break  # a place not after "of" begins another name: "Ministry of Transport, Vietnam Airlines"
            if token.text in ("and", ",") and (i + 1 in heads or doc[i + 1].lower_ == "the") or i in stops:
                break  # a second institution: "... and People's Procuracy of X", "... and the Bank of Y"
            if token.is_title and token.is_alpha or token.text[:1].isupper() and token.is_alpha:
                last = i + 1
            elif token.text not in CONNECTORS:
                break
            i += 1
        if before_comma is not None:
            last = before_comma
        if last is None:
            return []
        span = doc[start:last]
        # the complement shared by coordinated institutions ("of Vientiane Capital") is
        # read by the entity layer from the text; here the name stands as written.
        return [Span(doc, start, last, label="ORG", span_id=_canonical_org(span, place_at))]

    def _people(self, doc: Doc, blocked: set[int]) -> list[Span]:
        """A family name and the capitalised words after it, up to a word that cannot be a
        given name (an English function word, a title, a place); none when a word like
        Street or Province shows that the name is a street's or a place's."""
        spans = []
        for _, start, end in self.people(doc):
            if start in blocked:
                continue
            stop = start + 1
            while stop < end and not (doc[stop].is_stop and doc[stop].lower_ not in GIVEN_NAMES_THAT_ARE_STOP_WORDS
                                      or doc[stop].text in NOT_GIVEN_NAMES
                                      or stop in blocked or doc[stop].text in self.lex.names
                                      or doc[stop].text in CALENDAR_WORDS):
                stop += 1
            if stop < len(doc) and doc[stop].text in NOT_GIVEN_NAMES or stop - start < 2:
                continue
            spans.append(Span(doc, start, stop, label="PERSON", span_id=doc[start:stop].text))
        return spans


def _canonical_org(span: Span, place_at: dict) -> str:
    """The name with each place spelled canonically (Hanoi -> Hà Nội) so that spellings meet."""
    words, i = [], span.start
    while i < span.end:
        place = place_at.get(i)
        if place is not None and place.end <= span.end:
            words.append(place.id_ + place[-1].whitespace_)
            i = place.end
        else:
            words.append(span.doc[i].text_with_ws)
            i += 1
    return "".join(words).strip()
