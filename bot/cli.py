"""The `tandem` command (also `python -m bot`)."""

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from importlib import metadata
from pathlib import Path

from dotenv import find_dotenv, load_dotenv
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.core.config import Settings, SettingsError, drop_empty_settings, load_settings
from bot.core.logs import configure_logging

log = logging.getLogger("tandem")


def _parse_instant(value: str) -> datetime:
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{value}” is not an ISO-8601 time; try 2026-03-30T09:00:00+02:00"
        ) from None
    if instant.utcoffset() is None:
        raise argparse.ArgumentTypeError(
            f"“{value}” has no timezone; add one, e.g. {value}Z or {value}+01:00"
        )
    return instant


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot: Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT."""
    from bot.serve import serve

    return serve(
        settings,
        host=args.host,
        port=args.port or settings.port,
        run_scheduler=not args.no_scheduler,
    )


def cmd_run_due(args: argparse.Namespace, settings: Settings) -> int:
    """Do every piece of due work once, then exit."""
    from bot.app import build_tandem
    from bot.scheduler import run_due

    if not settings.oauth:
        settings.require_bot_token()
    ctx = build_tandem(settings)
    now = args.now or ctx.clock.now()
    report = run_due(ctx, now)
    d = report.delivery
    print(
        f"run-due at {now.isoformat()}: queued {report.queued}, sent {d.sent}, "
        f"deferred {d.deferred}, failed {d.failed}, expired {d.expired}, recovered {d.recovered}, "
        f"held {d.held}, folded {d.folded}"
    )
    if report.failed_producers:
        # Cron should notice: the work stays due and is retried on the next run.
        print(f"failed: {', '.join(report.failed_producers)} (see the log)", file=sys.stderr)
        return 1
    return 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Apply database migrations."""
    from storage.db import create_db_engine
    from storage.migrate import pending_revisions, upgrade

    engine = create_db_engine(settings.database_url)
    pending = pending_revisions(engine)
    upgrade(engine)
    print(f"Database is up to date ({len(pending)} migration(s) applied).")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the programme as CSV (no private text) to --output or standard output."""
    from bot.admin.export import (
        FUNNEL_COLUMNS,
        TREND_COLUMNS,
        funnel_rows,
        pair_export,
        trend_rows,
        write_csv,
    )
    from storage.db import create_db_engine, session_scope
    from storage.migrate import upgrade

    engine = create_db_engine(settings.database_url)
    if settings.auto_migrate:
        upgrade(engine)
    with session_scope(engine) as session:
        if args.funnel:
            columns, rows = list(FUNNEL_COLUMNS), funnel_rows(session, args.team)
        elif args.trends:
            columns, rows = list(TREND_COLUMNS), trend_rows(session, args.team, args.now)
        else:
            columns, rows = pair_export(session, args.team, args.now)
        if args.output in (None, "-"):
            count = write_csv(rows, sys.stdout, columns)
        else:
            with open(args.output, "w", newline="", encoding="utf-8") as stream:
                count = write_csv(rows, stream, columns)
    what = "funnel row(s)" if args.funnel else "cohort month(s)" if args.trends else "pair(s)"
    print(f"Exported {count} {what}.", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Run a whole mentorship against the built-in Slack emulator and print what people saw.

    It builds its own settings (emulator URL, a temporary SQLite file), so it needs no
    tokens, no network and no .env, and never touches the configured database.
    """
    page = Path(args.html).resolve() if args.html else None
    if page is not None and not page.parent.is_dir():
        raise SettingsError(f"tandem demo --html: the folder {page.parent} does not exist.")
    from devkit.demo import run_demo

    run_demo(html=page)
    return 0


def cmd_import_pairs(args: argparse.Namespace, settings: Settings) -> int:
    """Propose the pairs listed in a CSV file; 0 all taken, 1 some refused, 2 unusable."""
    from bot.app import build_tandem
    from bot.delivery.sender import deliver_due
    from bot.programme.blocks.imports import report_text
    from bot.programme.roster_rules import Unusable
    from bot.programme.service.imports import import_file

    try:
        with open(args.file, "rb") if args.file != "-" else sys.stdin.buffer as stream:
            raw = stream.read()
    except OSError as error:
        print(f"Can't read {args.file}: {error.strerror}.", file=sys.stderr)
        return 2
    if not settings.oauth:
        settings.require_bot_token()
    ctx = build_tandem(settings)
    report = import_file(ctx, raw, args.team, args.admin, dry_run=args.dry_run)
    if isinstance(report, Unusable):
        print(f"{args.file}: {report.message}", file=sys.stderr)
        return 2
    sent = None
    if report.proposed and not (args.no_send or args.dry_run):
        sent = deliver_due(ctx).sent  # what the bot would send next, sent now
    print(report_text(report, sent))
    return report.exit_code


def cmd_match(args: argparse.Namespace, settings: Settings) -> int:
    """Print the matching round an admin would be shown; 2 when it can't be run."""
    from bot.app import build_tandem
    from bot.core.results import Refused
    from bot.programme.service.round_preview import preview_round

    if not args.dry_run:
        print(
            "tandem match only previews (--dry-run): run the round itself in Slack with "
            "`/tandem admin match`, where it can be changed before it is sent.",
            file=sys.stderr,
        )
        return 2
    if not settings.oauth:
        settings.require_bot_token()
    shown = preview_round(build_tandem(settings), args.team, args.admin, args.cohort or "")
    if isinstance(shown, Refused):
        print(shown.message, file=sys.stderr)
        return 2
    print(shown)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "serve": cmd_serve,
    "run-due": cmd_run_due,
    "db-upgrade": cmd_db_upgrade,
    "export": cmd_export,
    "import-pairs": cmd_import_pairs,
    "match": cmd_match,
}


def _version() -> str:
    try:
        return metadata.version("tandem")
    except metadata.PackageNotFoundError:  # run from a checkout without installing
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """The command line, with a one-line description for every command."""
    parser = argparse.ArgumentParser(prog="tandem", description="Tandem keeps mentorships alive.")
    parser.add_argument("--version", action="version", version=f"tandem {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary in SUMMARIES.items():
        command = sub.add_parser(name, help=summary, description=summary)
        OPTIONS[name](command)
    parser.commands = sub.choices  # type: ignore[attr-defined]
    return parser


def _serve_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--no-scheduler", action="store_true", help="do not run the minute tick")
    serve.add_argument("--host", default="0.0.0.0", help="HTTP address to bind (default 0.0.0.0)")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: PORT or 3000)")


def _run_due_options(run_due: argparse.ArgumentParser) -> None:
    run_due.add_argument(
        "--now",
        type=_parse_instant,
        default=None,
        help="act as if it were this ISO-8601 time (with a timezone)",
    )


def _export_options(export: argparse.ArgumentParser) -> None:
    export.add_argument("--team", default=None, help="only this workspace (team id)")
    export.add_argument("--output", "-o", default=None, help="file to write (default: stdout)")
    shape = export.add_mutually_exclusive_group()
    shape.add_argument(
        "--trends",
        action="store_true",
        help="one row per cohort per month for the last 6 months, instead of one per pair",
    )
    shape.add_argument(
        "--funnel",
        action="store_true",
        help="the launch funnel: one row per workspace and per cohort (proposed, accepted, "
        "declined, unanswered, charter signed, first meeting met, still meeting after 30 days; "
        "counts and rates), instead of one per pair",
    )
    export.add_argument(
        "--now",
        type=_parse_instant,
        default=None,
        help="the moment whose last 6 months are exported (ISO-8601; default: now)",
    )


def _demo_options(demo: argparse.ArgumentParser) -> None:
    demo.add_argument(
        "--html",
        metavar="FILE",
        default=None,
        help="also write the story as one self-contained web page (open it in a browser)",
    )


def _import_options(importer: argparse.ArgumentParser) -> None:
    kinds = importer.add_subparsers(dest="import_command", metavar="WHAT")
    pairs = kinds.add_parser(
        "pairs",
        help="propose the pairs in FILE.csv (columns mentor,mentee[,cohort])",
        description=(
            "Each person is a Slack user id, an <@U…> mention or an email. Every line is "
            "checked first; valid lines are proposed through the consent flow; refused lines "
            "are reported by number. Importing the same file again changes nothing. Exit "
            "code 0: every line taken; 1: some refused; 2: the file can't be used."
        ),
    )
    pairs.add_argument("file", metavar="FILE.csv", help="the CSV file ('-' reads standard input)")
    pairs.add_argument("--team", default=None, help="the workspace (team id); needed under OAuth")
    pairs.add_argument(
        "--admin", default=None, help="the admin proposing (default: first TANDEM_ADMINS)"
    )
    pairs.add_argument("--no-send", action="store_true", help="only queue the invitations")
    pairs.add_argument(
        "--dry-run",
        action="store_true",
        help="only preview: every line checked and reported, nothing written or sent",
    )


def _match_options(match: argparse.ArgumentParser) -> None:
    match.add_argument("--cohort", default=None, help="the cohort the round is for (its name)")
    match.add_argument("--team", default=None, help="the workspace (team id); needed under OAuth")
    match.add_argument("--admin", default=None, help="the admin (default: first TANDEM_ADMINS)")
    match.add_argument(
        "--dry-run",
        action="store_true",
        help="print the proposed round with reasons and who stays unmatched; change nothing",
    )


def _db_options(db: argparse.ArgumentParser) -> None:
    actions = db.add_subparsers(dest="db_command", metavar="ACTION")
    actions.add_parser("upgrade", help="apply migrations", description="Apply migrations.")


SUMMARIES = {
    "serve": "run the bot (Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT)",
    "run-due": "do all due scheduled work once and exit (for cron)",
    "export": "programme data as CSV (no private notes)",
    "demo": "run a whole mentorship offline against a built-in Slack, and show it",
    "db": "database maintenance (tandem db upgrade applies migrations)",
    "import": "bring pairs in (tandem import pairs FILE.csv)",
    "match": "preview a matching round (tandem match --cohort C --dry-run)",
}
OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "serve": _serve_options,
    "run-due": _run_due_options,
    "export": _export_options,
    "demo": _demo_options,
    "db": _db_options,
    "import": _import_options,
    "match": _match_options,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tandem` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    name = args.command
    if name is None:
        parser.print_help(sys.stderr)
        return 2
    if name == "db":
        if args.db_command != "upgrade":
            parser.commands["db"].print_help(sys.stderr)  # type: ignore[attr-defined]
            return 2
        name = "db-upgrade"
    if name == "import":
        if args.import_command != "pairs":
            parser.commands["import"].print_help(sys.stderr)  # type: ignore[attr-defined]
            return 2
        name = "import-pairs"
    try:
        if name == "demo":  # no settings, no .env: the demo brings its own
            configure_logging("WARNING")
            return cmd_demo(args)
        load_dotenv(find_dotenv(usecwd=True), override=False)  # the .env where tandem is run
        drop_empty_settings(os.environ)
        settings = load_settings()
        configure_logging(settings.log_level, settings.log_format, settings.secrets)
        return COMMANDS[name](args, settings)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    except (OperationalError, InterfaceError) as error:
        print(
            "Tandem cannot use the database named by DATABASE_URL: "
            f"{str(error.orig or error).strip().splitlines()[0]}. Check that the server is running "
            "and the URL is right (see .env.example).",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except OSError as error:  # a file named on the command line, mostly (export -o, demo --html)
        where = f" {error.filename}" if error.filename else ""
        print(f"Tandem cannot do that:{where}: {error.strerror or error}.", file=sys.stderr)
        return 2
