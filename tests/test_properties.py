"""Property-based tests (hypothesis) of the text functions every document goes through:
they never raise on any string, and every offset they give points at the text it claims."""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.clean import clean, normalise_text
from pipeline.pieces import split_body
from pipeline.read import InputError, decode_bytes

# Any Unicode text, plus text built from the characters the cleaner treats specially
# (dashes, quotes, spaces, line breaks, controls, BOM, combining marks), which random
# strings rarely hit.
SPECIAL = "\u2013\u2014\u2015\u2019\u201c\u201d\u00a0\u200b\ufeff\u00ad\u2028\u2029\r\n\t\x00\x07\x1b\u0301\u0323 -|/.:,()[]"
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list(SPECIAL) + list("aeAE19 \n")), max_size=200),
    st.lists(st.sampled_from([
        "Publish date 14/03/2024 | 10:11 AM | View count: 14", "VIENTIANE —", "Hà Nội (VNA) –",
        "Phnom Penh, June 2 (Xinhua) --", "By Minh Anh", "— VNS", "/.", "(Photo: VNA)", "", "\n", "\n\n",
        "Hanoi and Vientiane sign a plan for 2022 – 2025.", "e\u0301", "\u1ec7", "Ngày đăng 05/06/2024",
    ]), max_size=12).map("\n".join),
)
relaxed = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@relaxed
@given(texts)
def test_normalise_text_never_raises_and_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@relaxed
@given(texts)
@example("e\u200b\u0301")  # a removed zero-width space between a letter and its accent
def test_normalised_text_has_no_odd_characters(text):
    out = normalise_text(text)
    assert not any(c in out for c in "\r\t\u00a0\u200b\ufeff\u2013\u2019\u201c\u201d")
    assert not any(ord(c) < 32 and c != "\n" for c in out)
    assert "\n\n\n" not in out and out == out.strip()


@relaxed
@given(texts, st.booleans())
@example("0\n0\n\n\u2010AA", False)  # an agency credit alone in the last paragraph left a blank one
def test_clean_never_raises_and_gives_a_normalised_body(text, day_first):
    doc = clean(text, day_first=day_first)
    assert isinstance(doc.body, str) and isinstance(doc.title, str)
    assert normalise_text(doc.body) == doc.body
    assert doc.header_published == "" or len(doc.header_published) == 10


@relaxed
@given(texts)
def test_clean_is_a_function_of_its_input(text):
    assert clean(text) == clean(text)


@relaxed
@given(st.one_of(texts, st.text(alphabet="ab .\n", max_size=400)), st.integers(min_value=1, max_value=60))
def test_every_piece_is_at_its_offset_and_no_text_is_lost(body, limit):
    pieces = split_body(body, limit)
    for piece in pieces:
        assert body[piece.offset:piece.offset + len(piece.text)] == piece.text
        assert 0 < len(piece.text) <= limit
        assert piece.text == piece.text.strip() or not piece.text[0].isspace()
    offsets = [p.offset for p in pieces]
    assert offsets == sorted(offsets)
    # Every non-space character of the body is in exactly one piece.
    covered = sorted(i for p in pieces for i in range(p.offset, p.offset + len(p.text)) if not body[i].isspace())
    assert covered == [i for i, c in enumerate(body) if not c.isspace()]


@relaxed
@given(st.binary(max_size=300))
def test_decode_bytes_gives_text_or_an_input_error(data):
    try:
        text = decode_bytes(data)
    except InputError as exc:
        assert "save" in str(exc) or "export" in str(exc)
    else:
        assert isinstance(text, str) and "\x00" not in text
