"""Part-of-speech tags for the sentences a rule reads, instead of for every token.

The rules read tags in a few places only: the verb before a weekday (press_dates), the word
before "agreement" (press_agreements), "won" and "over" next to an amount (press_money), the
words after a bare institution head (press_entity_rules). The tagger's tok2vec layer and the
attribute ruler cost about 40 % of the small English model's time on a whole document, so
annotate runs them only here, on the sentence a rule asks about.

The tags are the ones the whole document would get. The tagger's encoder (a CNN) sees
`depth * window_size` tokens on each side of a token and nothing further, so a sentence is
tagged inside a window with that many tokens of context on each side, and only the
sentence's own tokens take the result (tests/test_tags_on_demand.py compares with tagging the
whole document). An encoder whose reach cannot be read from the config (a transformer, an
unknown architecture) gets the whole document as its window, which is exact by definition.

spaCy has no component that tags part of a Doc, hence this small class; the work itself is the
model's own pipes, called as they are.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

import numpy
from spacy.attrs import NORM
from spacy.language import Language
from spacy.tokens import Doc

# The model's pipes that produce .tag_ and .pos_, in pipeline order.
TAGGING_PIPES = ("tok2vec", "tagger", "attribute_ruler")


def _tagger_encoder_config(nlp: Language) -> dict:
    """The config of the tagger model's tok2vec layer: its own encoder, or a listener."""
    return nlp.config.get("components", {}).get("tagger", {}).get("model", {}).get("tok2vec", {})


def encoder_reach(nlp: Language) -> int | None:
    """Tokens each side that the tagger's encoder reads, or None when the config doesn't say."""
    if "tok2vec" in nlp.component_names:
        encoder = nlp.config.get("components", {}).get("tok2vec", {}).get("model", {})
    else:  # a tagger with its own encoder
        encoder = _tagger_encoder_config(nlp)
    if encoder.get("@architectures", "").startswith("spacy.HashEmbedCNN"):
        cnn = encoder
    else:
        cnn = encoder.get("encode", {})
    if cnn.get("@architectures", "").split(".")[1:2] in (["MaxoutWindowEncoder"], ["MishWindowEncoder"],
                                                          ["HashEmbedCNN"]):
        return int(cnn["depth"]) * int(cnn["window_size"])
    return None


def tagging_can_wait(nlp: Language) -> bool:
    """Whether the tagging pipes may leave the per-document pipeline: the model has a tagger
    whose encoder is its own or the tok2vec pipe (not a transformer's listener), and no other
    enabled component listens to that tok2vec."""
    if "tagger" not in nlp.pipe_names:
        return False
    architecture = _tagger_encoder_config(nlp).get("@architectures", "")
    if "Listener" in architecture:
        if not architecture.startswith("spacy.Tok2VecListener") or "tok2vec" not in nlp.pipe_names:
            return False
    if "tok2vec" in nlp.pipe_names:
        listeners = set(getattr(nlp.get_pipe("tok2vec"), "listening_components", []))
        if (listeners - {"tagger"}) & set(nlp.pipe_names):
            return False
    return True


# Token conditions under which the attribute ruler's result depends on the token alone: its
# tag and its word (DEP is never set here: the parser is not in the pipeline).
_TOKEN_ALONE_KEYS = {"TAG", "LOWER", "ORTH", "TEXT", "IS_SPACE", "DEP"}


def _needs_a_parse(spec: dict) -> bool:
    """A token condition that no token meets while DEP is unset."""
    dep = {k.upper(): v for k, v in spec.items()}.get("DEP")
    if isinstance(dep, str):
        return dep != ""
    return isinstance(dep, dict) and set(dep) == {"IN"} and "" not in dep["IN"]


def pos_from_token_alone(ruler) -> bool:
    """Whether the attribute ruler sets every token's TAG and POS from that token's tag and
    word alone: each of its patterns that sets them is one token long (or can only match after
    a parse), and reads nothing but the keys above."""
    for entry in ruler.patterns:
        if not {"POS", "TAG"} & {k.upper() for k in entry["attrs"]}:
            continue
        for pattern in entry["patterns"]:
            if any({k.upper() for k in spec} - _TOKEN_ALONE_KEYS for spec in pattern):
                return False
            if len(pattern) > 1 and not any(_needs_a_parse(spec) for spec in pattern):
                return False
    return True


class PosLookup:
    """The attribute ruler's (TAG, POS) for a (tag, word) pair, asked of the ruler once per pair
    on a one-token Doc and remembered: valid when pos_from_token_alone(ruler). The ruler's
    Matcher costs half as much as the tagger's encoder per token, on every call."""

    def __init__(self, ruler, vocab):
        self.ruler, self.vocab = ruler, vocab
        self._known: dict[tuple[int, int], tuple[int, int]] = {}

    def __call__(self, tag: int, orth: int) -> tuple[int, int]:
        key = (tag, orth)
        found = self._known.get(key)
        if found is None:
            alone = Doc(self.vocab, words=[self.vocab.strings[orth]], spaces=[False])
            alone[0].tag = tag
            alone = self.ruler(alone)
            found = self._known[key] = (alone[0].tag, alone[0].pos)
        return found


# TagsOnDemand.of: one instance per pipeline, dropped with the pipeline.
_SHARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class TagsOnDemand:
    """`ensure(doc, i)`: the sentence of token i has its tags and POS afterwards (True), or the
    pipeline has no tagger (False; rules then read no tags, as without a tagger at all).
    `pos(token)` and `tag(token)` read a token's after ensuring its sentence's."""

    def __init__(self, nlp: Language | None):
        self.nlp = nlp
        self._pipes = None
        self._reach: int | None = None
        self._lookup: PosLookup | None = None

    @classmethod
    def of(cls, nlp: Language) -> TagsOnDemand:
        """The one instance of this pipeline, shared by its components: the pipes are looked up
        and the POS lookup learnt once, not once per component."""
        shared = _SHARED.get(nlp)
        if shared is None:
            shared = _SHARED[nlp] = cls(nlp)
        return shared

    def _tagging_pipes(self) -> list:
        if self._pipes is None:
            # Looked up at first use: the components are built before annotate disables these.
            names = [n for n in TAGGING_PIPES if self.nlp is not None and n in self.nlp.component_names]
            self._pipes = [self.nlp.get_pipe(n) for n in names] if "tagger" in names else []
            self._reach = encoder_reach(self.nlp) if self._pipes else None
            if "attribute_ruler" in names and pos_from_token_alone(self.nlp.get_pipe("attribute_ruler")):
                ruler = self.nlp.get_pipe("attribute_ruler")
                self._pipes.remove(ruler)
                self._lookup = PosLookup(ruler, self.nlp.vocab)
        return self._pipes

    def ensure(self, doc: Doc, i: int) -> bool:
        return self.ensure_many(doc, (i,))

    def ensure_many(self, doc: Doc, indices: Iterable[int]) -> bool:
        """The sentences of all these tokens, tagged in one run of the model's pipes (a rule
        that knows several sentences it will read asks at once: one run costs about as much as
        a sentence of 40 tokens, whatever its length)."""
        indices = [i for i in indices if 0 <= i < len(doc)]
        if not indices:
            return False
        todo = [i for i in indices if doc[i].tag == 0]
        if not todo:
            return True  # tagged already: by the full pipeline, or by an earlier rule
        if not self._tagging_pipes():
            return False
        sentences = sorted({self._sentence(doc, i) for i in todo})
        reach = self._reach or 0
        windows: list[list[int]] = []  # [start, end) with reach tokens of context on each side
        for start, end in sentences:
            window = [max(0, start - reach), min(len(doc), end + reach)]
            if windows and window[0] <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], window[1])
            else:
                windows.append(window)
        # All windows in one Doc, end to end: the tokens copied back lie at least reach tokens
        # inside their own window, so what the encoder reads of a neighbouring window never
        # reaches them.
        positions = numpy.concatenate([numpy.arange(a, b) for a, b in windows])
        tokens = [doc[int(k)] for k in positions]
        # The encoder reads NORM and whether a space follows, besides the word itself.
        joined = Doc(doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])
        joined.from_array([NORM], doc.to_array([NORM])[positions])
        for pipe in self._pipes:
            joined = pipe(joined)
        where = {int(k): n for n, k in enumerate(positions)}
        for start, end in sentences:
            for k in range(start, end):
                source = joined[where[k]]
                if self._lookup is not None:
                    doc[k].tag, doc[k].pos = self._lookup(source.tag, source.orth)
                else:
                    doc[k].tag, doc[k].pos = source.tag, source.pos
        return True

    def _sentence(self, doc: Doc, i: int) -> tuple[int, int]:
        if self._reach is None or not doc.has_annotation("SENT_START"):
            return 0, len(doc)  # whole document: exact whatever the encoder
        sent = doc[i].sent
        return sent.start, sent.end

    def pos(self, token) -> str:
        self.ensure(token.doc, token.i)
        return token.pos_

    def tag(self, token) -> str:
        self.ensure(token.doc, token.i)
        return token.tag_
