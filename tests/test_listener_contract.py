"""The listeners keep one contract: they import no storage model, and only the renderer
(handlers/render.py) answers Slack: every `ack`, `respond` and `views.*` call is made there."""

import ast
from pathlib import Path
from textwrap import dedent

ROOT = Path(__file__).resolve().parent.parent
RENDERER = Path("handlers/render.py")
ANSWERS = {"ack", "respond"}


def _imports_a_model(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.startswith("storage.models") for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        named = {alias.name for alias in node.names}
        return module.startswith("storage.models") or (module == "storage" and "models" in named)
    return False


def _answers_slack(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return name if name in ANSWERS or name.startswith("views_") else None


def breaches(root: Path) -> list[str]:
    """Every place under `root`/handlers that breaks the contract, as "path:line what"."""
    found = []
    for path in sorted((root / "handlers").rglob("*.py")):
        relative = path.relative_to(root)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if _imports_a_model(node):
                found.append(f"{relative}:{node.lineno} imports a storage model")
            call = _answers_slack(node)
            if call and relative != RENDERER:
                found.append(f"{relative}:{node.lineno} calls {call} outside the renderer")
    return found


def test_listeners_import_no_model_and_only_the_renderer_answers_slack() -> None:
    assert breaches(ROOT) == []


def test_the_check_finds_planted_breaches(tmp_path: Path) -> None:
    files = {
        "handlers/render.py": "def render(ack, client):\n    ack()\n    client.views_open()\n",
        "handlers/actions/goals.py": """
            from storage.models import Goal
            from storage import models

            def tick(ack, respond, client):
                ack()
                respond(text="hi")
                client.views_update(view_id="V1", view={})
                return Goal
        """,
        "handlers/views/fine.py": "from storage.queries.goals import goal\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(dedent(text))
    assert breaches(tmp_path) == [
        "handlers/actions/goals.py:2 imports a storage model",
        "handlers/actions/goals.py:3 imports a storage model",
        "handlers/actions/goals.py:6 calls ack outside the renderer",
        "handlers/actions/goals.py:7 calls respond outside the renderer",
        "handlers/actions/goals.py:8 calls views_update outside the renderer",
    ]
