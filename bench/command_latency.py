"""How fast `/tandem help` is answered over signed HTTP, against a bare Bolt app on the same stack.

Both run under waitress through Bolt's WSGI adapter; the bare app has one listener that acks a
fixed text. Compares Bolt's default (listener on a worker thread, ack polled every 10 ms)
with process_before_response=True (listener on the request thread).
"""

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bench.common import (
    LATENCY_HEADER,
    SECRET,
    TOKEN,
    Latency,
    emulator,
    running_tandem,
    sqlite_url,
    timed,
)
from bot.core.context import Tandem
from bot.web import BackgroundServer
from devkit.emulator import SlackDriver

CALLS = 400


def bare_app(slack_url: str, process_before_response: bool) -> App:
    """The smallest Bolt app that answers /tandem help."""
    app = App(
        signing_secret=SECRET,
        client=WebClient(token=TOKEN, base_url=slack_url),
        token_verification_enabled=False,
        process_before_response=process_before_response,
    )

    def answer(ack: Ack) -> None:
        ack(text="help", response_type="ephemeral")

    app.command("/tandem")(answer)
    return app


def run() -> list[Latency]:
    """Every variant, sequential and with 8 concurrent clients."""
    results = []
    with emulator() as slack, sqlite_url() as url:
        slack.add_user("UBENCH1", "bench", tz="Europe/Berlin")
        for before in (False, True):
            app = bare_app(slack.url, before)
            server = BackgroundServer(SlackRequestHandler(app)).start()
            driver = SlackDriver(server.url, SECRET, slack)
            label = f"bare Bolt, process_before_response={before}"
            driver.command("UBENCH1", "help")  # warm up
            results.append(
                timed(f"{label}, 1 client", CALLS, 1, lambda d=driver: d.command("UBENCH1", "help"))
            )
            results.append(
                timed(
                    f"{label}, 8 clients", CALLS, 8, lambda d=driver: d.command("UBENCH1", "help")
                )
            )
            server.stop()
        with running_tandem(url, slack) as (ctx, events_url):
            assert isinstance(ctx, Tandem)
            driver = SlackDriver(events_url, SECRET, slack)
            driver.command("UBENCH1", "help")
            results.append(
                timed(
                    "Tandem /tandem help, 1 client",
                    CALLS,
                    1,
                    lambda: driver.command("UBENCH1", "help"),
                )
            )
            results.append(
                timed(
                    "Tandem /tandem help, 8 clients",
                    CALLS,
                    8,
                    lambda: driver.command("UBENCH1", "help"),
                )
            )
    return results


def main() -> None:
    """Print the table and how to reproduce it."""
    print("## Slash command latency (signed HTTP, waitress, SQLite)\n")
    print(LATENCY_HEADER)
    for result in run():
        print(result.row())
    print("\nReproduce: .venv/bin/python -m bench command_latency\n")


if __name__ == "__main__":
    main()
