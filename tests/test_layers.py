"""The floor plan holds: imports only point down, areas meet only at their public faces and
form no cycle, and the tick reaches no area but delivery."""

from pathlib import Path
from textwrap import dedent

from tests.support.layers import Violation, tick_climbs, violations

ROOT = Path(__file__).resolve().parent.parent


def test_the_product_imports_only_downwards_and_through_faces() -> None:
    assert [str(violation) for violation in violations(ROOT)] == []


def test_the_tick_imports_no_area_but_delivery() -> None:
    assert tick_climbs(ROOT) == []


def plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text))
    for package in ("bot", "handlers", "storage", "devkit"):
        (root / package).mkdir(exist_ok=True)


def test_the_checker_finds_planted_violations_and_allows_the_plan(tmp_path: Path) -> None:
    plant(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/cli.py": """
                import handlers.commands
                from devkit.emulator import SlackEmulator

                def demo():
                    from devkit.demo import run_demo
            """,
            "bot/core/__init__.py": "",
            "bot/core/people.py": "from bot.goals import access\n",
            "bot/core/kit.py": "from storage.models import Pair\n",
            "bot/goals/__init__.py": "",
            "bot/goals/access.py": "from bot.core import people\n",
            "bot/goals/progress.py": """
                from bot.meetings.nudges import remind
                from bot.meetings.service import clicks
                from bot.meetings import schedule
                from handlers.safety import guarded
                from . import access
                from ..meetings import keys
            """,
            "bot/meetings/__init__.py": "",
            "bot/meetings/nudges.py": "",
            "bot/meetings/keys.py": "",
            "bot/meetings/schedule.py": "",
            "bot/meetings/service/__init__.py": "",
            "bot/meetings/service/clicks.py": "from bot.app import build_app\n",
            "bot/app.py": "from handlers import register\nfrom bot.goals import progress\n",
            "handlers/__init__.py": "from bot.cli import main\n",
            "handlers/commands.py": "from bot.goals.access import NOT_YOURS\n",
            "storage/models.py": "from bot.core.kit import clip\n",
            "devkit/demo.py": "from bot.app import build_app\nfrom handlers import register\n",
            "devkit/emulator.py": "",
        },
    )
    found = {(v.importer, v.target, v.rule) for v in violations(tmp_path)}
    assert found == {
        ("bot.cli", "devkit.emulator", "the product never imports the dev tools"),
        ("bot.core.people", "bot.goals.access", "core must not import area (a higher layer)"),
        (
            "bot.goals.progress",
            "bot.meetings.nudges",
            "area goals reaches into meetings's internals",
        ),
        (
            "bot.goals.progress",
            "bot.meetings.schedule",
            "area goals reaches into meetings's internals",
        ),
        (
            "bot.goals.progress",
            "bot.meetings.keys",
            "area goals reaches into meetings's internals",
        ),
        (
            "bot.goals.progress",
            "handlers.safety",
            "area must not import listeners (a higher layer)",
        ),
        (
            "bot.meetings.service.clicks",
            "bot.app",
            "area must not import entry (a higher layer)",
        ),
        ("handlers", "bot.cli", "listeners must not import entry (a higher layer)"),
        ("storage.models", "bot.core.kit", "storage must not import core (a higher layer)"),
    }


def test_the_dev_tools_allowance_is_only_lazy(tmp_path: Path) -> None:
    plant(tmp_path, {"bot/cli.py": "from devkit.demo import run_demo\n", "devkit/demo.py": ""})
    assert violations(tmp_path) == [
        Violation(
            "bot.cli",
            "devkit.demo",
            1,
            "the product never imports the dev tools (allowed only lazily, inside the command)",
        )
    ]


def test_the_checker_finds_planted_cycles_and_climbs(tmp_path: Path) -> None:
    plant(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/scheduler.py": "from bot.surfaces import home\nfrom bot.delivery import service\n",
            "bot/surfaces/__init__.py": "",
            "bot/surfaces/home.py": """
                from bot.goals.service import lines
                from bot.goals.rules import due
            """,
            "bot/delivery/__init__.py": "",
            "bot/delivery/service.py": "",
            # goals → meetings → pairs → goals, each through a public face
            "bot/goals/__init__.py": "",
            "bot/goals/service.py": """
                from bot.meetings.service import book
                from bot.surfaces.home import draw
            """,
            "bot/goals/rules.py": "",
            "bot/meetings/__init__.py": "",
            "bot/meetings/service.py": "from bot.pairs.blocks import ACCEPT\n",
            "bot/pairs/__init__.py": "",
            "bot/pairs/blocks.py": "from bot.goals import service\n",
            # charter ⇄ admin, lazily on one side
            "bot/charter/__init__.py": "",
            "bot/charter/service.py": "from bot.admin.service import export\n",
            "bot/admin/__init__.py": "",
            "bot/admin/service.py": """
                def export():
                    from bot.charter import service
            """,
            # two core modules needing each other, one only for the type checker
            "bot/core/__init__.py": "",
            "bot/core/context.py": "from bot.core import parts\n",
            "bot/core/parts.py": """
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from bot.core.context import Tandem
            """,
        },
    )
    found = {(v.importer, v.target, v.rule) for v in violations(tmp_path)}
    assert found == {
        (
            "bot.goals.service",
            "bot.surfaces.home",
            "area must not import surfaces (a higher layer)",
        ),
        ("bot.surfaces.home", "bot.goals.rules", "surfaces reach into goals's internals"),
        (
            "bot.goals.service",
            "bot.meetings.service",
            "area cycle goals → meetings → pairs → goals",
        ),
        (
            "bot.meetings.service",
            "bot.pairs.blocks",
            "area cycle meetings → pairs → goals → meetings",
        ),
        ("bot.pairs.blocks", "bot.goals.service", "area cycle pairs → goals → meetings → pairs"),
        ("bot.charter.service", "bot.admin.service", "area cycle charter → admin → charter"),
        ("bot.admin.service", "bot.charter.service", "area cycle admin → charter → admin"),
        (
            "bot.core.context",
            "bot.core.parts",
            "import cycle bot.core.context → bot.core.parts → bot.core.context",
        ),
        (
            "bot.core.parts",
            "bot.core.context",
            "import cycle bot.core.parts → bot.core.context → bot.core.parts",
        ),
    }
    assert tick_climbs(tmp_path) == [
        "bot.scheduler → bot.surfaces.home → bot.goals.service",
        "bot.scheduler → bot.surfaces.home → bot.goals.rules",
    ]
