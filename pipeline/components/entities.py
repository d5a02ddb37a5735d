"""The entity layer after the model's "ner": keeps the rules' entities (set before the model
by press_entity_rules), keeps the model's PERSON/ORG/GPE/LOC where they are names, cuts
titles off names, drops junk, resolves short references ("Dũng", "Sonexay") to the full name,
and gives every entity its canonical name in span._.value.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.components.entity_lexicon import LABELS, Lexicon, exact_phrase_matcher, load_lexicon
from pipeline.components.entity_rules import NOT_GIVEN_NAMES
from pipeline.normalize.names import choose_canonical, fold

LEADING_WORDS = {"the", "The", "THE"}
# what the model leaves at the end of a name cut short by a place the rules set
TRAILING_WORDS = {"'s", "'", "of", "and", "for", "the"}


@Language.factory("press_entities", default_config={"gazetteer": ""})
def make_entities(nlp: Language, name: str, gazetteer: str):
    return EntitiesComponent(nlp, load_lexicon(gazetteer))


class EntitiesComponent:
    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lex = lexicon
        self.titles = exact_phrase_matcher(nlp, {"TITLE": lexicon.titles + lexicon.honorifics})
        # words of titles, but not those that also name institutions ("Party" of "Party
        # General Secretary", "State" of "State President") unless they are a title alone
        self.title_words = ({w for t in lexicon.titles + lexicon.honorifics for w in t.split()}
                            - lexicon.institution_words) | {t for t in lexicon.titles if " " not in t}
        self.not_names = lexicon.never_org | set(lexicon.demonyms)
        self.generic_heads = set(lexicon.place_heads) | set(lexicon.bare_heads) | set(lexicon.subject_heads)
        # words of a minister's portfolio: institution words that are no institution's head
        heads = {w for phrase in [*self.generic_heads, *lexicon.after_place] for w in phrase.split()}
        self.portfolio_words = lexicon.institution_words - heads

    def __call__(self, doc: Doc) -> Doc:
        title_matches = self.titles(doc)
        title_ends = {e for _, s, e in title_matches} | self._portfolio_ends(doc, title_matches)
        title_starts = {s for _, s, e in title_matches}
        title_reach: dict[int, int] = {}  # start of a title -> end of the longest one there
        for _, s, e in title_matches:
            title_reach[s] = max(e, title_reach.get(s, 0))
        kept = []
        for ent in doc.ents:
            if ent.id_:  # the project's rules: trusted as they are
                kept.append(ent)
                continue
            ent = self._model_entity(ent, title_ends, title_starts, title_reach)
            if ent is not None:
                kept.append(ent)
        kept += self._names_after_titles(doc, kept, title_ends)
        refs = self._short_references(doc, kept)
        if refs:  # a short reference wins over the model's one-word guess ("Mai" as ORG)
            starts = {r.start for r in refs}
            kept = [e for e in kept if not (len(e) == 1 and not e.id_ and e.start in starts)] + refs
        kept = self._acronyms(doc, kept)
        # "U.S. dollars", "Singapore dollars": the place names the currency
        kept = [e for e in kept if not (e.label_ in ("GPE", "LOC") and e.end < len(doc)
                                        and doc[e.end].text in self.lex.currency_nouns)]
        doc.ents = sorted(kept, key=lambda e: e.start)
        self._set_canonical(doc)
        return doc

    def _model_entity(self, ent: Span, title_ends: set[int], title_starts: set[int],
                      title_reach: dict[int, int] | None = None) -> Span | None:
        """The model's entity trimmed to a name, relabelled as a person where titles show
        it is one, or None."""
        if ent.label_ not in LABELS:
            return None
        doc = ent.doc
        start, end = ent.start, ent.end
        while start < end and doc[start].text in LEADING_WORDS:
            start += 1
        while end > start and (doc[end - 1].text in TRAILING_WORDS or doc[end - 1].is_punct):
            end -= 1
        # a title that starts inside the name and runs past it ends the name: "Thai|
        # Commerce Minister Phumtham" ("Commerce Minister" is the title, "Thai Commerce" no
        # name); a title wholly inside ("James Dean") does not
        cut = next((i for i in range(start + 1, end) if (title_reach or {}).get(i, 0) > end), None)
        end = cut if cut is not None else end
        if start >= end:
            return None
        label = ent.label_
        if label == "PERSON" and start > 0 and doc[start - 1].lower_ == "the":
            return None  # names of people take no article: "the Moc Bai border gate"
        # titles and honorifics glued on ("Prime Minister Sonexay Siphandone"), unless the
        # words after them name an institution ("General Statistics Office")
        name_start = start
        while name_start < end and (doc[name_start].text in self.title_words or doc[name_start].text in (",", "of")):
            name_start += 1
        if label == "PERSON" and end - name_start > 2 and name_start > 0 and doc[name_start - 1].text in ("of", "and", "&"):
            name_start += 1  # the end of a portfolio glued on: "(Minister of Public Works and) Transport X Y"
        rest = doc[name_start:end]
        institution = any(t.text in self.lex.institution_words for t in rest)
        if name_start > start and not institution:
            start = name_start
        looks_like_name = 2 <= len(rest) <= 4 and all(t.is_title and t.is_alpha for t in rest) and not institution
        if label != "PERSON" and looks_like_name and start == name_start and (
                start in title_ends  # "President of Laos Thongloun Sisoulith"
                or end + 1 < len(doc) and doc[end].text == "," and end + 1 in title_starts):  # "X Y, Standing member of"
            label = "PERSON"
        span = doc[start:end]
        if not self._is_name(span, label):
            return None
        if label == "ORG" and start > 1 and doc[start - 1].text == "of" and start - 1 in title_ends and all(
                t.text in self.portfolio_words or t.text in ("and", ",", "&") for t in span):
            return None  # "Deputy Minister of |Industry and Trade|": a portfolio, not a body
        return Span(doc, start, end, label=label)

    def _is_name(self, span: Span, label: str) -> bool:
        text = span.text
        if not any(c.isupper() for c in text):
            return False  # "the ministry": a common noun
        if text in self.not_names or text.rstrip("s") in self.not_names:
            return False  # Party, State, Government, USD, Lao, Vietnamese
        titles = [t.text[0].isupper() and self._is_title_word(t.text) for t in span]
        if all(is_title or t.is_punct or t.is_stop for is_title, t in zip(titles, span)):
            return False  # a title alone: "Chairpersons", "Vice Chairman"
        institution = any(t.text in self.lex.institution_words for t in span)
        if titles[-1] or not institution and any(titles):
            return False  # a title inside: "Municipal Party Secretaries, Chairpersons"
        if text in self.generic_heads:
            return False  # "the provincial Party Committee": the rules name these when they can
        if label == "PERSON" and (len(span) == 1 or span[-1].text in NOT_GIVEN_NAMES):
            # a full name has two words at least ("Rice" opening a sentence: the model's
            # guess); a one-word reference to a person named in full is found by
            # _short_references. "Nguyen Van Linh Street" is a street.
            return False
        if label == "ORG" and span[-1].text in self.lex.not_org_last_words:
            return False  # "Capital Law", "National Tourism Year"
        if label in ("GPE", "LOC") and len(span) == 1 and span[0].is_upper and len(text) <= 4:
            return False  # an unknown abbreviation is not a place we can vouch for
        if label == "ORG" and any(c.isdigit() for c in span[0].text):
            return False  # "RM120 million", "5,000 MW": an amount, not a body's name
        if label != "ORG" and any(t.like_num or any(c.isdigit() for c in t.text) for t in span):
            return False  # "2024", "Q4/2023": a number or a code is no person or place
        return True

    def _portfolio_ends(self, doc: Doc, title_matches) -> set[int]:
        """Ends of a title's portfolio: "Minister of Foreign Affairs| Saleumxay Kommasith",
        "Deputy Minister of Industry and Trade| Do Thang Hai" (institution words only)."""
        ends = set()
        for _, _start, end in title_matches:
            if end >= len(doc) or doc[end].text != "of":
                continue
            i = end + 1
            while i < len(doc) and (doc[i].text in self.lex.institution_words or doc[i].text in (",", "and", "the")):
                i += 1
            if i > end + 1 and doc[i - 1].text in self.lex.institution_words:
                ends.add(i)
                continue
            # a portfolio the lexicon does not know, closed by "and" and one word, then a
            # two-word name: "Minister of Energy and Mines| Phosay Sayasone and ...". Only
            # with exactly three capitalised words after that "and" (a fourth could belong to
            # either side: "Agriculture and Rural Development Phet Phomphiphak").
            j = end + 1
            while _capitalised(doc, j) or j < len(doc) and doc[j].text in (",", "and"):
                if (doc[j].text == "and" and j > end + 1 and all(_capitalised(doc, k) for k in range(j + 1, j + 4))
                        and not _capitalised(doc, j + 4)):
                    ends.add(j + 2)
                    break
                j += 1
        return ends

    def _names_after_titles(self, doc: Doc, kept: list[Span], title_ends: set[int]) -> list[Span]:
        """Two or three capitalised words right after a title ("Secretary of Vientiane
        Municipal Party Committee Anouphap Tounalom") that nothing else claimed: a person.
        Catches the Lao, Thai and Khmer names the model misses after a place or a body."""
        anchors = set(title_ends)
        for ent in kept:
            j = ent.start - 1
            if j > 0 and doc[j].lower_ == "the":
                j -= 1
            # "Ambassador of Laos X Y", "Ambassador to Laos X Y", "Country Director for Viet Nam X Y"
            if ent.label_ in ("ORG", "GPE") and j > 0 and doc[j].text in ("of", "to", "for") and j in title_ends:
                anchors.add(ent.end)
        taken = {i for ent in kept for i in range(ent.start, ent.end)}
        found = []
        for start in sorted(anchors):
            end = start
            while (end < len(doc) and end - start < 4 and doc[end].is_title and doc[end].is_alpha
                   and end not in taken and not doc[end].is_stop and doc[end].text not in self.title_words
                   and doc[end].text not in self.lex.institution_words
                   and doc[end].text not in self.lex.names and not doc[end].is_sent_start):
                end += 1
            if 2 <= end - start <= 3 and not (end < len(doc) and doc[end].is_title and doc[end].is_alpha):
                found.append(Span(doc, start, end, label="PERSON"))
                taken.update(range(start, end))
        return found

    def _is_title_word(self, word: str) -> bool:
        """Secretary, Secretaries, Chairpersons."""
        return (word in self.title_words or word.removesuffix("s") in self.title_words
                or word.removesuffix("ies") + "y" in self.title_words)

    def _short_references(self, doc: Doc, kept: list[Span]) -> list[Span]:
        """One-word references to a person named in full in the document: Vietnamese by the
        given name (the last word: "Dũng", "Dung"), others by the first or the last word
        ("Sonexay"; "Sreng" for the Khmer "Khuong Sreng"). A word that could mean two people
        is left alone. The span's id is the full name it points to."""
        candidates: dict[str, set[str]] = {}
        for ent in kept:
            if ent.label_ != "PERSON" or len(ent) < 2:
                continue
            vietnamese = ent[0].text in self.lex.family_names
            words = {ent[-1].text} if vietnamese else {ent[0].text, ent[-1].text}
            for word in words:
                candidates.setdefault(fold(word), set()).add(ent.id_ or ent.text)
        for word, names in candidates.items():
            if len({fold(n) for n in names}) > 1:
                candidates[word] = set()  # two people share the word
        taken = {i for ent in kept if len(ent) > 1 or ent.id_ for i in range(ent.start, ent.end)}
        refs = []
        for token in doc:
            names = candidates.get(fold(token.text))
            if not names or token.i in taken or not token.is_title or not token.is_alpha:
                continue
            if token.i + 1 < len(doc) and doc[token.i + 1].is_title and doc[token.i + 1].is_alpha:
                continue  # part of a longer name the rules did not know
            refs.append(Span(doc, token.i, token.i + 1, label="PERSON", span_id=min(names)))
        return refs

    def _acronyms(self, doc: Doc, kept: list[Span]) -> list[Span]:
        """An organisation's acronym defined in brackets after its name ("the Japan External
        Trade Organization (JETRO)", "Ministry of Industry and Trade (MOIT)") names it there
        and wherever the document uses it again, with the full name as canonical. The acronym
        must start with the name's first letter; lexicon acronyms (ADB) are already known."""
        defined: dict[str, str] = {}
        for ent in kept:
            i = ent.end
            if (ent.label_ != "ORG" or len(ent) < 2 or i + 2 >= len(doc) or doc[i].text != "("
                    or doc[i + 2].text != ")"):
                continue
            acronym = doc[i + 1].text
            if (2 <= len(acronym) <= 8 and acronym.isalpha() and acronym[0].isupper() and sum(c.isupper() for c in acronym) >= 2
                    and acronym not in self.lex.names and acronym[0] == ent[0].text[0]):
                defined.setdefault(acronym, ent.id_ or ent.text)
        if not defined:
            return kept
        multi = {i for e in kept if len(e) > 1 for i in range(e.start, e.end)}
        found = [Span(doc, t.i, t.i + 1, label="ORG", span_id=defined[t.text])
                 for t in doc if t.text in defined and t.i not in multi]
        starts = {s.start for s in found}
        return [e for e in kept if not (len(e) == 1 and e.start in starts)] + found

    def _set_canonical(self, doc: Doc) -> None:
        """Rules' entities and short references carry their (full) name in id_; the model's
        get their text. Spellings of one name in the document meet on the folded form."""
        spellings: dict[tuple[str, str], dict[str, int]] = {}
        for ent in doc.ents:
            name = ent.id_ or ent.text
            counts = spellings.setdefault((ent.label_, fold(name)), {})
            counts[name] = counts.get(name, 0) + 1
        # (one space between words: a name broken across lines is one name in a cell)
        preferred = {key: " ".join(choose_canonical(counts).split()) for key, counts in spellings.items()}
        for ent in doc.ents:
            ent._.value = {"canonical": preferred[(ent.label_, fold(ent.id_ or ent.text))]}


def _capitalised(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].is_title and doc[i].is_alpha
