"""All regular expressions of :mod:`govnlp.numbers`, built from the JSON rule tables.

Every pattern here is linear-time: character classes, bounded repetitions and
alternations of literals; no nested unbounded quantifiers over overlapping
alternatives.  Patterns are applied to *normalised* text (see :func:`normalize`),
which has exactly the same length as the input, so offsets carry over.
"""

from __future__ import annotations

import re

from ._data import CHARS, LEXICON, UNITS

#: longest numeral the scanner will read (characters); longer runs are not numerals
MAX_NUMERAL_LEN = 64
#: longest run of Arabic digits taken as a number
MAX_DIGITS = 24

_NORM = {ord(k): v for k, v in CHARS["normalize"].items() if len(k) == 1 and len(v) == 1}
#: the characters :data:`_NORM` maps, found by one regex pass (most texts have a few, or none)
_NORM_RE = re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(_NORM)) + "]")


#: (the comma first, then the digit before it: a pattern that starts with a character lets the
#: regex engine skip to the next place that character is, where a look-behind is tried at every
#: offset)
_FW_COMMA_RE = re.compile(r"，(?<=[０-９]，)(?=[０-９])")
#: a middle dot written as the decimal point of a percentage or a scaled figure (19·5％, 4·3倍);
#: between digits elsewhere it names an event (“12·21”特大事故) and stays
_MIDDOT_DECIMAL_RE = re.compile(r"(?<=[0-9０-９])[·・](?=[0-9０-９]{1,4}(?:[%％倍万亿]|个百分点))")


def _normalized_char(m: "re.Match[str]") -> str:
    return _NORM[ord(m.group())]


def normalize(text: str) -> str:
    """Map full-width and traditional numeral characters to their simple forms, 1 char -> 1 char.

    The full-width comma is a clause separator in Chinese; it becomes a thousands
    separator only between full-width digits (４，５６５). A middle dot between digits is a
    decimal point before ％, 倍, 万, 亿 or 个百分点 (19·5％). The same string as
    ``text.translate(_NORM)`` after those two, replacing only the characters found.

    >>> normalize("增长５．５％，共４，５６５萬元")
    '增长5.5%，共4,565万元'
    >>> normalize("增长14·1％，“12·21”事故")
    '增长14.1%，“12·21”事故'
    """
    if "·" in text or "・" in text:
        text = _MIDDOT_DECIMAL_RE.sub(".", text)
    return _NORM_RE.sub(_normalized_char, _FW_COMMA_RE.sub(",", text))


def _cls(chars: str) -> str:
    return "".join(re.escape(c) for c in sorted(set(chars)))


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


DIGIT_CHARS = "".join(CHARS["digits"])
SMALL_UNIT_CHARS = "".join(CHARS["small_units"])
BIG_UNIT_CHARS = "".join(CHARS["big_units"])
TENS_CHARS = "".join(CHARS["tens_shortcuts"])
CN_NUMERAL_CHARS = DIGIT_CHARS + SMALL_UNIT_CHARS + BIG_UNIT_CHARS + TENS_CHARS

#: where a numeral may start
START_RE = re.compile(
    "[0-9.\\-"
    + _cls(CHARS["negative"] + DIGIT_CHARS + SMALL_UNIT_CHARS + TENS_CHARS + "万几数半")
    + "]"
)
#: Arabic number: thousands groups, decimals; then optional exponent, power, k/w suffix
ARABIC_RE = re.compile(
    r"(?P<num>(?:[0-9]{1,3}(?:(?:,|，(?=[0-9]{3}[.,，][0-9]))[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)"
    r"(?:(?P<exp>[eE][-+]?[0-9]{1,3})(?![0-9A-Za-z]))?"
    r"(?:\^(?P<pow>[-+]{0,3}[0-9]{1,3}))?"
    r"(?: ?(?P<k>[kKw])(?![A-Za-z]))?"
)
DIGIT_RUN_RE = re.compile(r"[0-9,.]+")
NUMERAL_RUN_RE = re.compile("[0-9,." + _cls(CN_NUMERAL_CHARS + "点") + "]+")
#: "百分之" / "千分之" / "万分之" ... written percentages
PCT_PREFIX_RE = re.compile(r"(?P<base>百万万|百万|千万|万万|百|佰|千|仟|万) {0,3}分 {0,3}之 {0,3}")
#: "分之" after a denominator
FRACTION_RE = re.compile(r" {0,3}分 {0,3}之 {0,3}")
SLASH_FRACTION_RE = re.compile(
    r"(?:(?P<whole>[0-9]{1,6}) )?(?P<num>[0-9]{1,6})/(?P<den>[0-9]{1,6})(?![0-9/])"
)
#: masked digits: ****, x.x, xx.x, **
#: (the first masked character, then what precedes it, as for the full-width comma)
MASK_RE = re.compile(r"[*xX×](?<![A-Za-z*].)[*xX×]{0,7}(?:\.[*xX×]{1,4})?(?![A-Za-z])")

UNIT_TABLE = UNITS["units"]
CLASSIFIERS = UNITS["count_classifiers"]
UNIT_RE = re.compile(_alt(list(UNIT_TABLE) + CLASSIFIERS))
NOT_UNIT_RE = re.compile(_alt(UNITS["not_units_after_number"]))
PREFIX_CURRENCY_RE = re.compile("(?:" + _alt(UNITS["prefix_currency"]) + ") {0,2}$")
CURRENCY_OVERRIDE_RE = re.compile(_alt(UNITS["currency_suffix_override"]))
MINOR_CURRENCY_RE = re.compile(
    r"(?:又)?(?P<num>[0-9]{1,2}|[" + _cls(DIGIT_CHARS) + r"])(?P<unit>美分|角|毛|分)"
)
SHARE_RE = re.compile(
    r" {0,3}(?P<w>成|折)(?:(?P<half>半)| {0,2}(?P<tail>[一二三四五六七八九])(?![个家项成折]))?"
)
BOUND_SUFFIX_RE = re.compile(_alt(LEXICON["bound_suffix"]))
BOUND_PREFIX_RE = re.compile("(?:" + _alt(LEXICON["bound_prefix"]) + ")$")
COMMIT_PREFIX_RE = re.compile("(?:" + _alt(LEXICON["commitment_prefix"]) + ")$")
RANGE_CONNECTOR_RE = re.compile(r" {0,2}(?:" + _alt(LEXICON["range_connectors"]) + r") {0,2}")
INCLUSIVE_RE = re.compile(r"\((?:含)\)")
