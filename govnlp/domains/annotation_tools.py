"""Label items in a free annotation tool: Label Studio and doccano, out and back in.

Export turns work items (from ``govnlp tag`` records) into tasks; import
turns the tool's export into labelled items for ``govnlp train``.

* **Label Studio**: tasks as a JSON list (or JSONL when the file name ends in
  ``.jsonl``) with ``data.text`` and the item's ``doc_id``/``item_id``/offsets,
  the model's labels as ``predictions`` (pre-annotations, shown but not taken
  as gold), and :func:`label_studio_config` gives the labelling interface
  (``Choices`` with ``choice="multiple"``). Import reads Label Studio's JSON
  or JSONL export: the ``choices`` of the latest non-cancelled annotation, in
  the order stored (the first one is taken as primary).
* **doccano** (text classification): JSONL lines ``{"text", "label", …}``;
  import also accepts ``labels`` or ``cats``.

>>> tasks = to_label_studio([{"id": "d.txt#i1", "text": "推进污水治理", "labels": ["ecology"]}])
>>> tasks[0]["data"]["text"], tasks[0]["predictions"][0]["result"][0]["value"]["choices"]
('推进污水治理', ['ecology'])
>>> done = dict(
...     tasks[0],
...     annotations=[
...         {"result": [{"type": "choices", "value": {"choices": ["ecology", "urban_land"]}}]}
...     ],
... )
>>> [(it.text, it.labels) for it in from_label_studio([done])]
[('推进污水治理', ['ecology', 'urban_land'])]
>>> [(it.text, it.labels) for it in from_doccano([{"text": "抓消防", "label": ["safety"]}])]
[('抓消防', ['safety'])]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union
from xml.sax.saxutils import quoteattr

from .labelled import LabelledItem, parse_labels

__all__ = [
    "from_doccano",
    "from_label_studio",
    "items_from_records",
    "label_studio_config",
    "read_annotation_export",
    "to_doccano",
    "to_label_studio",
]

FROM_NAME = "domains"
TO_NAME = "text"


def items_from_records(
    records: Iterable[Dict[str, Any]], *, leaves_only: bool = True
) -> Iterator[Dict[str, Any]]:
    """Work items of ``govnlp tag`` records as ``{"id", "doc_id", "item_id", "start", "end", "text",
    "labels", "cats"}``.

    The records must carry their text (``govnlp tag`` without ``--no-text``).
    """
    for rec in records:
        text = rec.get("text")
        if text is None:
            raise ValueError(
                f"record {rec.get('doc_id')!r} has no text: tag without --no-text to export items"
            )
        for it in rec.get("items", []):
            if leaves_only and not it.get("leaf"):
                continue
            yield {
                "id": f"{rec['doc_id']}#{it['id']}",
                "doc_id": rec["doc_id"],
                "item_id": it["id"],
                "start": it["start"],
                "end": it["end"],
                "text": text[it["start"] : it["end"]],
                "labels": list(it.get("labels") or []),
                "cats": dict(it.get("cats") or {}),
            }


def label_studio_config(labels: Sequence[str], names: Optional[Dict[str, str]] = None) -> str:
    """The Label Studio labelling interface: the text and one multiple-choice list of labels."""
    names = names or {}
    choices = "\n".join(
        f"    <Choice value={quoteattr(lab)}"
        + (f" hint={quoteattr(names[lab])}" if lab in names else "")
        + "/>"
        for lab in labels
    )
    return (
        "<View>\n"
        f'  <Text name="{TO_NAME}" value="$text"/>\n'
        f'  <Choices name="{FROM_NAME}" toName="{TO_NAME}" choice="multiple" showInLine="false">\n'
        f"{choices}\n"
        "  </Choices>\n"
        "</View>\n"
    )


def to_label_studio(
    items: Iterable[Dict[str, Any]], *, model_version: str = "govnlp"
) -> List[Dict[str, Any]]:
    """Label Studio tasks; the items' current labels become predictions (pre-annotations)."""
    tasks = []
    for it in items:
        data = {k: it[k] for k in ("text", "id", "doc_id", "item_id", "start", "end") if k in it}
        task: Dict[str, Any] = {"data": data}
        if it.get("labels"):
            cats = it.get("cats") or {}
            score = max((cats.get(lab, 0.0) for lab in it["labels"]), default=None)
            task["predictions"] = [
                {
                    "model_version": model_version,
                    "score": score,
                    "result": [
                        {
                            "from_name": FROM_NAME,
                            "to_name": TO_NAME,
                            "type": "choices",
                            "value": {"choices": list(it["labels"])},
                        }
                    ],
                }
            ]
        tasks.append(task)
    return tasks


def from_label_studio(
    tasks: Iterable[Dict[str, Any]], *, from_name: Optional[str] = None
) -> List[LabelledItem]:
    """Labelled items from Label Studio's export (tasks with ``annotations``); unlabelled tasks are
    skipped.
    """
    out = []
    for n, task in enumerate(tasks):
        data = task.get("data") or {}
        text = data.get("text")
        annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not text or not annotations:
            continue
        latest = max(
            annotations,
            key=lambda a: (a.get("updated_at") or a.get("created_at") or "", a.get("id") or 0),
        )
        labels: List[str] = []
        for result in latest.get("result") or []:
            if result.get("type") != "choices":
                continue
            if from_name and result.get("from_name") != from_name:
                continue
            labels.extend((result.get("value") or {}).get("choices") or [])
        labels = parse_labels(labels)
        if labels:
            ident = data.get("id", task.get("id", n))
            meta = {k: data[k] for k in ("doc_id", "item_id", "start", "end") if k in data}
            out.append(LabelledItem(text=str(text), labels=labels, id=str(ident), meta=meta))
    return out


def to_doccano(
    items: Iterable[Dict[str, Any]], *, with_predictions: bool = False
) -> List[Dict[str, Any]]:
    """doccano text-classification lines; ``label`` is pre-filled only ``with_predictions``."""
    out = []
    for it in items:
        line = {k: it[k] for k in ("text", "id", "doc_id", "item_id", "start", "end") if k in it}
        line["label"] = list(it.get("labels") or []) if with_predictions else []
        out.append(line)
    return out


def from_doccano(lines: Iterable[Dict[str, Any]]) -> List[LabelledItem]:
    """Labelled items from doccano's JSONL export (``label``, ``labels`` or ``cats``)."""
    out = []
    for n, line in enumerate(lines):
        text = line.get("text") or line.get("data")
        raw = line.get("label", line.get("labels"))
        if raw is None and isinstance(line.get("cats"), dict):
            raw = [k for k, v in line["cats"].items() if v]
        labels = parse_labels(raw)
        if text and labels:
            meta = {k: line[k] for k in ("doc_id", "item_id", "start", "end") if k in line}
            out.append(
                LabelledItem(text=str(text), labels=labels, id=str(line.get("id", n)), meta=meta)
            )
    return out


def read_annotation_export(path: Union[str, Path], fmt: str) -> List[LabelledItem]:
    """Read a Label Studio (JSON or JSONL) or doccano (JSONL) export file."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8-sig")
    stripped = raw.lstrip()
    if stripped.startswith("["):
        rows = json.loads(stripped)
    else:
        rows = []
        for n, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
    if fmt == "label-studio":
        return from_label_studio(rows)
    if fmt == "doccano":
        return from_doccano(rows)
    raise ValueError(f"unknown format {fmt!r}: use label-studio or doccano")
