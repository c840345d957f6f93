"""Strings that are not valid Unicode — file names with non-UTF-8 bytes, lone surrogates
in JSON — made writable, with the original kept.

Python hands over a file name that is not UTF-8 (a GBK name from a Windows zip) with each
bad byte as a surrogate U+DC80–U+DCFF (``surrogateescape``); JSON may hold a lone
surrogate (``"\\ud800"``). Neither can be written as UTF-8. :func:`repair` returns a valid
string and a note saying what the original was:

- escaped bytes only: the original bytes decoded as GB18030 when they are valid GB18030
  (``decoded_as: "gb18030"``), else each bad byte written ``\\xNN`` (``decoded_as:
  "escaped"``); ``bytes`` is the original in hex;
- any other lone surrogate: replaced by U+FFFD (same length: offsets hold); ``original``
  is the string with its surrogates as ``\\uXXXX`` escapes (JSON, ASCII).

>>> import os
>>> name = os.fsdecode(b"\\xd6\\xd0\\xce\\xc4.txt")
>>> repair(name)
('中文.txt', {'bytes': 'd6d0cec42e747874', 'decoded_as': 'gb18030'})
>>> repair("a\\ud800b")
('a\\ufffdb', {'original': '"a\\\\ud800b"'})
>>> repair("县政府")
('县政府', None)
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Tuple

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_ESCAPED_RE = re.compile("[\udc80-\udcff]")

#: Key of the list of notes in a record's ``meta`` (or at the top of an errors-file line).
NOTES_KEY = "invalid_unicode"


def has_surrogates(s: str) -> bool:
    """``s`` holds a lone surrogate (it cannot be encoded as UTF-8).

    >>> has_surrogates("a\\udcd6"), has_surrogates("a😀")
    (True, False)
    """
    return _SURROGATE_RE.search(s) is not None


#: Offsets noted at most per repaired text.
MAX_NOTED_OFFSETS = 100


def repair(s: str, *, keep_length: bool = False) -> Tuple[str, Optional[Dict[str, Any]]]:
    """``(valid string, note)``; the note is None when ``s`` was valid already.

    ``keep_length`` (a document's text, which offsets refer to): every lone surrogate
    becomes U+FFFD, and the note lists their ``offsets`` and the ``surrogates`` themselves.

    >>> repair("一\\udcd6二", keep_length=True)
    ('一\ufffd二', {'offsets': [1], 'surrogates': '"\\\\udcd6"'})
    """
    if not has_surrogates(s):
        return s, None
    if keep_length:
        found = list(_SURROGATE_RE.finditer(s))
        return _SURROGATE_RE.sub("\ufffd", s), {
            "offsets": [m.start() for m in found[:MAX_NOTED_OFFSETS]],
            "surrogates": json.dumps("".join(m.group() for m in found[:MAX_NOTED_OFFSETS])),
        }
    if len(_ESCAPED_RE.findall(s)) == len(_SURROGATE_RE.findall(s)):
        raw = s.encode("utf-8", "surrogateescape")
        try:
            return raw.decode("gb18030"), {"bytes": raw.hex(), "decoded_as": "gb18030"}
        except UnicodeDecodeError:
            return raw.decode("utf-8", "backslashreplace"), {
                "bytes": raw.hex(),
                "decoded_as": "escaped",
            }
    return _SURROGATE_RE.sub("\ufffd", s), {"original": json.dumps(s)}


def repair_tree(
    value: Any, where: str = "", notes: Optional[List[Dict[str, Any]]] = None
) -> Tuple[Any, List[Dict[str, Any]]]:
    """A JSON-like value with every string (keys included) repaired, and the notes, each
    with ``field``: the path to the string (``meta.title``, ``items.3.heading``…).

    >>> repair_tree({"id": "x\\udcd6", "n": [1, "ok"]})[1]
    [{'bytes': '78d6', 'decoded_as': 'escaped', 'field': 'id'}]
    """
    notes = [] if notes is None else notes
    stack: List[Tuple[Any, str, Any, Any]] = []  # (container, key, value, path)
    root: List[Any] = [value]
    stack.append((root, 0, value, where))
    while stack:
        parent, key, val, path = stack.pop()
        if isinstance(val, str):
            fixed, note = repair(
                val, keep_length=len(val) > 200 or path == "text" or path.endswith(".text")
            )
            if note is not None:
                notes.append({**note, "field": path or "."})
                parent[key] = fixed
        elif isinstance(val, dict):
            new: Dict[Any, Any] = {}
            for k, v in val.items():
                if isinstance(k, str) and has_surrogates(k):
                    fixed_k, note = repair(k)
                    notes.append({**(note or {}), "field": _join(path, fixed_k), "key": True})
                    k = fixed_k
                new[k] = v
            parent[key] = new
            for k in reversed(list(new)):
                stack.append((new, k, new[k], _join(path, str(k))))
        elif isinstance(val, (list, tuple)):
            lst = list(val)
            parent[key] = lst
            for i in range(len(lst) - 1, -1, -1):
                stack.append((lst, i, lst[i], _join(path, str(i))))
    return root[0], notes


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def dumps_line(record: Dict[str, Any]) -> bytes:
    """One JSON line (UTF-8 bytes, ``ensure_ascii=False``) for ``record``; strings that are
    not valid Unicode are repaired and noted under :data:`NOTES_KEY` — in ``meta`` when the
    record has one, else at its top level.

    >>> rec = json.loads(dumps_line({"doc_id": "a\\ud800", "meta": {}}))
    >>> rec["doc_id"], rec["meta"]["invalid_unicode"][0]["field"]
    ('a\ufffd', 'doc_id')
    """
    line = json.dumps(record, ensure_ascii=False) + "\n"
    try:
        return line.encode("utf-8")
    except UnicodeEncodeError:
        pass
    fixed, notes = repair_tree(record)
    target = fixed.get("meta") if isinstance(fixed.get("meta"), dict) else fixed
    target.setdefault(NOTES_KEY, []).extend(notes)
    return (json.dumps(fixed, ensure_ascii=False) + "\n").encode("utf-8")


__all__ = ["NOTES_KEY", "dumps_line", "has_surrogates", "repair", "repair_tree"]
