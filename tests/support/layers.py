"""The floor plan as data, and a reader that finds every import breaking it (with `ast`).

Layers, from the top: entry → listeners → surfaces → areas → core → storage. A module may
import its own layer or any layer below, never one above. Areas sit side by side: one may use
another only through its public faces. The dev tools (the emulator and the demo) stand beside
the product: they may import it; the product imports them only where ALLOWED_DEVKIT_IMPORTS
says, lazily.
"""

import ast
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


def violations(root: Path) -> list[Violation]:
    """Every import under `root` that breaks the floor plan, in file order."""
    modules = product_modules(root)
    known = set(modules)
    found = []
    for module, path in modules.items():
        for item in imports_of(module, path, known):
            rule = broken_rule(item)
            if rule is not None:
                found.append(Violation(item.importer, item.target, item.line, rule))
    return found


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
    if (
        importer_area is not None
        and target_area is not None
        and importer_area != target_area
        and not is_public_face(item.target)
    ):
        return f"area {importer_area} reaches into {target_area}'s internals"
    return None
