#!/usr/bin/env python
"""Leave-one-source-out figures of domain-model recipes, and the paired difference to today's.

    .venv/bin/python benchmarks/domains_loso.py [--recipes today,new,...]
        [--json out/domains_loso.json] [--base NAME] [--cache DIR]

(``NAME@sK``: recipe NAME with seed K — another split and other calibration folds.)

Each county-level source (the seeds, the 41 county pages of ../shared/corpus/counties, the
海拉尔 work reports) is held out in turn; a recipe is trained on every other source (thresholds
and the secondary rule chosen on a validation part of them) and tested on it. The pooled
figures concatenate the three held-out sets (95 % bootstrap intervals); each recipe is compared
with ``today`` (the bundled model's recipe on the annotations it was trained on) on the same
items by a paired bootstrap. Needs ../shared (the corpus items are stored by reference).
``--cache DIR`` keeps each recipe's held-out predictions (``DIR/NAME.npz`` + ``.json``) and reuses
them while the recipe and the annotation files are unchanged — delete DIR after changing the code.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govnlp.domains.generalisation import leave_one_source_out, paired_difference  # noqa: E402
from govnlp.domains.labelled import default_annotation_files, load_reference_annotations  # noqa: E402

#: Files added after the bundled model of 2026-12-02 was trained (county-level items).
NEW_FILES = ("labels_batch_10_county.jsonl",)
BASE = {"backend": "sklearn", "seed": 0, "threshold_prior": 20.0, "settings": {"C": 1.0}}
RECIPES = {
    # the bundled model before and after 2026-12-03 (training/train_default.sh: --refit)
    "bundled-before": dict(BASE, data="old", refit=True),
    "bundled-now": dict(BASE, data="all", refit=True, secondary_rule=True),
    "today": dict(BASE, data="old"),
    "data": dict(BASE, data="all"),
    "data+words": dict(BASE, data="all", settings={"C": 1.0, "word_ngram_range": [1, 2]}),
    "data+rule": dict(BASE, data="all", secondary_rule=True),
    "data+weight": dict(BASE, data="all", level_weights={"national": 0.5}),
    "data+words+rule": dict(
        BASE, data="all", settings={"C": 1.0, "word_ngram_range": [1, 2]}, secondary_rule=True
    ),
    "data+words+rule+weight": dict(
        BASE,
        data="all",
        settings={"C": 1.0, "word_ngram_range": [1, 2]},
        secondary_rule=True,
        level_weights={"national": 0.5},
    ),
    "data+words+rule+weight03": dict(
        BASE,
        data="all",
        settings={"C": 1.0, "word_ngram_range": [1, 2]},
        secondary_rule=True,
        level_weights={"national": 0.3, "provincial": 0.6},
    ),
    "data+rule+valcounty": dict(
        BASE, data="all", secondary_rule=True, validation_levels=["county"], validation=0.3
    ),
    "data+rule+valcounty+weight05": dict(
        BASE,
        data="all",
        secondary_rule=True,
        validation_levels=["county"],
        validation=0.3,
        level_weights={"national": 0.5},
    ),
    "bundled-now+county2": dict(
        BASE, data="all", refit=True, secondary_rule=True, level_weights={"county": 2.0}
    ),
    "bundled-now+county4": dict(
        BASE, data="all", refit=True, secondary_rule=True, level_weights={"county": 4.0}
    ),
    "bundled-now+ngram14": dict(
        BASE,
        data="all",
        refit=True,
        secondary_rule=True,
        settings={"C": 1.0, "ngram_range": [1, 4]},
    ),
    "data+rule+valcounty+C05": dict(
        BASE,
        data="all",
        settings={"C": 0.5},
        secondary_rule=True,
        validation_levels=["county"],
        validation=0.3,
    ),
}
#: Context n-grams (the titles of the headings an item sits under), on the bundled recipe.
for _w in (0.1, 0.2, 0.3, 0.5, 0.7, 1.0):
    RECIPES[f"bundled-now+ctx{int(_w * 10):02d}"] = dict(
        BASE, data="all", refit=True, secondary_rule=True, settings={"C": 1.0, "context_weight": _w}
    )
RECIPES["bundled-now+ctx05near"] = dict(
    BASE,
    data="all",
    refit=True,
    secondary_rule=True,
    settings={"C": 1.0, "context_weight": 0.5, "context_levels": 1},
)
RECIPES["bundled-now+ctx03near"] = dict(
    BASE,
    data="all",
    refit=True,
    secondary_rule=True,
    settings={"C": 1.0, "context_weight": 0.3, "context_levels": 1},
)
#: The taxonomy's cues counted per label (a source-independent block), with and without context.
RECIPES["bundled-now+lex05"] = dict(
    BASE, data="all", refit=True, secondary_rule=True, settings={"C": 1.0, "lexicon_weight": 0.5}
)
RECIPES["bundled-now+ctx05+lex05"] = dict(
    BASE,
    data="all",
    refit=True,
    secondary_rule=True,
    settings={"C": 1.0, "context_weight": 0.5, "lexicon_weight": 0.5},
)

#: Model form on the bundled recipe: the SVMs' C, logistic regression, the thresholds' prior.
for _c in (0.5, 2.0):
    RECIPES[f"bundled-now+C{_c:g}"] = dict(
        BASE, data="all", refit=True, secondary_rule=True, settings={"C": _c}
    )
RECIPES["bundled-now+logreg"] = dict(
    BASE,
    data="all",
    refit=True,
    secondary_rule=True,
    settings={"C": 10.0, "linear": "logreg"},
)
for _k in (5.0, 60.0):
    RECIPES[f"bundled-now+prior{_k:g}"] = dict(
        BASE, data="all", refit=True, secondary_rule=True, threshold_prior=_k
    )

RECIPES["bundled-now+C2+ctx03"] = dict(
    BASE, data="all", refit=True, secondary_rule=True, settings={"C": 2.0, "context_weight": 0.3}
)
#: The item's title (its text up to the first 。；：！？, at most 40 characters) as its own block.
for _w in (0.3, 0.5, 0.7, 1.0):
    RECIPES[f"bundled-now+C2+ctx03+title{int(_w * 10):02d}"] = dict(
        BASE,
        data="all",
        refit=True,
        secondary_rule=True,
        settings={"C": 2.0, "context_weight": 0.3, "title_weight": _w},
    )
#: NB-SVM averaging (Wang & Manning 2012) on the bundled recipe: per label a second SVM on the
#: features scaled by the label's log-count ratio (smoothing alpha), probabilities averaged with
#: weight nb_weight; "+nbXX" nb_weight 0.XX, "aYY" alpha (×10), "cZZ" the NB part's own C (×10),
#: "bin" the NB part on the features' presence (nb_binary).
_TITLE05 = {"C": 2.0, "context_weight": 0.3, "title_weight": 0.5}
for _w, _a, _nc, _bin in (
    (0.4, 1.0, None, False),
    (0.3, 1.0, None, False),
    (0.5, 1.0, None, False),
    (0.4, 0.5, None, False),
    (0.4, 0.1, None, False),
    (0.4, 1.0, 1.0, False),
    (0.4, 1.0, None, True),
    (0.5, 1.0, None, True),
):
    _name = f"bundled-now+C2+ctx03+title05+nb{int(round(_w * 10)):02d}"
    _name += "" if _a == 1.0 else f"a{int(round(_a * 10)):02d}"
    _name += "" if _nc is None else f"c{int(round(_nc * 10)):02d}"
    _name += "bin" if _bin else ""
    _nb = dict(nb_weight=_w, nb_alpha=_a)
    _nb.update({"nb_C": _nc} if _nc else {})
    _nb.update({"nb_binary": True} if _bin else {})
    RECIPES[_name] = dict(
        BASE, data="all", refit=True, secondary_rule=True, settings=dict(_TITLE05, **_nb)
    )
#: A multinomial-NB part instead (the tf-idf mass log-ratio per label, Platt-calibrated): "mnbXX"
#: its weight 0.XX, "aYY" alpha (×100: tf-idf masses are small).
for _w, _a in ((0.3, 0.1), (0.3, 0.01), (0.5, 0.1)):
    RECIPES[
        f"bundled-now+C2+ctx03+title05+mnb{int(round(_w * 10)):02d}a{int(round(_a * 100)):02d}"
    ] = dict(
        BASE,
        data="all",
        refit=True,
        secondary_rule=True,
        settings=dict(_TITLE05, nb_weight=_w, nb_alpha=_a, nb_kind="mnb"),
    )
#: A larger C on the bundled recipe (C = 2 helped over 1; 0.5 hurt).
for _c_value in (3.0, 4.0):
    RECIPES[f"bundled-now+C{int(_c_value)}+ctx03+title05"] = dict(
        BASE, data="all", refit=True, secondary_rule=True, settings=dict(_TITLE05, C=_c_value)
    )
#: Meeting-minute and breakdown boilerplate taken out of the item text before its features.
_BOILERPLATE = (
    r"会议(?:指出|要求|强调|认为|提出|明确|审议|听取|研究|讨论|决定|原则同意|同意|通过)|"
    r"(?:责任|牵头|配合)单位[:：][^\n]*"
)
RECIPES["bundled-now+C2+ctx03+title05+strip"] = dict(
    BASE,
    data="all",
    refit=True,
    secondary_rule=True,
    settings=dict(_TITLE05, strip_pattern=_BOILERPLATE),
)
#: Domain adaptation by feature augmentation (Daumé III 2007): in fitting [x, W·x·county,
#: W·x·national/provincial], at prediction every item county-level; "+daXX" domain_weight 0.XX ×10.
for _w in (0.5, 1.0):
    RECIPES[f"bundled-now+C2+ctx03+title05+da{int(round(_w * 10)):02d}"] = dict(
        BASE,
        data="all",
        refit=True,
        secondary_rule=True,
        settings=dict(_TITLE05, domain_weight=_w),
    )
#: ... predicting with the shared block alone ([x, 0, 0]: the held-out county in neither domain).
RECIPES["bundled-now+C2+ctx03+title05+da10shared"] = dict(
    BASE,
    data="all",
    refit=True,
    secondary_rule=True,
    settings=dict(_TITLE05, domain_weight=1.0, domain_predict="shared"),
)
#: Only n-grams that occur in at least k sources (of the 7: names and a collection's phrasing out).
for _k in (2, 3):
    RECIPES[f"bundled-now+src{_k}"] = dict(
        BASE, data="all", refit=True, secondary_rule=True, settings={"C": 1.0, "min_sources": _k}
    )


def _fingerprint(recipe: dict, files: list) -> str:
    import hashlib

    h = hashlib.sha256(json.dumps(recipe, sort_keys=True).encode())
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _cached(cache: Path, name: str, key: str):
    meta, arrays = cache / f"{name}.json", cache / f"{name}.npz"
    if not (meta.is_file() and arrays.is_file()):
        return None
    result = json.loads(meta.read_text(encoding="utf-8"))
    if result.pop("_key", None) != key:
        return None
    import numpy as np

    with np.load(arrays, allow_pickle=False) as w:
        pooled = {k: w[k] for k in ("y", "decided", "probs")}
    pooled["primary"] = result.pop("_primary")
    pooled["ids"] = result.pop("_ids")
    result["_folds"] = result.pop("_folds", None)
    result["_pooled"] = pooled
    return result


def _store(cache: Path, name: str, key: str, result: dict) -> None:
    import numpy as np

    cache.mkdir(parents=True, exist_ok=True)
    pooled = result["_pooled"]
    np.savez_compressed(
        cache / f"{name}.npz", y=pooled["y"], decided=pooled["decided"], probs=pooled["probs"]
    )
    plain = {k: v for k, v in result.items() if not k.startswith("_")}
    plain.update(
        _key=key, _primary=pooled["primary"], _ids=pooled["ids"], _folds=result.get("_folds")
    )
    (cache / f"{name}.json").write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--recipes", default="today,data,data+words,data+rule,data+words+rule+weight"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cache", type=Path, help="reuse held-out predictions kept here")
    parser.add_argument(
        "--base",
        help="the recipe the others are compared with (default: bundled-before if run, else today)",
    )
    args = parser.parse_args()
    files = default_annotation_files()
    if not any(f.name in NEW_FILES for f in files):
        print("domains_loso: the county annotations are missing", file=sys.stderr)
        return 1
    every = load_reference_annotations(files)
    old = load_reference_annotations([f for f in files if f.name not in NEW_FILES])
    if len(old) < 1000:
        print(
            "domains_loso: ../shared is absent (corpus items are stored by reference)",
            file=sys.stderr,
        )
        return 0
    results = {}
    summary = {}
    for name in args.recipes.split(","):
        base_name, _, seed = name.partition("@s")  # NAME@sK: the recipe with seed K
        RECIPES.setdefault(name, dict(RECIPES[base_name], seed=int(seed or 0)))
        recipe = dict(RECIPES[name])
        data = recipe.pop("data")
        t0 = time.perf_counter()
        key = _fingerprint(RECIPES[name], files)
        result = _cached(args.cache, name, key) if args.cache else None
        if result is None:
            result = leave_one_source_out(
                every, train_items=old if data == "old" else every, **recipe
            )
            if args.cache:
                _store(args.cache, name, key, result)
        results[name] = result
        pooled = result["pooled"]
        summary[name] = {
            "recipe": RECIPES[name],
            "sources": result["sources"],
            "pooled": pooled,
            "seconds": round(time.perf_counter() - t0, 1),
        }
        line = " ".join(
            f"{k} {pooled[k]:.3f} [{pooled['interval_95'][k][0]:.3f}, "
            f"{pooled['interval_95'][k][1]:.3f}]"
            for k in ("micro_f1", "macro_f1", "primary_accuracy")
        )
        print(f"{name:<28} n={pooled['n_items']} {line} ({summary[name]['seconds']} s)")
        for source, fig in result["sources"].items():
            print(
                f"    {source:<18} n={fig['n_items']:<4} micro {fig['micro_f1']:.3f} macro "
                f"{fig['macro_f1']:.3f} primary {fig['primary_accuracy']:.3f}"
            )
        base = args.base or ("bundled-before" if "bundled-before" in results else "today")
        if name != base and base in results:
            diff = paired_difference(result, results[base])
            summary[name][f"vs_{base}"] = diff
            print(
                f"    vs {base}: "
                + " ".join(
                    f"{k} {v['difference']:+.3f} [{v['interval_95'][0]:+.3f}, "
                    f"{v['interval_95'][1]:+.3f}]"
                    for k, v in diff.items()
                )
            )
        sys.stdout.flush()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
