"""The floor plan as data, and a reader that finds every import breaking it (with `ast`).

Layers, from the top: entry → listeners → surfaces → areas → core → storage. A module may
import its own layer or any layer below, never one above. Areas sit side by side: one may use
another (and a surface may use an area) only through its public faces, and no area leads back
to itself through others: their imports form no cycle. The tick's own modules (TICK) reach no
area but TICK_AREAS, even through others: what areas do on a tick comes to it through `Parts`.
The dev tools (the emulator and the demo) stand beside the product: they may import it; the
product imports them only where ALLOWED_DEVKIT_IMPORTS says, lazily.
"""

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("bot", "handlers", "storage", "devkit")
ENTRY = frozenset(
    {"bot.__main__", "bot.cli", "bot.app", "bot.web", "bot.scheduler", "bot.assembly"}
)
AREAS = ("pairs", "charter", "goals", "meetings", "reflection", "admin", "delivery", "programme")
# What one area may import from another: `bot.<area>.<face>` and anything inside it.
PUBLIC_FACES = ("access", "service", "blocks")
RANKS = {"storage": 0, "core": 1, "area": 2, "surfaces": 3, "listeners": 4, "entry": 5}
# The scheduler's tick, and the only area it may import: it queues through the areas'
# producers and refreshes Homes through the surfaces, all handed to it in `Parts`.
TICK = ("bot.scheduler",)
TICK_AREAS = frozenset({"delivery"})
# `tandem demo` ships with the product: the command line loads the demo when asked, inside the
# function that runs it, so the product never needs the dev tools to start.
ALLOWED_DEVKIT_IMPORTS = frozenset({("bot.cli", "devkit.demo")})


@dataclass(frozen=True)
class Import:
    """One import statement's target, as found in `importer` at `line`."""

    importer: str
    target: str
    line: int
    lazy: bool  # inside a function, run only when called


@dataclass(frozen=True)
class Violation:
    """An import the floor plan forbids, and which rule it breaks."""

    importer: str
    target: str
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} imports {self.target} ({self.rule})"


def layer_of(module: str) -> str | None:
    """ "entry", "listeners", "surfaces", "area", "core", "storage", "devkit", or None (not
    ours)."""
    top, _, rest = module.partition(".")
    if top == "storage":
        return "storage"
    if top == "handlers":
        return "listeners"
    if top == "devkit":
        return "devkit"
    if top != "bot":
        return None
    if module in ENTRY or module == "bot":
        return "entry"
    first = rest.split(".")[0]
    if first == "core":
        return "core"
    if first == "surfaces":
        return "surfaces"
    if first in AREAS:
        return "area"
    return "entry"


def area_of(module: str) -> str | None:
    """The area a module belongs to (`bot.goals.service.create` → "goals")."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "bot" and parts[1] in AREAS else None


def is_public_face(module: str) -> bool:
    """Whether another area may import `module`: an area's package or one of its faces."""
    parts = module.split(".")
    return len(parts) == 2 or parts[2] in PUBLIC_FACES


def module_name(root: Path, path: Path) -> str:
    """`bot/goals/access.py` → `bot.goals.access`; a package's `__init__.py` → the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_modules(root: Path) -> dict[str, Path]:
    """Every module of the product and the dev tools under `root`, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # Alembic's generated scripts are storage's own business
            found[module_name(root, path)] = path
    return found


def imports_of(module: str, path: Path, known: set[str]) -> list[Import]:
    """The modules `module` imports; `from pkg import name` counts as `pkg.name` when that is
    a module of ours."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    lazy_lines = {
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    }
    found = []
    for node in ast.walk(tree):
        lazy = getattr(node, "lineno", 0) in lazy_lines
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, node.lineno, lazy) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                target = candidate if candidate in known else base
                found.append(Import(module, target, node.lineno, lazy))
    unique = dict.fromkeys(item for item in found if layer_of(item.target) is not None)
    return list(unique)


def import_graph(root: Path) -> dict[str, list[Import]]:
    """Every module of ours under `root` → the imports it makes, in file order."""
    modules = product_modules(root)
    known = set(modules)
    return {module: imports_of(module, path, known) for module, path in modules.items()}


def violations(root: Path) -> list[Violation]:
    """Every import under `root` that breaks the floor plan, in file order; then every import
    that closes a cycle of areas, and of modules."""
    graph = import_graph(root)
    found = []
    for items in graph.values():
        for item in items:
            rule = broken_rule(item)
            if rule is not None:
                found.append(Violation(item.importer, item.target, item.line, rule))
    return found + area_cycles(graph) + module_cycles(graph)


def _path(edges: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """The shortest walk from `start` to `goal` along `edges` (both ends included), or None."""
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            walk = [node]
            while (previous := came_from[walk[-1]]) is not None:
                walk.append(previous)
            return walk[::-1]
        for after in sorted(edges.get(node, ())):
            if after not in came_from:
                came_from[after] = node
                queue.append(after)
    return None


def _cycles(crossings: list[tuple[str, str, Import]], kind: str) -> list[Violation]:
    """Each import (`from` node → `to` node) from which a walk leads back to where it started."""
    edges: dict[str, set[str]] = {}
    for source, target, _ in crossings:
        edges.setdefault(source, set()).add(target)
    found = []
    for source, target, item in crossings:
        back = _path(edges, target, source)
        if back is not None:
            loop = " → ".join([source, *back])
            found.append(Violation(item.importer, item.target, item.line, f"{kind} {loop}"))
    return found


def area_cycles(graph: dict[str, list[Import]]) -> list[Violation]:
    """Every import from one area into another that leads back to the first, directly or
    through others: such areas can no longer be read, tested or changed one at a time."""
    return _cycles(
        [
            (importer_area, target_area, item)
            for items in graph.values()
            for item in items
            if (importer_area := area_of(item.importer)) is not None
            and (target_area := area_of(item.target)) is not None
            and importer_area != target_area
        ],
        "area cycle",
    )


def module_cycles(graph: dict[str, list[Import]]) -> list[Violation]:
    """Every import of one of our modules that leads back to the importer (also one only read
    by the type checker): two modules that need each other are one module, or lack a third.
    Imports another rule already reports are left out: an upward import, and one between two
    areas (`area_cycles` sees those)."""

    def between_areas(item: Import) -> bool:
        importer_area, target_area = area_of(item.importer), area_of(item.target)
        return None not in (importer_area, target_area) and importer_area != target_area

    return _cycles(
        [
            (item.importer, item.target, item)
            for items in graph.values()
            for item in items
            if item.target in graph
            and item.target != item.importer
            and broken_rule(item) is None
            and not between_areas(item)
        ],
        "import cycle",
    )


def tick_climbs(root: Path) -> list[str]:
    """Each area module (beyond TICK_AREAS) the tick imports, directly or through others, as
    the chain of imports that reaches it."""
    graph = import_graph(root)
    reached_from: dict[str, str | None] = dict.fromkeys(TICK)
    queue = deque(module for module in TICK if module in graph)
    climbs = []
    while queue:
        module = queue.popleft()
        area = area_of(module)
        if area is not None and area not in TICK_AREAS:
            chain = [module]
            while (previous := reached_from[chain[-1]]) is not None:
                chain.append(previous)
            climbs.append(" → ".join(chain[::-1]))
            continue  # one chain per area module it enters
        for item in graph.get(module, []):
            if item.target not in reached_from:
                reached_from[item.target] = module
                queue.append(item.target)
    return climbs


def broken_rule(item: Import) -> str | None:
    """Which rule `item` breaks, or None when the floor plan allows it."""
    source, target = layer_of(item.importer), layer_of(item.target)
    if source == "devkit":
        return None  # the dev tools may use anything of the product
    if target == "devkit":
        allowed = any(
            item.importer == importer and (item.target + ".").startswith(prefix + ".")
            for importer, prefix in ALLOWED_DEVKIT_IMPORTS
        )
        if allowed and item.lazy:
            return None
        return "the product never imports the dev tools" + (
            " (allowed only lazily, inside the command)" if allowed else ""
        )
    assert source is not None and target is not None
    if RANKS[target] > RANKS[source]:
        return f"{source} must not import {target} (a higher layer)"
    importer_area, target_area = area_of(item.importer), area_of(item.target)
    if source == "surfaces" and target_area is not None and not is_public_face(item.target):
        return f"surfaces reach into {target_area}'s internals"
    if (
        importer_area is not None
        and target_area is not None
        and importer_area != target_area
        and not is_public_face(item.target)
    ):
        return f"area {importer_area} reaches into {target_area}'s internals"
    return None
