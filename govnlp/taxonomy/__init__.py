"""The policy-domain taxonomy: label ids, Chinese names, definitions, crosswalks.

The default taxonomy (``data/default.json``, from the spec's ``taxonomy.md``)
has 18 labels. Each label carries its CAP (Comparative Agendas Project) major
topics and its 一级 class of the official 主题分类, so results re-aggregate.

>>> tax = load_taxonomy()
>>> len(tax), tax["safety"].name_zh
(18, '安全生产与应急防灾')
>>> tax.crosswalk({"safety": 1.0, "ecology": 0.5}, to="cap")
{'Domestic Commerce': 1.0, 'Environment': 0.5, 'Labor': 1.0, 'Public Lands': 1.5}
>>> Taxonomy.from_ids(["a", "b"]).ids
['a', 'b']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

__all__ = ["DomainLabel", "Taxonomy", "load_taxonomy"]


@dataclass(frozen=True)
class DomainLabel:
    """One label of a taxonomy."""

    id: str
    name_zh: str = ""
    name_en: str = ""
    definition: str = ""
    cues: Sequence[str] = ()
    cap_major_topics: Sequence[Mapping[str, Any]] = ()
    zhuti_fenlei: Sequence[Mapping[str, Any]] = ()

    @property
    def cap_names(self) -> List[str]:
        """CAP major-topic names, e.g. ``['Environment', 'Public Lands']``."""
        return [t["name"] for t in self.cap_major_topics]

    @property
    def zhuti_top(self) -> List[str]:
        """主题分类 一级 classes, e.g. ``['城乡建设、环境保护']``."""
        return [z["top"] for z in self.zhuti_fenlei]


@dataclass
class Taxonomy:
    """An ordered set of domain labels (the default one, or a user's own)."""

    labels: List[DomainLabel]
    name: str = "custom"
    version: str = "1"
    rules: List[str] = field(default_factory=list)
    boundary_rules: List[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id = {lab.id: lab for lab in self.labels}
        if len(self._by_id) != len(self.labels):
            raise ValueError("duplicate label ids in taxonomy")

    @classmethod
    def from_ids(cls, ids: Iterable[str], name: str = "custom") -> "Taxonomy":
        """A bare taxonomy from label ids (a user's own label set)."""
        return cls([DomainLabel(id=str(i)) for i in ids], name=name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Taxonomy":
        labels = [
            DomainLabel(
                id=lab["id"],
                name_zh=lab.get("name_zh", ""),
                name_en=lab.get("name_en", ""),
                definition=lab.get("definition", ""),
                cues=tuple(lab.get("cues", ())),
                cap_major_topics=tuple(lab.get("cap_major_topics", ())),
                zhuti_fenlei=tuple(lab.get("zhuti_fenlei", ())),
            )
            for lab in data["labels"]
        ]
        return cls(
            labels,
            name=data.get("name", "custom"),
            version=str(data.get("version", "1")),
            rules=list(data.get("rules", [])),
            boundary_rules=list(data.get("boundary_rules", [])),
        )

    def to_dict(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "rules": self.rules,
            "boundary_rules": self.boundary_rules,
            "labels": [
                {
                    "id": lab.id,
                    "name_zh": lab.name_zh,
                    "name_en": lab.name_en,
                    "definition": lab.definition,
                    "cues": list(lab.cues),
                    "cap_major_topics": [dict(t) for t in lab.cap_major_topics],
                    "zhuti_fenlei": [dict(z) for z in lab.zhuti_fenlei],
                }
                for lab in self.labels
            ],
        }

    @property
    def ids(self) -> List[str]:
        return [lab.id for lab in self.labels]

    def __len__(self) -> int:
        return len(self.labels)

    def __iter__(self) -> Iterator[DomainLabel]:
        return iter(self.labels)

    def __contains__(self, label_id: object) -> bool:
        return label_id in self._by_id

    def __getitem__(self, label_id: str) -> DomainLabel:
        return self._by_id[label_id]

    def crosswalk(
        self, labels: Union[Sequence[str], Mapping[str, float]], to: str = "cap"
    ) -> Dict[str, float]:
        """Re-aggregate labels (a list) or label weights (a dict) to CAP or 主题分类 classes.

        ``to="cap"`` gives CAP major-topic names, ``to="zhuti"`` the 主题分类 一级
        classes. A label mapped to several classes counts fully for each; weights
        of labels mapped to the same class are summed.
        """
        weights = dict(labels) if isinstance(labels, Mapping) else {lab: 1.0 for lab in labels}
        out: Dict[str, float] = {}
        for lab_id, w in weights.items():
            if lab_id not in self._by_id:
                continue
            lab = self._by_id[lab_id]
            targets = lab.cap_names if to == "cap" else lab.zhuti_top if to == "zhuti" else None
            if targets is None:
                raise ValueError(f"unknown crosswalk {to!r}: use 'cap' or 'zhuti'")
            for t in targets:
                out[t] = out.get(t, 0.0) + float(w)
        return dict(sorted(out.items()))


def load_taxonomy(path: Optional[Union[str, Path]] = None) -> Taxonomy:
    """The default taxonomy, or one read from a JSON file of the same format."""
    if path is None:
        text = (
            resources.files("govnlp.taxonomy")
            .joinpath("data/default.json")
            .read_text(encoding="utf-8")
        )
    else:
        text = Path(path).read_text(encoding="utf-8")
    return Taxonomy.from_dict(json.loads(text))
