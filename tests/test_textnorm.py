"""Text normalisation: the simplified shadow is the translation table applied to every
character."""

import random

from govnlp.textnorm import _table, to_simplified


def test_to_simplified_is_the_table_applied_to_every_character():
    table = _table()
    traditional = sorted(chr(k) for k in table)
    rng = random.Random(5)
    plain = "县政府工作报告，发展和改革局(qū)\n\t 2023年 abc]^-\\"
    texts = ["", "區", "區長主持召開常務會議"] + [
        "".join(
            rng.choice(traditional) if rng.random() < 0.3 else rng.choice(plain) for _ in range(n)
        )
        for n in range(0, 400, 7)
    ]
    for text in texts:
        assert to_simplified(text) == text.translate(table)
        assert len(to_simplified(text)) == len(text)
    assert to_simplified("區長") == "区长"
