"""Choose the unit linker's fuzzy threshold on data: the gazetteer's own alias forms.

Every county alias of 5+ characters (县人力资源社会保障局, 县政务服务管理办…: forms the seeds and
county pages actually write) is held out in turn: the fuzzy fallback links it by character overlap
to the standard names, and we count how often the link is its own body (right), another body
(wrong) or nothing (NIL), per threshold. The shipped threshold (``name_grammar.json``) is the one
with the lowest wrong-link rate: 0.85 (measured: 46 right, 3 wrong, 123 left NIL).

    python benchmarks/fuzzy_threshold.py
"""

from __future__ import annotations

from govnlp.units import Gazetteer
from govnlp.units.linker import _standard_names
from govnlp.units.names import fuzzy_match, grammar


def main() -> None:
    view = Gazetteer.default(divisions=None).view({"name": "某某县", "adcode": None})
    names = _standard_names(view)
    cases = [
        (surface, link["canonical"])
        for surface, link in view.table.items()
        if surface.startswith("县")
        and len(surface) >= 5
        and surface != link["canonical"]
        and link.get("level") == "county"
        and link.get("type") not in ("collective", "township")
    ]
    print(f"{len(cases)} held-out aliases; shipped threshold {grammar()['fuzzy_threshold']}")
    print("threshold  right  wrong  nil   wrong-rate")
    for th in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        right = wrong = nil = 0
        for surface, canonical in cases:
            hit = fuzzy_match(surface, {n: link for n, link in names.items() if n != surface}, th)
            if hit is None:
                nil += 1
            elif hit[0]["canonical"] == canonical:
                right += 1
            else:
                wrong += 1
        linked = right + wrong
        print(
            f"{th:9.2f}  {right:5d}  {wrong:5d}  {nil:4d}   {wrong / linked if linked else 0:.3f}"
        )


if __name__ == "__main__":
    main()
