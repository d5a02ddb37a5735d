"""Amounts of money in text -> (amount, currency, qualifier, amount_max), from a lexicon.

Why a character-level grammar and not spaCy's Matcher: the tokenizer splits money
inconsistently ("US$2" -> "US$" "2", but "S$3", "HK$30", "USD5.5", "3bn", "1MM", "50MUSD",
"VND24,000" and "million-$3" each stay one token), so token patterns would need a regex
per glued form. One grammar over the characters, compiled from pipeline/rules/money.yml,
reads every form the same way; the component maps its matches back onto tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_PATH = Path(__file__).resolve().parent.parent / "rules" / "money.yml"


@dataclass(frozen=True)
class MoneyMention:
    start: int  # character offsets of the mention in the text searched
    end: int
    amount: int | float
    currency: str
    qualifier: str = ""
    amount_max: int | float | None = None
    amount_start: int = 0  # where the mention starts without its qualifier
    currency_after: tuple[int, int] | None = None  # offsets of a currency written after the number
    has_scale: bool = False  # a scale word was written ("500 million won")

    def value(self) -> dict:
        return {"amount": self.amount, "amount_max": self.amount_max, "currency": self.currency, "qualifier": self.qualifier}


def plain_number(value: Decimal) -> int | float:
    """3000000 rather than 3E+6 or 3000000.0; the writer prints it without separators."""
    return int(value) if value == value.to_integral_value() else float(value)


def parse_number(text: str, zero_minor_units: bool = False, has_scale: bool = False) -> Decimal:
    """Digits with thousands separators and a decimal mark, as written in either convention.

    Spaces group thousands ("1 500 000"). Both marks present: the last one is the decimal mark ("1.500.000,50", "1,500,000.50").
    One mark written more than once: thousands ("1.500.000", "1,500,000").
    One mark once: "," before exactly three digits is thousands ("500,000", the English
    convention of most sources), else decimal ("2,5 tỷ"); "." is decimal ("2.5 billion")
    except before exactly three digits in a currency written without decimals and with no
    scale word ("1.500 đồng" = 1500).
    """
    text = text.replace(" ", "")  # "1 500 000": spaces group thousands only
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        return Decimal(text.replace(thousands, "").replace(decimal_mark, "."))
    for mark in (",", "."):
        if mark not in text:
            continue
        if text.count(mark) > 1:
            return Decimal(text.replace(mark, ""))
        tail = text.rsplit(mark, 1)[1]
        if len(tail) == 3 and (mark == "," or (zero_minor_units and not has_scale)):
            return Decimal(text.replace(mark, ""))
        return Decimal(text.replace(mark, "."))
    return Decimal(text)


def parse_word_number(text: str, words: dict[str, int]) -> Decimal | None:
    """'three', 'twenty-five', 'three hundred', 'a', 'half a' -> the number."""
    parts = [p for p in re.split(r"[\s-]+", text.lower()) if p and p != "and"]
    if parts[:1] == ["half"]:
        return Decimal("0.5")
    current = Decimal(0)
    for part in parts:
        value = words.get(part)
        if value is None:
            return None
        current = (current or 1) * value if value == 100 else current + value
    return current or None


def _alternation(forms, case_sensitive: set[str]) -> str:
    """Longest form first, so "US$" wins over "$" and "just over" over "over"."""
    out = []
    for form in sorted(set(forms), key=lambda f: (-len(f), f)):
        escaped = re.escape(form).replace(r"\ ", r"\s")
        out.append(f"(?-i:{escaped})" if form in case_sensitive else escaped)
    return "|".join(out)


class MoneyGrammar:
    """The lexicon compiled into one regular expression, and the reading of its matches."""

    def __init__(self, lexicon: dict):
        case_sensitive = set(lexicon["case_sensitive"])
        self.before: dict[str, str] = {}
        self.after: dict[str, str] = {}
        for code, forms in lexicon["currencies"].items():
            for form in forms.get("before", []):
                self.before[self._key(form, case_sensitive)] = code
            for form in forms.get("after", []):
                self.after[self._key(form, case_sensitive)] = code
        self.yen_sign = lexicon["yen_sign"]
        self.before[self.yen_sign] = "¥"
        self.yuan_words = re.compile(r"\b(?:" + _alternation(lexicon["yuan_words"], set()) + r")\b", re.I)
        self.needs_scale = {f.lower() for f in lexicon["needs_scale"]}
        self.zero_minor_units = set(lexicon["zero_minor_units"])
        self.scales = {k: Decimal(v) for k, v in lexicon["scales"].items()}
        self.code_scales = {k: Decimal(v) for k, v in lexicon["code_scale_prefixes"].items()}
        self.number_words = dict(lexicon["number_words"])
        self.qualifier_aliases = dict(lexicon["qualifier_aliases"])
        self.particle_qualifiers = set(lexicon["particle_qualifiers"])
        self.case_sensitive = case_sensitive
        self.verb_forms = {f.lower() for f in lexicon["verb_forms"]}

        codes = sorted(lexicon["currencies"])
        glued = [p + c for p in self.code_scales for c in codes]  # "MUSD", "kEUR"
        before_forms = [*(f for forms in lexicon["currencies"].values() for f in forms.get("before", [])), self.yen_sign]
        after_forms = [f for forms in lexicon["currencies"].values() for f in forms.get("after", [])]
        pre = _alternation(before_forms, case_sensitive)
        # A glued scale letter is a different word in another case ("MUSD" vs "musd" is rare
        # but "Mvnd" is not a form): match glued codes case-sensitively.
        suf = _alternation(after_forms, case_sensitive) + "|" + _alternation(glued, set(glued))
        scale = _alternation(self.scales, set())
        word = _alternation([w for w in self.number_words if w not in ("a", "an", "hundred")], set())
        number = (
            r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?: \d{3})+(?![.,]?\d)|\d+(?:[.,]\d+)?"
            rf"|(?:{word})(?:[\s-]+(?:and\s+)?(?:{word}|hundred))*"
            rf"|(?:half\s+an?|an?)(?=\s+(?:{scale})(?!\w))"
        )
        qualifier = _alternation(lexicon["qualifiers"], set())
        scale_part = rf"(?:\s?-?\s?(?P<scale{{n}}>{scale})(?!\w))?"
        self.pattern = re.compile(
            rf"(?<![\w$])(?<!\d[.,])"
            rf"(?:(?P<qual>{qualifier})\s+)?"
            rf"(?:(?P<between>between)\s+)?"
            rf"(?P<amount>(?:(?P<cur1>{pre})(?![^\W\d_])\s?)?"
            rf"(?P<num1>{number})" + scale_part.format(n=1) +
            rf"(?:\s*(?P<sep>(?(between)(?:and|-|to)|(?:-|to)))\s*(?:(?P<cur2>{pre})\s?)?(?P<num2>{number})" + scale_part.format(n=2) + ")?"
            rf"(?:\s?-?\s?(?P<cur3>{suf})(?!\w))?)",
            re.I,
        )

    @staticmethod
    def _key(form: str, case_sensitive: set[str]) -> str:
        return form if form in case_sensitive else " ".join(form.lower().split())

    def _code(self, table: dict[str, str], written: str) -> tuple[str | None, Decimal]:
        """ISO code (and the scale of a glued "M"/"k") of a currency form as written."""
        written = " ".join(written.split())
        if written in table:
            return table[written], Decimal(1)
        if written.lower() in table:
            return table[written.lower()], Decimal(1)
        for prefix, scale in sorted(self.code_scales.items(), key=lambda kv: -len(kv[0])):
            if written.startswith(prefix) and written[len(prefix):].lower() in self.after:
                return self.after[written[len(prefix):].lower()], scale
        return None, Decimal(1)

    def _scale(self, written: str | None) -> Decimal | None:
        if not written:
            return None
        return self.scales.get(written, self.scales.get(written.lower()))

    def _number(self, written: str, zero_minor: bool, has_scale: bool) -> Decimal | None:
        if written[0].isdigit():
            return parse_number(written, zero_minor, has_scale)
        return parse_word_number(written, self.number_words)

    def find(self, text: str) -> list[MoneyMention]:
        yen = "CNY" if self.yuan_words.search(text) else "JPY"
        found: list[MoneyMention] = []
        for m in self.pattern.finditer(text):
            for mention in self._read(m, text, yen):
                merged = self._range_of(found[-1], mention, text) if found else None
                if merged:
                    found[-1] = merged
                else:
                    found.append(mention)
        return found

    def _range_of(self, low: MoneyMention, high: MoneyMention, text: str) -> MoneyMention | None:
        """Two amounts of one currency joined as a range, each with its own currency sign:
        "20.000đ-30.000đ", "5 million USD to 7 million USD", "between 10 USD and 20 USD"."""
        if low.amount_max is not None or high.amount_max is not None or high.qualifier or low.currency != high.currency:
            return None
        before = text[:low.start]
        joiner = text[low.end:high.start].strip().lower()
        between = re.search(r"\bbetween\s+$", before, re.I)
        if joiner == "-" or (joiner == "to" and not re.search(r"\bfrom\s+$", before, re.I)) or (joiner == "and" and between):
            start = between.start() if between and not low.qualifier else low.start
            amount_start = between.start() if between else low.amount_start
            return MoneyMention(start, high.end, low.amount, low.currency, low.qualifier, high.amount,
                                amount_start, high.currency_after, low.has_scale or high.has_scale)
        return None

    def _read(self, m: re.Match, text: str, yen: str) -> list[MoneyMention]:
        g = m.groupdict()
        after_end = text[m.end():m.end() + 9].lower().lstrip()
        if after_end.startswith(("%", "percent", "per cent")):
            return []
        currency, glued_scale = None, Decimal(1)
        for group, table in (("cur1", self.before), ("cur2", self.before), ("cur3", self.after)):
            if g[group]:
                currency, glued_scale = self._code(table, g[group])
                break
        if currency is None:
            return []  # a bare number is not money
        if currency == "¥":
            currency = yen
        if g["cur3"] and not g["num1"][0].isdigit() and "-" in text[m.start("cur3") - 2:m.start("cur3")]:
            return []  # "a billion-dollar industry" is a figure of speech; "800-million-USD loan" is not
        scale1, scale2 = self._scale(g["scale1"]), self._scale(g["scale2"])
        if g["cur3"] and g["cur3"].lower() in self.needs_scale and not (scale1 or scale2):
            return []
        zero_minor = currency in self.zero_minor_units
        num1 = self._number(g["num1"], zero_minor, bool(scale1 or scale2))
        num2 = self._number(g["num2"], zero_minor, bool(scale2)) if g["num2"] else None
        if num1 is None or (g["num2"] and num2 is None):
            return []
        qualifier = (g["qual"] or "").lower()
        qualifier = " ".join(self.qualifier_aliases.get(qualifier, qualifier).split())
        amount_start = m.start("between") if g["between"] else m.start("amount")
        start = m.start("qual") if g["qual"] else amount_start
        currency_written = (m.start("cur3"), m.end("cur3")) if g["cur3"] else None
        scaled = bool(scale1 or scale2 or glued_scale != 1)

        if num2 is None:
            if g["between"]:  # "between" with no second amount: not a range
                amount_start = m.start("amount")
                start = m.start("qual") if g["qual"] else amount_start
            amount = num1 * (scale1 or 1) * glued_scale
            return [MoneyMention(start, m.end(), plain_number(amount), currency, qualifier, None, amount_start, currency_written, scaled)]

        high = num2 * (scale2 or 1) * glued_scale
        # "US$2-3 million": the scale written once covers both ends; "500,000 to 1 million
        # USD": it does not (a low end larger than the high end means it stands alone).
        low_scale = scale1 or (scale2 if num1 <= num2 else None) or 1
        low = num1 * low_scale * glued_scale
        if g["sep"].lower() == "to" and re.search(r"\bfrom\s+$", text[:start], re.I):
            # "rose from $2 million to $3 million": two amounts, not a range. A change may go
            # down ("cut from 5 to 3 million dollars"): a low end under 1000 shares the scale.
            low = num1 * (scale1 or (scale2 if num1 < 1000 else None) or 1) * glued_scale
            end1 = m.end("scale1") if g["scale1"] else m.end("num1")
            start2 = m.start("cur2") if g["cur2"] else m.start("num2")
            return [
                MoneyMention(start, end1, plain_number(low), currency, qualifier, None, amount_start),
                MoneyMention(start2, m.end(), plain_number(high), currency, "", None, start2, currency_written, scaled),
            ]
        return [MoneyMention(start, m.end(), plain_number(low), currency, qualifier, plain_number(high), amount_start, currency_written, scaled)]


@lru_cache(maxsize=None)
def load_grammar(path: Path = LEXICON_PATH) -> MoneyGrammar:
    with open(path, encoding="utf-8") as fh:
        return MoneyGrammar(yaml.safe_load(fh))


def find_money(text: str) -> list[MoneyMention]:
    """Every amount of money in text, in order."""
    return load_grammar().find(text)
