"""Was a target met? One rule per bound, on the numbers as written.

The quantities compared are *signed changes* for growth rates (``下降5%`` is −5) and values in
the record's normalised unit otherwise (``value_base``). A target is a **floor** unless its bound
is a ceiling (以下, 以内, 不超过, 低于) or its indicator improves downwards (CPI, unemployment
rate, energy intensity: ``direction: down``); a reduction target (``下降3%``) is a ceiling on the
signed change.

=============  ==================================  ===========================
target bound   met                                 partly
=============  ==================================  ===========================
point, ≥, >    outcome ≥ target                    outcome ≥ 90 % of it
左右 (approx)  outcome ≥ 95 % of target            outcome ≥ 85 %
range a–b      outcome ≥ a                         outcome ≥ 90 % of a
ceiling        outcome ≤ target (左右: ≤ 105 %)    ≤ 110 % (左右: ≤ 115 %)
=============  ==================================  ===========================

"90 % of it" is measured on the distance from zero (``t − 0.1·|t|``), so it also holds for
negative and zero targets.

>>> judge({"measure": "growth_rate", "value": 7, "bound": "approx", "unit": "percent"},
...       {"measure": "growth_rate", "value": 6.8, "unit": "percent"})
'met'
>>> judge({"measure": "growth_rate", "value": 10, "bound": "point", "unit": "percent"},
...       {"measure": "growth_rate", "value": 9.2, "unit": "percent"})
'partly'
>>> judge({"measure": "growth_rate", "value": 3, "bound": "approx", "unit": "percent"},
...       {"measure": "growth_rate", "value": 2.1, "unit": "percent"}, direction="down")
'met'
>>> judge({"measure": "reduction", "value": 3, "bound": "point", "unit": "percent"},
...       {"measure": "reduction", "value": 2.0, "unit": "percent"})
'not_met'
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

__all__ = [
    "VERDICTS",
    "judge",
    "comparable_value",
    "units_comparable",
    "CEILING_BOUNDS",
    "COUNT_UNITS",
]

VERDICTS = ("met", "partly", "not_met", "no_outcome")
CEILING_BOUNDS = frozenset({"le", "lt"})
_RATE_MEASURES = frozenset({"growth_rate", "reduction"})
#: Units that count things one by one: 335座 and 335户 of one 保暖房 programme, 5000个 jobs and
#: 5487人 newly employed are the same count written with another measure word.
COUNT_UNITS = frozenset({"count", "household", "person"})


def units_comparable(a: Optional[str], b: Optional[str]) -> bool:
    """Whether two records' units can be compared as numbers: the same unit, or two counts.

    >>> units_comparable("count", "household"), units_comparable("percent", "percentage_point")
    (True, False)
    """
    return (a or "") == (b or "") or (a in COUNT_UNITS and b in COUNT_UNITS)


def comparable_value(record: Dict[str, Any], *, use_low: bool = True) -> Optional[float]:
    """The number a verdict compares: a signed change for growth rates and reductions, else
    ``value_base`` (or ``value``); a range gives its low end (``use_low``) or high end."""
    value = record.get("value")
    if record.get("bound") == "range" or value is None:
        value = record.get("low") if use_low else record.get("high")
        if value is None:
            value = record.get("high") if use_low else record.get("low")
    if value is None:
        return None
    measure = record.get("measure")
    if measure in _RATE_MEASURES or record.get("unit") in ("percent", "percentage_point"):
        return -float(value) if measure == "reduction" else float(value)
    base = record.get("value_base")
    if base is not None and record.get("bound") != "range":
        return float(base)
    return float(value) * float(record.get("scale") or 1.0)


def _is_ceiling(target: Dict[str, Any], direction: str) -> bool:
    if target.get("bound") in CEILING_BOUNDS:
        return True
    if target.get("measure") == "reduction":
        return True
    return direction == "down"


def _margins(bound: Optional[str]) -> Tuple[float, float]:
    """(met, partly) tolerances as fractions of the target's size."""
    return (0.05, 0.15) if bound == "approx" else (0.0, 0.10)


def judge(target: Dict[str, Any], outcome: Optional[Dict[str, Any]], direction: str = "up") -> str:
    """``met``, ``partly``, ``not_met`` or ``no_outcome`` for a target record and the outcome
    record paired with it (records as in ``targets.md``)."""
    if outcome is None:
        return "no_outcome"
    if not units_comparable(target.get("unit"), outcome.get("unit")):
        return (
            "no_outcome"  # percent against yuan, percentage points against percent: not comparable
        )
    if (target.get("measure") in _RATE_MEASURES) != (outcome.get("measure") in _RATE_MEASURES):
        return "no_outcome"  # a growth rate against a level
    ceiling = _is_ceiling(target, direction)
    goal = comparable_value(target, use_low=not ceiling)
    got = comparable_value(outcome)
    if goal is None or got is None:
        return "no_outcome"
    met_margin, partly_margin = _margins(target.get("bound"))
    size = abs(goal)
    if ceiling:
        if got <= goal + met_margin * size:
            return "met"
        return "partly" if got <= goal + partly_margin * size else "not_met"
    if got >= goal - met_margin * size:
        return "met"
    return "partly" if got >= goal - partly_margin * size else "not_met"
