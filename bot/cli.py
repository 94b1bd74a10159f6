"""The `tandem` command (also `python -m bot`)."""

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import datetime

from dotenv import find_dotenv, load_dotenv
from sqlalchemy.exc import OperationalError

from bot.core.config import Settings, SettingsError, drop_empty_settings, load_settings

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
    settings.require_slack()
    from bot.app import build_app, build_tandem
    from bot.scheduler import DeliveryWorker, start_scheduler
    from bot.web import serve_http

    ctx = build_tandem(settings)
    app = build_app(ctx)
    worker = DeliveryWorker(ctx)
    ctx.on_outbox_changed = worker.kick
    worker.start()
    scheduler = None if args.no_scheduler else start_scheduler(ctx)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("Tandem is connecting to Slack in Socket Mode")
            SocketModeHandler(app, settings.slack_app_token).start()
        else:
            serve_http(app, ctx, host=args.host, port=args.port or settings.port)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        worker.stop()
    return 0


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
    from bot.admin.export import export_rows, write_csv
    from storage.db import create_db_engine, session_scope
    from storage.migrate import upgrade

    engine = create_db_engine(settings.database_url)
    if settings.auto_migrate:
        upgrade(engine)
    with session_scope(engine) as session:
        rows = export_rows(session, args.team)
        if args.output in (None, "-"):
            count = write_csv(rows, sys.stdout)
        else:
            with open(args.output, "w", newline="", encoding="utf-8") as stream:
                count = write_csv(rows, stream)
    print(f"Exported {count} pair(s).", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Run a whole mentorship against the built-in Slack emulator and print what people saw.

    It builds its own settings (emulator URL, a temporary SQLite file), so it needs no
    tokens, no network and no .env, and never touches the configured database.
    """
    from devkit.demo import run_demo

    # Tandem's own log lines would interleave with the transcript; only real problems show.
    logging.getLogger().setLevel(logging.WARNING)
    run_demo()
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "serve": cmd_serve,
    "run-due": cmd_run_due,
    "db-upgrade": cmd_db_upgrade,
    "export": cmd_export,
}


def build_parser() -> argparse.ArgumentParser:
    """The command line, with a help line for every command."""
    parser = argparse.ArgumentParser(prog="tandem", description="Tandem keeps mentorships alive.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the bot (Socket Mode or HTTP)")
    serve.add_argument("--no-scheduler", action="store_true", help="do not run the minute tick")
    serve.add_argument("--host", default="0.0.0.0", help="HTTP address to bind (default 0.0.0.0)")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: PORT or 3000)")
    run_due = sub.add_parser("run-due", help="do all due scheduled work once and exit")
    run_due.add_argument(
        "--now",
        type=_parse_instant,
        default=None,
        help="act as if it were this ISO-8601 time (with a timezone)",
    )
    export = sub.add_parser("export", help="programme data as CSV (no private notes)")
    export.add_argument("--team", default=None, help="only this workspace (team id)")
    export.add_argument("--output", "-o", default=None, help="file to write (default: stdout)")
    sub.add_parser(
        "demo", help="run a whole mentorship offline against a built-in Slack, and show it"
    )
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tandem` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    name = args.command
    if name == "db":
        if args.db_command != "upgrade":
            parser.parse_args(["db", "--help"])
        name = "db-upgrade"
    if name is None:
        parser.print_help()
        return 2
    if name == "demo":  # no settings, no .env: the demo brings its own
        logging.basicConfig(level=logging.WARNING)
        return cmd_demo(args)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    load_dotenv(find_dotenv(usecwd=True), override=False)  # the .env where tandem is run
    drop_empty_settings(os.environ)
    try:
        settings = load_settings()
        return COMMANDS[name](args, settings)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    except OperationalError as error:
        print(
            "Tandem cannot use the database named by DATABASE_URL: "
            f"{str(error.orig or error).strip().splitlines()[0]}. Check that the server is running "
            "and the URL is right (see .env.example).",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 0
