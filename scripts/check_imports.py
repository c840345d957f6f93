"""Check govnlp's import graph: no cycle among modules, and the layers below.

    PYTHONPATH=$PWD .venv/bin/python scripts/check_imports.py      # exit 1 on any problem

The graph is grimp's (``grimp.build_graph("govnlp")``): every ``import`` statement of every
module counts, at module level AND inside functions (a function-level import runs as soon as the
function does: hiding an import in a function does not remove the dependency). Imports under
``if TYPE_CHECKING:`` do not count (they never run).

THE CONTRACT (higher layers may import lower ones, never the reverse; a module may import only
its own layer or lower ones):

    1. govnlp.cli                      the command line
    2. govnlp.commands                 one module per command
    3. govnlp.tagging | govnlp.rendering
                                       bulk tagging; the HTML report (independent of each other)
    4. govnlp.engines                  where the pipeline runs (local processes, Dask)
    5. govnlp.pipeline                 builds the spaCy pipeline from the components
    6. the components, siblings that never import each other:
       govnlp.items | govnlp.domains | govnlp.targets | govnlp.units | govnlp.outcomes
    7. the shared lower layer (its modules may import each other; no cycles):
       govnlp.numbers, govnlp.io, govnlp.records, govnlp.textnorm, govnlp._extensions,
       govnlp.taxonomy, govnlp._doctext, govnlp._stateless, govnlp.references,
       govnlp.segmenter, govnlp.about

Inside ``govnlp.commands``, the command modules (tag, export, report…) are independent siblings
over ``govnlp.commands._options`` (the options they share): a command does not import another.

``govnlp`` itself (the package's ``__init__``, the public facade) is in no layer: it imports
what it exports. A chain through it still counts (grimp follows indirect chains): a component
importing ``govnlp`` to reach the pipeline breaks the contract. Every other top-level module or
package of govnlp must be in a layer: a new one makes this script fail until it is placed here.

Two components that need the same thing share it through layer 7; when a lower module needs
what only a higher one can give (the domains' word features need the default pipeline's
tokenizer), the higher one hands it down at import time
(``govnlp.domains.sklearn_backend.set_tokenizer_loader``, set by ``govnlp.pipeline``).

PENDING lists the problems known to remain, each with who fixes it (files of another branch).
They are printed and do not fail the check; a PENDING entry that no longer occurs fails it
(delete the entry: the list only shrinks).
"""

from __future__ import annotations

import sys
from collections import deque
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

import grimp

PACKAGE = "govnlp"

#: Highest first; a tuple of names is one layer of siblings.
LAYERS: List[Tuple[Tuple[str, ...], bool]] = [  # (module tails, independent siblings?)
    (("cli",), True),
    (("commands",), True),
    (("tagging", "rendering"), True),
    (("engines",), True),
    (("pipeline",), True),
    (("items", "domains", "targets", "units", "outcomes"), True),
    (
        (
            "numbers",
            "io",
            "records",
            "textnorm",
            "_extensions",
            "taxonomy",
            "_doctext",
            "_stateless",
            "references",
            "segmenter",
            "about",
        ),
        False,
    ),
]

#: Inside govnlp.commands: the commands (every module but _options), then what they share.
COMMAND_LAYERS: List[Tuple[Tuple[str, ...], bool]] = [
    (
        (
            "annotations",
            "evaluate",
            "export",
            "gazetteer",
            "info",
            "outcomes",
            "report",
            "setup_segmenter",
            "tag",
            "train",
        ),
        True,
    ),
    (("_options",), True),
]

#: Known problems, owned by another branch (issue 14). Cycles: the modules of the cycle.
PENDING_CYCLES: Dict[FrozenSet[str], str] = {}
#: Layer violations: (importing package, imported package).
PENDING_LAYERS: Dict[Tuple[str, str], str] = {}


def build_graph() -> grimp.ImportGraph:
    # cache_dir=None: no .grimp_cache written into the checkout
    return grimp.build_graph(PACKAGE, cache_dir=None, exclude_type_checking_imports=True)


def strongly_connected(graph: grimp.ImportGraph) -> List[List[str]]:
    """The import cycles: strongly connected components of more than one module (Tarjan,
    iterative)."""
    adj = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    out: List[List[str]] = []
    counter = 0
    for root in adj:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, 0)]
        while work:
            v, i = work[-1]
            if i < len(adj[v]):
                work[-1] = (v, i + 1)
                w = adj[v][i]
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                scc = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    scc.append(w)
                    if w == v:
                        break
                if len(scc) > 1:
                    out.append(sorted(scc))
    return sorted(out)


def shortest_cycle(graph: grimp.ImportGraph, scc: Iterable[str]) -> List[str]:
    """A shortest cycle through the first module of ``scc``, within it (BFS)."""
    members = set(scc)
    start = min(members)
    prev: Dict[str, Optional[str]] = {start: None}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(graph.find_modules_directly_imported_by(v)):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])  # type: ignore[arg-type]
                return list(reversed(path)) + [start]
            if w in members and w not in prev:
                prev[w] = v
                queue.append(w)
    return [start]


def _line(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    details = graph.get_import_details(importer=importer, imported=imported)
    if not details:
        return ""
    d = details[0]
    return f"  (line {d['line_number']}: {d['line_contents'].strip()})"


def unplaced(graph: grimp.ImportGraph) -> List[str]:
    """Modules or packages of govnlp (top level) and of govnlp.commands in no layer."""
    out = []
    for container, layers in ((PACKAGE, LAYERS), (f"{PACKAGE}.commands", COMMAND_LAYERS)):
        placed = {f"{container}.{t}" for tails, _ in layers for t in tails}
        depth = container.count(".") + 2
        below = {
            ".".join(m.split(".")[:depth]) for m in graph.modules if m.startswith(container + ".")
        }
        out += sorted(below - placed)
    return out


def layer_violations(graph: grimp.ImportGraph) -> Dict[Tuple[str, str], List[str]]:
    out: Dict[Tuple[str, str], List[str]] = {}
    deps = set()
    for container, layers in ((PACKAGE, LAYERS), (f"{PACKAGE}.commands", COMMAND_LAYERS)):
        if container not in graph.modules:
            continue
        contract = [grimp.Layer(*tails, independent=indep) for tails, indep in layers]
        deps |= graph.find_illegal_dependencies_for_layers(layers=contract, containers={container})
    for dep in deps:
        chains = []
        for route in dep.routes:
            for head in sorted(route.heads):
                for tail in sorted(route.tails):
                    chain = [head, *route.middle, tail]
                    chains.append(
                        " -> ".join(chain) + (_line(graph, head, tail) if len(chain) == 2 else "")
                    )
        out[(dep.importer, dep.imported)] = sorted(chains)
    return out


def main() -> int:
    graph = build_graph()
    problems = 0
    for name in unplaced(graph):
        print(f"NOT IN A LAYER: {name} (place it in LAYERS of scripts/check_imports.py)")
        problems += 1
    cycles = strongly_connected(graph)
    seen_cycles = set()
    for scc in cycles:
        key = frozenset(scc)
        cycle = shortest_cycle(graph, scc)
        steps = [f"{a} -> {b}{_line(graph, a, b)}" for a, b in zip(cycle, cycle[1:])]
        if key in PENDING_CYCLES:
            seen_cycles.add(key)
            print(f"pending cycle ({PENDING_CYCLES[key]}): {', '.join(scc)}")
            for step in steps:
                print(f"    {step}")
            continue
        problems += 1
        print(f"CYCLE among {len(scc)} modules: {', '.join(scc)}")
        for s in steps:
            print(f"    {s}")
    violations = layer_violations(graph)
    for key, chains in sorted(violations.items()):
        if key in PENDING_LAYERS:
            print(f"pending layer violation {key[0]} -> {key[1]} ({PENDING_LAYERS[key]})")
            continue
        problems += 1
        print(f"LAYER VIOLATION: {key[0]} imports {key[1]} (a higher layer or a sibling)")
        for c in chains:
            print(f"    {c}")
    for key in set(PENDING_CYCLES) - seen_cycles:
        problems += 1
        print(f"RESOLVED, delete it from PENDING_CYCLES: {', '.join(sorted(key))}")
    for key in set(PENDING_LAYERS) - set(violations):
        problems += 1
        print(f"RESOLVED, delete it from PENDING_LAYERS: {key[0]} -> {key[1]}")
    n = len(graph.modules)
    if problems:
        print(f"{problems} import problems in {n} modules")
        return 1
    print(
        f"import graph of {n} modules: no cycle and no layer violation but the pending ones "
        f"({len(PENDING_CYCLES)} cycles, {len(PENDING_LAYERS)} layer violations)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
