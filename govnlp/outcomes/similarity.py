"""How alike two names are: the Dice overlap of their character bigrams.

>>> round(bigram_dice("旅游接待人数", "接待旅游人数"), 2)
0.6
"""

from __future__ import annotations

from typing import Set

__all__ = ["bigram_dice", "bigrams"]


def bigrams(text: str) -> Set[str]:
    """The character bigrams of a name (none for a single character).

    >>> sorted(bigrams("大棚区"))
    ['大棚', '棚区']
    """
    return {text[i : i + 2] for i in range(len(text) - 1)}


def bigram_dice(a: str, b: str) -> float:
    """Dice overlap of the character bigrams of two names (1.0 for identical names).

    >>> round(bigram_dice("旅游接待人数", "接待旅游人数"), 2)
    0.6
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    grams_a = bigrams(a) or {a}
    grams_b = bigrams(b) or {b}
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))
