#!/usr/bin/env python3
"""Import blind gold (items + unit mentions, spec v2) written by annotators into the repository,
by reference: document path, offsets, markers, kinds, unit roles and canonical names. No document
text is copied (corpus documents are read from ../shared at evaluation time); a SHA-1 of each
document's text guards against a changed copy.

    python scripts/import_blind_gold.py STAGING_DIR/plan.json STAGING_DIR/out \\
        corpora/annotations/blind/gold.jsonl
"""

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from govnlp.references import resolve_reference  # noqa: E402


def main(plan_path: str, out_dir: str, target: str) -> None:
    plan = {d["key"]: d for d in json.loads(Path(plan_path).read_text(encoding="utf-8"))}
    rows = []
    for key, d in sorted(plan.items()):
        f = Path(out_dir) / f"{key}.json"
        if not f.exists():
            print(f"missing: {key}", file=sys.stderr)
            continue
        g = json.loads(f.read_text(encoding="utf-8"))
        ref = d["path"]
        if ref.startswith("shared:seeds/"):  # the seeds are in the repository
            ref = "corpora/samples/" + ref.split("/", 1)[1]
        text = resolve_reference(ref).read_text(encoding="utf-8")
        ids = {it["id"] for it in g["items"]}
        parents = {it.get("parent") for it in g["items"]}
        items = []
        for it in g["items"]:
            units = [
                {
                    "start": u["start"],
                    "end": u["end"],
                    "role": u["role"],
                    "canonical": u["canonical"],
                    "nil": bool(u["nil"]),
                    "scope": u["scope"],
                }
                for u in it.get("units", [])
            ]
            items.append(
                {
                    "id": it["id"],
                    "parent": it.get("parent") if it.get("parent") in ids else None,
                    "start": it["start"],
                    "end": it["end"],
                    "marker": it.get("marker", ""),
                    "kind": it.get("kind"),
                    "leaf": it["id"] not in parents,
                    "units": units,
                }
            )
        subset = (
            "seeds"
            if key.startswith("seed_")
            else "counties"
            if key.startswith("cty_")
            else "corpus"
        )
        rows.append(
            {
                "key": key,
                "doc": ref,
                "split": d["split"],
                "set": subset,
                "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
                "items": items,
            }
        )
    with open(target, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} documents to {target}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
