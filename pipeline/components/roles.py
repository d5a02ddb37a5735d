"""Roles: the titles a person holds, read from the title chains around a name.

"Politburo member, Secretary of the Vientiane Party Committee and Mayor of Vientiane Anouphap
Tounalom" gives three rows; "Mr. Dinh Tien Dung, member of the Politburo, Secretary of the
Hanoi Party Committee" gives two. A row's span runs from the first title through the name
(title chain before the name) or from the name through the last title (chain after it).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.components.entity_lexicon import Lexicon, exact_phrase_matcher, load_lexicon

ORGANISATION_LABELS = ("ORG", "GPE")
PLACE_KIND_WORDS = {"province", "city", "capital", "district", "town"}


# Titles that, without a body of their own, lead the ruling party of the person's country.
PARTY_LEADER_TITLES = ("Party General Secretary", "Party Secretary General", "General Secretary")


@dataclass
class Segment:
    start: int
    end: int
    title: str
    organisation: str


@Language.factory("press_roles", default_config={"gazetteer": ""})
def make_roles(nlp: Language, name: str, gazetteer: str):
    return RolesComponent(nlp, load_lexicon(gazetteer))


class RolesComponent:
    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lex = lexicon
        self.titles = exact_phrase_matcher(nlp, {"TITLE": lexicon.titles})
        self.honorifics = exact_phrase_matcher(nlp, {"HONORIFIC": lexicon.honorifics})

    def __call__(self, doc: Doc) -> Doc:
        titles: dict[int, int] = {}
        for _, start, end in self.titles(doc):
            titles[start] = max(end, titles.get(start, 0))  # the longest title at a start
        honorific_ends = {e: s for _, s, e in self.honorifics(doc)}
        ent_at = {e.start: e for e in doc.ents}
        people = [e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1]
        after = [span for person in people for span in self._after(doc, person, titles, ent_at)]
        # a title chain after one name ("Nguyen Minh Tam, Ambassador to Laos, and ...") is
        # not read again as the chain before the next name
        claimed = {i for span in after for i in range(span.start, span.end)}
        before = []
        for person in people:
            name_start = honorific_ends.get(person.start, person.start)
            before += self._before(doc, person, name_start, titles, ent_at, claimed)
        doc.spans["roles"] = sorted(before + after, key=lambda s: (s.start, s.end))
        return doc

    def _segment(self, doc: Doc, i: int, titles: dict, ent_at: dict) -> Segment | None:
        """'Secretary of the Hà Nội Party Committee', 'Lao Prime Minister', 'member'."""
        country = ""
        start = i
        before = ent_at.get(i)
        if doc[i].text in self.lex.demonyms and i + 1 in titles:
            country = self.lex.demonyms[doc[i].text]  # "Lao Prime Minister"
            i += 1
        elif before is not None and before.label_ in ORGANISATION_LABELS and before.end in titles:
            country = before._.value["canonical"]  # "Politburo member", "Hà Nội Party Secretary"
            i = before.end
        if i not in titles:
            return None
        end = titles[i]
        title = doc[i:end].text
        title = self.lex.title_abbreviations.get(title, title)
        organisation = country
        if end < len(doc) and doc[end].text == "of":
            j = end + 1
            if j < len(doc) and doc[j].lower_ == "the":
                j += 1
            ent = ent_at.get(j)
            if ent is not None and ent.end + 1 < len(doc) and doc[ent.end].text in ("'s", "'"):
                ent = ent_at.get(ent.end + 1)  # "Chairman of Vietnam's National Assembly"
            if ent is None:
                portfolio = self._portfolio_end(doc, end + 1, ent_at)
                if portfolio is None:
                    return None  # "head of the delegation": not a body we can name
                # "Minister of Industry and Commerce": the portfolio is part of the title
                return Segment(start, portfolio, f"{title[0].upper() + title[1:]} {doc[end:portfolio].text}", organisation)
            if ent.label_ not in ORGANISATION_LABELS or not self._ends_a_name(doc, ent.end, ent_at):
                return None  # "head of the National Assembly delegation": the body is a modifier
            organisation = ent._.value["canonical"]
            end = ent.end
            if end < len(doc) and doc[end].lower_ in PLACE_KIND_WORDS and ent.label_ == "GPE":
                end += 1  # "Governor of Savannakhet Province"
        if end + 1 < len(doc) and doc[end].text == "to" and end + 1 in ent_at and ent_at[end + 1].label_ == "GPE":
            end = ent_at[end + 1].end  # "Ambassador of Laos to Việt Nam": the posting, not the body
        return Segment(start, end, title[0].upper() + title[1:], organisation)

    def _portfolio_end(self, doc: Doc, i: int, ent_at: dict) -> int | None:
        """End of a portfolio: institution words ("Foreign Affairs", "Industry and Trade"), or
        any capitalised words up to a person's name ("Public Works and Transport Ngampasong")."""
        start = i
        j = i
        while j < len(doc) and (doc[j].is_title and doc[j].is_alpha or doc[j].text in ("and", "&")):
            if j > start and j in ent_at and ent_at[j].label_ == "PERSON":
                return j if doc[j - 1].text not in ("and", "&") else None
            j += 1
        while i < len(doc) and (doc[i].text in self.lex.institution_words or doc[i].text in (",", "and")):
            i += 1
        while i > start and doc[i - 1].text in (",", "and"):
            i -= 1
        return i if i > start else None

    def _ends_a_name(self, doc: Doc, i: int, ent_at: dict) -> bool:
        """Whether the body named before token i is the whole body of the title: what follows
        is punctuation, "and", "to", a place word or a person's name, not more of a name
        ("the LPRP Central Committee's Secretariat") or a noun ("the National Assembly delegation")."""
        if i >= len(doc):
            return True
        following = doc[i]
        if following.text in ("'s", "'"):
            return False
        if following.is_punct or following.text in ("and", "to") or following.lower_ in PLACE_KIND_WORDS:
            return True
        if following.is_title:
            ent = ent_at.get(i)
            return ent is not None and ent.label_ == "PERSON" or following.text in self.lex.honorifics
        return not following.is_alpha

    def _chain(self, doc: Doc, i: int, titles: dict, ent_at: dict, limit: int) -> tuple[list[Segment], int]:
        """Segments joined by ',' or 'and' from token i, up to token index limit."""
        segments = []
        while i < limit:
            segment = self._segment(doc, i, titles, ent_at)
            if segment is None:
                break
            segments.append(segment)
            i = segment.end
            # the next title follows ",", "and" or ", and"
            if i < limit and doc[i].text == ",":
                i += 1
            if i < limit and doc[i].text == "and":
                i += 1
        return segments, i

    def _before(self, doc, person, name_start, titles, ent_at, claimed) -> list[Span]:
        sent_start = person.sent.start if doc.has_annotation("SENT_START") else 0
        # the earliest start whose chain runs up to the name ("Secretary of X, Dinh Tien Dung" too)
        for start in range(sent_start, name_start):
            if start in claimed:
                continue
            if start not in titles and not (doc[start].text in self.lex.demonyms and start + 1 in titles) and not (
                    start in ent_at and ent_at[start].end in titles):
                continue
            segments, end = self._chain(doc, start, titles, ent_at, name_start)
            if segments and (segments[-1].end == name_start or
                             (doc[segments[-1].end].text == "," and segments[-1].end + 1 == name_start)):
                return [self._span(doc, person, seg, seg.start, person.end, segments) for seg in segments]
        return []

    def _after(self, doc, person, titles, ent_at) -> list[Span]:
        if person.end + 1 >= len(doc) or doc[person.end].text != ",":
            return []
        limit = person.sent.end if doc.has_annotation("SENT_START") else len(doc)
        segments, _ = self._chain(doc, person.end + 1, titles, ent_at, limit)
        # a title written right before another person's name is that person's:
        # "Ho An Phong, Ambassador of Cambodia Chay Navuth"
        person_starts = {e.start for e in doc.ents if e.label_ == "PERSON"}
        while segments and (segments[-1].end in person_starts or segments[-1].start in person_starts):
            segments.pop()
        if not segments:
            return []
        return [self._span(doc, person, seg, person.start, seg.end, segments) for seg in segments]

    def _span(self, doc, person, segment, start, end, chain=()) -> Span:
        """A row's span runs from its title through the name (or from the name through its
        title), so each row of a chain has its own span: spaCy keys span._ values by the
        span's characters."""
        span = Span(doc, start, end, label="ROLE")
        title, organisation = segment.title, segment.organisation
        # (only the party-wide leader's title: a "Party Secretary" leads a local committee;
        # a bare "General Secretary" beside a country's presidency, or held by a Vietnamese
        # name, is the party's: other bodies' secretaries-general are written with their body)
        if not organisation and title in PARTY_LEADER_TITLES:
            # "the Party" is the ruling party of the person's country: the country another
            # title of the chain names ("..., President of Laos X"), or Việt Nam for a
            # Vietnamese name. Not read from the parties a story names: a Vietnam-Laos story
            # names the other side's party as often as the person's own.
            countries = {s.organisation for s in chain} & set(self.lex.ruling_parties)
            if len(countries) != 1 and person[0].text in self.lex.family_names:
                countries = {"Việt Nam"}
            if len(countries) == 1:
                organisation, title = self.lex.ruling_parties[countries.pop()], title.removeprefix("Party ")
        span._.value = {"person": person._.value["canonical"], "title": title,
                        "organisation": organisation}
        return span
