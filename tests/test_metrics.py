"""`GET /metrics` as an operator's Prometheus sees it: after real traffic over signed HTTP,
parsed with prometheus-client's own parser; guarded by METRICS_TOKEN when set; never naming
a person, a pair or a text. And the alert rules shipped beside compose.yaml only ask about
metrics the app exposes."""

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from sqlmodel import select

from devkit.emulator import SlackEmulator, SocketModeDriver
from storage.models import OutboxMessage, Pair
from tests.support.harness import (
    ADMIN,
    MENTEE,
    MENTOR,
    OTHER_MENTEE,
    PEOPLE,
    TEAM_ID,
    Harness,
    running_tandem,
)
from tests.support.processes import free_port, tandem_process, wait_healthy
from tests.support.waits import CountedWaits
from tests.test_socket_mode import socket_mode_env

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_LABELS = {"team", "kind", "status", "method", "le"}


def metrics_url(harness: Harness) -> str:
    return harness.app_url.removesuffix("/slack/events") + "/metrics"


def fetch(url: str, method: str = "GET", token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def scrape(harness: Harness) -> tuple[str, list[Sample]]:
    status, text = fetch(metrics_url(harness))
    assert status == 200, text
    samples = [s for family in text_string_to_metric_families(text) for s in family.samples]
    return text, samples


def total(samples: list[Sample], name: str, **labels: str) -> float:
    return sum(
        s.value
        for s in samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


def test_a_scrape_after_real_traffic_counts_what_happened(
    tandem: Harness, emulator: SlackEmulator
) -> None:
    tandem.stop_delivery()  # the tick alone sends, so the faults below meet known posts
    tandem.ctx.retry_waits = waits = CountedWaits()  # quick retries without their sleep
    assert tandem.slack.command(MENTEE, "help").status == 200
    assert tandem.slack.command(ADMIN, f"pair <@{MENTOR}> <@{OTHER_MENTEE}>").status == 200
    # The two proposals meet a 429, then 503s beyond the quick retries (put back for
    # later), then a permanent error.
    emulator.fail_next("chat.postMessage", status=429, retry_after=1)
    emulator.fail_next("chat.postMessage", status=503, times=3)
    emulator.fail_next("chat.postMessage", status=200, error="channel_not_found")
    first = tandem.run_due()
    assert (first.delivery.rate_limited, first.delivery.failed) == (1, 1)
    second = tandem.run_due(tandem.clock.now() + timedelta(minutes=3))
    assert second.delivery.sent == 1
    assert waits.asked == [0, 1]  # the quick retries of the 503s

    _, samples = scrape(tandem)
    assert total(samples, "tandem_listener_ack_seconds_count", kind="command") == 2
    assert total(samples, "tandem_slow_acks_total") == 0
    posts = {"team": TEAM_ID, "method": "chat.postMessage"}
    assert total(samples, "tandem_slack_answers_total", status="429", **posts) == 1
    assert total(samples, "tandem_slack_answers_total", status="5xx", **posts) == 3
    assert total(samples, "tandem_slack_answers_total", status="channel_not_found", **posts) == 1
    assert total(samples, "tandem_slack_answers_total", status="ok", **posts) == 1
    assert total(samples, "tandem_outbox_sent_total", team=TEAM_ID) == 1
    assert total(samples, "tandem_outbox_failed_total", team=TEAM_ID) == 1
    assert total(samples, "tandem_outbox_retried_total", team=TEAM_ID) == 1
    assert total(samples, "tandem_tick_duration_seconds_count") == 2
    assert total(samples, "tandem_producer_failures_total") == 0
    assert total(samples, "tandem_outbox_messages", status="failed", team=TEAM_ID) == 1
    assert total(samples, "tandem_outbox_messages", status="pending") == 0
    # Nothing due waits: the oldest-waiting gauge has no workspace to speak of.
    assert total(samples, "tandem_outbox_oldest_waiting_seconds") == 0


def test_an_acknowledgement_near_slacks_deadline_is_counted(
    tandem: Harness, emulator: SlackEmulator
) -> None:
    # Slack answers slowly while a pairing looks both people up before it acknowledges.
    emulator.set_latency("users.info", 1.3)
    tandem.slack.command(ADMIN, f"pair <@{MENTOR}> <@{MENTEE}>")
    emulator.set_latency("users.info", 0)
    _, samples = scrape(tandem)
    assert total(samples, "tandem_slow_acks_total", kind="command") == 1
    assert total(samples, "tandem_listener_ack_seconds_bucket", kind="command", le="2.5") == 0


def test_the_oldest_waiting_message_ages_with_the_clock(tandem: Harness) -> None:
    tandem.stop_delivery()
    assert tandem.slack.command(ADMIN, f"pair <@{MENTOR}> <@{MENTEE}>").status == 200
    tandem.clock.advance(timedelta(minutes=15))
    _, samples = scrape(tandem)
    pending = total(samples, "tandem_outbox_messages", status="pending", team=TEAM_ID)
    assert pending >= 2  # both proposals, at least
    waited = total(samples, "tandem_outbox_oldest_waiting_seconds", team=TEAM_ID)
    assert waited == pytest.approx(15 * 60, abs=5)
    tandem.run_due()
    _, samples = scrape(tandem)
    assert total(samples, "tandem_outbox_oldest_waiting_seconds", team=TEAM_ID) == 0
    assert total(samples, "tandem_outbox_sent_total", team=TEAM_ID) == pending


def test_nothing_in_a_scrape_names_a_person_a_pair_or_a_text(
    tandem: Harness, emulator: SlackEmulator
) -> None:
    assert tandem.slack.command(ADMIN, f"pair <@{MENTOR}> <@{MENTEE}>").status == 200
    tandem.stop_delivery()
    assert tandem.slack.command(ADMIN, f"pair <@{MENTOR}> <@{OTHER_MENTEE}>").status == 200
    emulator.fail_next("chat.postMessage", status=200, error="user_not_found")
    tandem.run_due()
    text, samples = scrape(tandem)
    assert {name for s in samples for name in s.labels} <= ALLOWED_LABELS
    with tandem.session() as session:
        pair_ids = {str(pair.id) for pair in session.exec(select(Pair))}
        texts = {row.text for row in session.exec(select(OutboxMessage))}
    assert pair_ids and texts
    values = {value for s in samples for value in s.labels.values()}
    assert not values & (pair_ids | set(PEOPLE))
    for secret in [*PEOPLE, *texts, *(text for m in emulator.messages() for text in [m["text"]])]:
        assert secret not in text


@pytest.fixture
def guarded(database_url: str, emulator: SlackEmulator) -> Iterator[Harness]:
    yield from running_tandem(database_url, emulator, metrics_token="s3cret-metrics-token")


def test_metrics_token_guards_the_scrape(guarded: Harness) -> None:
    url = metrics_url(guarded)
    assert fetch(url)[0] == 401
    assert fetch(url, token="s3cret-metrics-tokeN")[0] == 401
    assert fetch(url, token="s3cret")[0] == 401
    status, text = fetch(url, token="s3cret-metrics-token")
    assert status == 200
    assert "tandem_outbox_messages" in text
    request = urllib.request.Request(url, headers={"Authorization": "Basic czNjcmV0"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
    assert refused.value.headers["WWW-Authenticate"].startswith("Bearer")


def test_metrics_answer_only_get(tandem: Harness) -> None:
    url = metrics_url(tandem)
    for method in ("POST", "PUT", "DELETE"):
        status, _ = fetch(url, method=method)
        assert status == 405
    assert fetch(url, method="HEAD") == (200, "")
    # Slack's own path does not serve the metrics, nor the metrics path Slack's requests.
    assert fetch(url + "/extra")[0] == 404


def test_socket_mode_serves_metrics_on_port_too(tmp_path: Path, emulator: SlackEmulator) -> None:
    port = free_port()
    env = {**socket_mode_env(tmp_path, emulator), "PORT": str(port), "METRICS_TOKEN": "t0ken"}
    with tandem_process(["serve"], tmp_path, env) as process:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        response = SocketModeDriver(emulator).command(MENTEE, "help")
        assert response.ok
        url = f"http://127.0.0.1:{port}/metrics"
        assert fetch(url)[0] == 401
        status, text = fetch(url, token="t0ken")
    assert status == 200
    samples = [s for family in text_string_to_metric_families(text) for s in family.samples]
    assert total(samples, "tandem_listener_ack_seconds_count", kind="command") == 1
    assert total(samples, "tandem_slack_answers_total", method="auth.test", status="ok") >= 1


def exposed_metric_names(text: str) -> set[str]:
    """Every name a PromQL expression may use for the families in `text`."""
    names = set()
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
        if family.type == "counter":
            names.add(family.name + "_total")
        if family.type == "histogram":
            names.update(family.name + suffix for suffix in ("_bucket", "_count", "_sum"))
    return names


def test_every_alert_rule_asks_about_a_metric_the_app_exposes(tandem: Harness) -> None:
    rules = yaml.safe_load((ROOT / "prometheus-alerts.yml").read_text())
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    names = {rule["alert"] for rule in alerts}
    assert len(names) == len(alerts) >= 4
    text, _ = scrape(tandem)
    exposed = exposed_metric_names(text)
    for rule in alerts:
        used = set(re.findall(r"\btandem_[a-z_]+", rule["expr"]))
        assert used, rule["alert"]
        assert used <= exposed, (rule["alert"], used - exposed)
        assert rule["annotations"]["summary"] and rule["labels"]["severity"]
