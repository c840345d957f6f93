"""govnlp.targets._words: one search for any of a list of cue words."""

import random

from govnlp.targets._words import contains_any
from govnlp.targets.extract import _c


def test_contains_any_answers_as_a_substring_test_per_word():
    c = _c()
    lists = [c.target, c.outcome, c.forecast, c.outcome_particles, *c.measure.values()]
    alphabet = sorted({ch for words in lists for w in words for ch in w}) + ["，", "6", "%"]
    rng = random.Random(4)
    for _ in range(3000):
        words = rng.choice(lists)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 16)))
        if rng.random() < 0.3 and words:
            w = rng.choice(words)
            k = rng.randrange(len(text) + 1)
            text = text[:k] + w + text[k:]
        assert contains_any(text, words) == any(w in text for w in words), (text, words)


def test_contains_any_with_special_characters_and_empty_words():
    assert contains_any("增长(GDP)", ["(GDP)"]) and not contains_any("增长GDP", ["(GDP)"])
    assert contains_any("a.b", ["."]) and not contains_any("ab", ["."])
    assert contains_any("", [""]) and not contains_any("", ["x"]) and not contains_any("x", [])
