"""monitor.alerts end to end: rules pick edits, apprise posts them to a local webhook receiver on
127.0.0.1, the alerts table records what was sent, rate limits hold messages back, failures are
retried later and never raise."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor import store
from monitor.alerts import (
    mask_secrets,
    plan_messages,
    retry_delay,
    rule_matches,
    send_pending_alerts,
    url_secrets,
)
from monitor.cli import cli
from monitor.config import Config, Rule, load_config
from monitor.daemon import Daemon, DaemonConfig
from tests.loopback import LoopbackHTTPServer, closed_port, serve_in_thread
from tests.test_serve import HOSTILE_URL, NOW, REMOVED_URL, REVERTED_URL, build_newsroom


class Receiver:
    """A webhook endpoint on loopback that records every POST and answers `status`."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if receiver.status == 200:
                    receiver.posts.append({"path": self.path, **json.loads(body)})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                del args

        self.server = LoopbackHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]

    def url(self, path: str = "/hook") -> str:
        return f"json://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Receiver:
        serve_in_thread(self.server)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return build_newsroom(tmp_path / "redline.db").path


def make_config(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> Config:
    path = tmp_path / "redline.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env or {})


def simple_config(
    tmp_path: Path, receiver: Receiver, rules: str = "[[alerts.rules]]\n", extra: str = ""
) -> Config:
    return make_config(
        tmp_path,
        f"""
[serve]
public_url = "https://redline.example.org"
[alerts]
retry_after = "5m"
max_attempts = 3
{extra}
[[alerts.targets]]
name = "newsroom"
url = "{receiver.url()}"
{rules}
""",
    )


def alerts(db_path: Path) -> list[dict[str, Any]]:
    db = store.open_db(db_path)
    try:
        return list(db.query("select * from alerts order by id"))
    finally:
        db.close()


def send(db_path: Path, config: Config, now: datetime = NOW, **options: Any) -> Any:
    db = store.open_db(db_path)
    try:
        return send_pending_alerts(db, config, now, **options)
    finally:
        db.close()


# --- end to end ----------------------------------------------------------------------------
def test_matching_edits_reach_the_webhook_with_old_new_and_links(tmp_path, receiver, db_path):
    config = simple_config(
        tmp_path,
        receiver,
        """
[[alerts.rules]]
name = "names and figures"
kinds = ["name", "number"]
""",
    )
    report = send(db_path, config)
    assert (report.queued, report.sent, report.failed) == (1, 1, 0)
    [post] = receiver.posts
    assert post["path"] == "/hook"
    body = post["message"]
    assert "old: Neimann-Ortiz" in body and "new: Neumann-Ortiz" in body
    assert "old: 12" in body and "new: 15" in body
    assert HOSTILE_URL in body
    assert "Diff: https://redline.example.org/-/redline/diff/1" in body
    assert "quote" not in body.split("\n\n", 1)[1]  # only the edits the rule matched
    assert post["title"].startswith("name corrected; figure updated: Council narrowly")
    [row] = alerts(db_path)
    assert (row["status"], row["target"], row["rules"], row["attempts"]) == (
        "sent",
        "newsroom",
        "names and figures",
        1,
    )
    assert row["body"] == body  # the message exactly as sent is on record


def test_a_second_round_sends_nothing_again(tmp_path, receiver, db_path) -> None:
    config = simple_config(tmp_path, receiver)
    first = send(db_path, config)
    second = send(db_path, config, NOW + timedelta(minutes=1))
    assert first.sent == 4 and (second.queued, second.sent) == (0, 0)
    assert len(receiver.posts) == 4


def test_one_message_per_change_and_target(tmp_path, receiver, db_path) -> None:
    with Receiver() as other:
        config = make_config(
            tmp_path,
            f"""
[[alerts.targets]]
name = "a"
url = "{receiver.url("/a")}"
[[alerts.targets]]
name = "b"
url = "{other.url("/b")}"
[[alerts.rules]]
name = "lifecycle"
kinds = ["removed", "reverted"]
targets = ["b"]
[[alerts.rules]]
name = "quotes"
kinds = ["quote"]
""",
        )
        report = send(db_path, config)
        assert report.sent == 4  # a: the quote change; b: it and the two lifecycle changes
        assert [p["path"] for p in receiver.posts] == ["/a"]
        assert [p["path"] for p in other.posts] == ["/b", "/b", "/b"]
        bodies = " ".join(p["message"] for p in other.posts)
        assert REMOVED_URL in bodies and REVERTED_URL in bodies


def test_hostile_text_is_sent_as_plain_text(tmp_path, receiver, db_path) -> None:
    config = simple_config(tmp_path, receiver, '[[alerts.rules]]\nkinds = ["headline"]\n')
    send(db_path, config)
    [post] = receiver.posts
    assert "<script>document.title" in post["message"]  # as text, in a JSON string
    assert post["type"] == "info"


def test_secrets_in_target_urls_are_never_stored(tmp_path, receiver, db_path) -> None:
    config = make_config(
        tmp_path,
        """
[[alerts.targets]]
name = "desk"
url_env = "DESK_URL"
[[alerts.rules]]
""",
        {"DESK_URL": receiver.url("/hook?token=s3cret")},
    )
    receiver.status = 500
    send(db_path, config)
    dump = json.dumps(alerts(db_path))
    assert "s3cret" not in dump and str(receiver.port) not in dump


# --- rate limit, failures, retries ---------------------------------------------------------
def test_rate_limit_holds_messages_back_until_the_window_moves(tmp_path, receiver, db_path):
    config = simple_config(tmp_path, receiver, extra='rate_limit = 2\nrate_window = "1h"\n')
    first = send(db_path, config)
    assert (first.queued, first.sent, first.waiting) == (4, 2, 2)
    assert [row["status"] for row in alerts(db_path)] == ["sent", "sent", "pending", "pending"]
    later = send(db_path, config, NOW + timedelta(minutes=30))
    assert (later.sent, later.waiting) == (0, 2)
    after_window = send(db_path, config, NOW + timedelta(minutes=61))
    assert (after_window.sent, after_window.waiting) == (2, 0)
    assert [row["status"] for row in alerts(db_path)] == ["sent"] * 4


def test_a_target_rate_limit_overrides_the_default(tmp_path, receiver, db_path) -> None:
    config = make_config(
        tmp_path,
        f"""
[alerts]
rate_limit = 100
[[alerts.targets]]
name = "slow"
url = "{receiver.url()}"
rate_limit = 1
rate_window = "1d"
[[alerts.rules]]
""",
    )
    assert send(db_path, config).sent == 1
    assert send(db_path, config, NOW + timedelta(hours=23)).sent == 0


def test_a_failing_target_is_retried_later_with_backoff(tmp_path, receiver, db_path) -> None:
    config = simple_config(tmp_path, receiver, '[[alerts.rules]]\nkinds = ["name"]\n')
    receiver.status = 500
    failed = send(db_path, config)
    assert (failed.sent, failed.failed, failed.gave_up) == (0, 1, 0)
    [row] = alerts(db_path)
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "500" in row["error"]
    assert row["next_attempt_at"] == store.stamp(NOW + timedelta(minutes=5))
    receiver.status = 200
    assert send(db_path, config, NOW + timedelta(minutes=4)).sent == 0  # not due yet
    assert send(db_path, config, NOW + timedelta(minutes=5)).sent == 1
    [row] = alerts(db_path)
    assert (row["status"], row["attempts"], row["error"]) == ("sent", 2, None)
    assert len(receiver.posts) == 1


def test_after_max_attempts_the_message_is_given_up(tmp_path, receiver, db_path) -> None:
    config = simple_config(tmp_path, receiver, '[[alerts.rules]]\nkinds = ["name"]\n')
    receiver.status = 503
    moment = NOW
    for attempt in range(1, 4):
        report = send(db_path, config, moment)
        assert report.failed == 1
        moment += retry_delay(config, attempt)
    assert report.gave_up == 1
    [row] = alerts(db_path)
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("failed", 3, None)
    assert send(db_path, config, moment + timedelta(days=2)).sent == 0


def test_a_failing_target_does_not_stop_the_others(tmp_path, receiver, db_path) -> None:
    with Receiver() as broken:
        broken.status = 500
        config = make_config(
            tmp_path,
            f"""
[[alerts.targets]]
name = "broken"
url = "{broken.url()}"
[[alerts.targets]]
name = "fine"
url = "{receiver.url()}"
[[alerts.rules]]
""",
        )
        report = send(db_path, config)
    assert report.sent == 4 and report.failed == 1 and report.waiting == 3
    broken_rows = [r for r in alerts(db_path) if r["target"] == "broken"]
    # The broken target's other messages wait as long as the failed one, without an attempt.
    assert {r["next_attempt_at"] for r in broken_rows} == {store.stamp(NOW + timedelta(minutes=5))}
    assert sorted(r["attempts"] for r in broken_rows) == [0, 0, 0, 1]


def test_an_unreachable_target_is_a_logged_failure(tmp_path, db_path, caplog) -> None:
    with closed_port() as port:  # connection refused
        url = f"json://127.0.0.1:{port}/hook"
        config = make_config(
            tmp_path, f'[[alerts.targets]]\nname = "gone"\nurl = "{url}"\n[[alerts.rules]]\n'
        )
        report = send(db_path, config)
    assert report.failed == 1 and report.sent == 0
    assert "alert 1 to gone failed (attempt 1)" in caplog.text


def test_backoff_doubles_and_is_capped() -> None:
    config = load_config(None, {"REDLINE_ALERTS_RETRY_AFTER": "5m"})
    assert [retry_delay(config, n) for n in (1, 2, 3)] == [
        timedelta(minutes=5),
        timedelta(minutes=10),
        timedelta(minutes=20),
    ]
    assert retry_delay(config, 40) == timedelta(days=1)


def test_old_edits_are_never_alerted(tmp_path, receiver, db_path) -> None:
    config = simple_config(tmp_path, receiver, extra='max_age = "1h"\n')
    report = send(db_path, config, NOW + timedelta(hours=2))
    assert (report.queued, report.sent) == (0, 0)


def test_no_targets_or_no_rules_is_quietly_nothing(tmp_path, receiver, db_path) -> None:
    no_rules = simple_config(tmp_path, receiver, rules="")
    assert send(db_path, no_rules).queued == 0
    assert send(db_path, load_config(None, {})).queued == 0
    assert alerts(db_path) == []


# --- rules (pure) --------------------------------------------------------------------------
EDIT = {"kind": "quote", "site": "www.example.com", "score": 0.85, "stealth": 1}


@pytest.mark.parametrize(
    ("rule", "edit", "expected"),
    [
        (Rule("any"), EDIT, True),
        (Rule("any"), EDIT | {"score": 0.15}, False),
        (Rule("low", min_score=0.1), EDIT | {"score": 0.15}, True),
        (Rule("kinds", kinds=frozenset({"name"})), EDIT, False),
        (Rule("kinds", kinds=frozenset({"quote", "name"})), EDIT, True),
        (
            Rule("site", sites=frozenset({"www.example.com"})),
            EDIT | {"site": "WWW.example.com"},
            True,
        ),
        (Rule("site", sites=frozenset({"other.example"})), EDIT, False),
        (Rule("stealth", stealth_only=True), EDIT, True),
        (Rule("stealth", stealth_only=True), EDIT | {"stealth": 0}, False),
    ],
)
def test_rule_matches(rule: Rule, edit: dict[str, Any], expected: bool) -> None:
    assert rule_matches(rule, edit) is expected


def test_dry_run_plans_without_writing_or_sending(tmp_path, receiver, db_path) -> None:
    config = simple_config(tmp_path, receiver)
    report = send(db_path, config, dry_run=True)
    assert len(report.planned) == 4 and report.sent == 0
    assert alerts(db_path) == [] and receiver.posts == []


def test_plan_skips_what_is_already_queued(tmp_path, receiver, db_path) -> None:
    config = simple_config(tmp_path, receiver)
    db = store.open_db(db_path)
    edits = list(db.query("select * from edit_feed"))
    db.close()
    planned = plan_messages(config, edits, set())
    assert [m.change_id for m in planned] == [1, 2, 3, 4]
    assert [m.change_id for m in plan_messages(config, edits, {(1, "newsroom")})] == [2, 3, 4]
    cut = plan_messages(replace(config, serve=replace(config.serve, public_url="")), edits, set())
    assert "Diff:" not in cut[0].body


# --- command and daemon --------------------------------------------------------------------
def test_alerts_command_sends_and_reports(tmp_path, receiver, db_path) -> None:
    config_file = tmp_path / "alerts.toml"
    config_file.write_text(
        f'[[alerts.targets]]\nname = "n"\nurl = "{receiver.url()}"\n'
        '[[alerts.rules]]\nkinds = ["name"]\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    base = ["--db", str(db_path), "--config", str(config_file), "alerts"]
    dry = runner.invoke(cli, [*base, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would queue  change 1 → n [rule 1]" in dry.output
    result = runner.invoke(cli, base)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "alerts: 1 queued, 1 sent, 0 failed, 0 given up, 0 waiting"
    test = runner.invoke(cli, [*base, "--test"])
    assert test.exit_code == 0 and "n: ok" in test.output
    assert receiver.posts[-1]["title"] == "Redline test message"


def test_alerts_command_without_targets_is_one_line(tmp_path, db_path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "alerts"], env={"REDLINE_CONFIG": ""})
    assert result.exit_code == 1 and result.output.startswith("Error: no alert targets")


def test_alerts_command_rejects_an_unknown_scheme(tmp_path, db_path) -> None:
    config_file = tmp_path / "alerts.toml"
    config_file.write_text(
        '[[alerts.targets]]\nname = "n"\nurl = "nosuch://x?token=s3cret"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--config", str(config_file), "alerts"])
    assert result.exit_code == 1 and "apprise does not understand" in result.output
    assert "s3cret" not in result.output


def test_the_daemon_alerts_job_sends_and_survives_a_bad_file(
    tmp_path, receiver, db_path, caplog
) -> None:
    config_file = tmp_path / "alerts.toml"
    config_file.write_text(
        f'[[alerts.targets]]\nname = "n"\nurl = "{receiver.url()}"\n[[alerts.rules]]\n',
        encoding="utf-8",
    )
    daemon = Daemon(DaemonConfig(db_path=db_path, config_path=config_file))
    daemon.alerts_round()
    assert len(receiver.posts) == 4
    config_file.write_text("[alerts\n", encoding="utf-8")
    daemon.alerts_round()  # logged, not raised: the daemon carries on
    assert "alerts round failed" in caplog.text


def test_alert_times_use_utc_stamps(tmp_path, receiver, db_path) -> None:
    send(db_path, simple_config(tmp_path, receiver))
    row = alerts(db_path)[0]
    assert datetime.fromisoformat(row["sent_at"]).tzinfo == UTC


# --- digests -----------------------------------------------------------------------------------
def digests(db_path: Path) -> list[dict[str, Any]]:
    db = store.open_db(db_path)
    try:
        return list(db.query("select * from digests order by id"))
    finally:
        db.close()


# Digests cover whole UTC days, so their tests build the newsroom at a fixed noon: its edits (two
# hours before it and at it) then fall on one day whatever the time the suite runs. Built at the
# real time, within two hours after midnight UTC its earlier edits fell on the day before (CI
# run 3 of session 9, at 00:20 UTC).
NOON = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def noon_db(tmp_path: Path) -> Path:
    return build_newsroom(tmp_path / "redline.db", NOON).path


def test_a_daily_digest_groups_the_days_significant_edits_by_site(tmp_path, receiver, noon_db):
    config = simple_config(tmp_path, receiver, extra='digest_every = "1d"')
    next_day = NOON + timedelta(days=1)
    send(noon_db, config, NOON)  # the per-change alerts of the day
    per_change = len(receiver.posts)
    report = send(noon_db, config, next_day)
    assert report.digests == 1
    [digest] = receiver.posts[per_change:]
    db = store.open_db(noon_db)
    try:
        start = datetime(NOON.year, NOON.month, NOON.day, tzinfo=UTC)
        expected = list(
            db.query(
                "select * from edit_feed where significant = 1 and detected_at >= ? "
                "and detected_at < ?",
                [store.stamp(start), store.stamp(start + timedelta(days=1))],
            )
        )
    finally:
        db.close()
    assert expected, "the test newsroom has significant edits on its day"
    assert digest["title"].startswith(f"Redline digest: {len(expected)} significant edit(s)")
    for site in {row["site"] for row in expected}:
        assert f"\n{site} (" in digest["message"]
    for row in expected:
        assert f"/-/redline/diff/{row['change_id']}" in digest["message"]
    [row] = digests(noon_db)
    assert row["period_start"] == store.stamp(start)
    assert (row["status"], row["edit_count"], row["target"]) == ("sent", len(expected), "newsroom")


def test_a_digest_is_sent_once_per_period(tmp_path, receiver, noon_db) -> None:
    config = simple_config(tmp_path, receiver, extra='digest_every = "1d"')
    next_day = NOON + timedelta(days=1)
    first = send(noon_db, config, next_day)
    again = send(noon_db, config, next_day + timedelta(hours=1))
    assert (first.digests, again.digests) == (1, 0)
    assert len(digests(noon_db)) == 1


def test_a_failed_digest_is_sent_at_a_later_round(tmp_path, receiver, noon_db) -> None:
    config = simple_config(tmp_path, receiver, extra='digest_every = "1d"')
    next_day = NOON + timedelta(days=1)
    receiver.status = 500
    failed = send(noon_db, config, next_day)
    assert failed.digests == 0 and digests(noon_db)[0]["status"] == "pending"
    receiver.status = 200
    later = send(noon_db, config, next_day + timedelta(minutes=1))
    assert later.digests == 1 and digests(noon_db)[0]["status"] == "sent"


def test_no_digest_without_the_option_or_without_matching_edits(tmp_path, receiver, noon_db):
    plain = simple_config(tmp_path, receiver)
    assert send(noon_db, plain, NOON + timedelta(days=1)).digests == 0
    quiet = simple_config(
        tmp_path, receiver, '[[alerts.rules]]\nkinds = ["byline"]\n', extra='digest_every = "1d"'
    )
    assert send(noon_db, quiet, NOON + timedelta(days=1)).digests == 0
    assert digests(noon_db) == []


def test_a_dry_run_shows_the_digest_it_would_queue_and_writes_nothing(
    tmp_path, receiver, noon_db
) -> None:
    config = simple_config(tmp_path, receiver, extra='digest_every = "1d"')
    next_day = NOON + timedelta(days=1)
    dry = send(noon_db, config, next_day, dry_run=True)
    [planned] = dry.planned_digests
    assert planned["target"] == "newsroom" and planned["edit_count"] >= 1
    assert planned["title"].startswith("Redline digest:")
    assert digests(noon_db) == [] and receiver.posts == []
    receiver.status = 500  # queued but not delivered: the next dry run lists it as pending
    send(noon_db, config, next_day)
    again = send(noon_db, config, next_day, dry_run=True)
    assert again.planned_digests == []
    assert [row["title"] for row in again.pending_digests] == [planned["title"]]


# --- apprise's own logging, masked ---------------------------------------------------------
LEAKY = "nosuchscheme://SECRETUSER:SECRETPASS@host.example/SECRETTOKEN123?key=SECRETKEY42"
SECRETS = ("SECRETUSER", "SECRETPASS", "SECRETTOKEN123", "SECRETKEY42")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"Unparseable URL {LEAKY}.", "Unparseable URL nosuchscheme://…"),
        (
            "Unparseable URL nosuchscheme://SECRETUSER:S...S@host/x",
            "Unparseable URL nosuchscheme://…",
        ),
        ("token SECRETTOKEN123 refused", "token … refused"),  # a secret outside a URL
        ("sent 3 messages", "sent 3 messages"),
    ],
)
def test_urls_and_target_secrets_are_masked(text: str, masked: str) -> None:
    assert mask_secrets(text, url_secrets(LEAKY)) == masked


def test_redline_alerts_never_prints_a_targets_secret_whatever_apprise_logs(
    tmp_path: Path, db_path: Path
) -> None:
    """The real CLI, as a user runs it (logging configured by its entry point, `-v`)."""
    config = tmp_path / "redline.toml"
    config.write_text(f'[[alerts.targets]]\nname = "leaky"\nurl = "{LEAKY}"\n[[alerts.rules]]\n')
    redline = [sys.executable, "-m", "monitor", "-v", "--db", str(db_path), "--config", str(config)]
    for command in (["alerts"], ["alerts", "--dry-run"], ["config"]):
        result = subprocess.run(
            [*redline, *command],
            capture_output=True,
            text=True,
            timeout=120,
        )
        output = result.stdout + result.stderr
        assert not [s for s in SECRETS if s in output], output
        if command[0] == "alerts":
            assert "nosuchscheme://…" in output  # apprise did log it: masked


def test_the_daemons_sends_never_log_a_targets_secret(
    tmp_path: Path, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """What the daemon's job runs (`send_pending_alerts`), with every log record captured."""
    config = make_config(
        tmp_path, f'[[alerts.targets]]\nname = "leaky"\nurl = "{LEAKY}"\n[[alerts.rules]]\n'
    )
    with caplog.at_level(logging.DEBUG):
        report = send(db_path, config)
    assert report.failed >= 1
    assert "Unparseable URL" in caplog.text  # apprise spoke, masked
    stored = json.dumps(alerts(db_path))
    assert not [s for s in SECRETS if s in caplog.text or s in stored], caplog.text
