"""Alerts: tell people about the edits they care about, through apprise (webhooks, e-mail, Slack,
Matrix, ntfy...), with each edit's old and new text and a link.

Rules (kinds, sites, minimum score, stealth only) pick edits; each change with matching edits
becomes one message per target, recorded in the `alerts` table before it is sent (so nothing is
sent twice, and what was sent is on record). Sending is rate-limited per target (at most
`rate_limit` messages per `rate_window`; the rest wait their turn, oldest first). A failed send is
logged and retried after `retry_after`, doubled after each further failure, until `max_attempts`;
a target that fails is left alone for the rest of the round. Nothing here runs inside a crawl: the
daemon runs `send_pending_alerts` as its own job, so a slow or broken target never delays one.

Target URLs carry secrets: the table records target names only, and errors are stored without URL.
apprise itself logs URLs (`Unparseable URL …` with the user, token and path, only the password
half-masked): before Redline hands it a URL, `mask_apprise_logs` puts a filter on apprise's logger
that writes every URL as `scheme://…` and masks every part of a target's URL that may be a
secret, whatever apprise writes, in the terminal, the daemon's log and the errors stored.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from sqlite_utils import Database

from monitor import store
from monitor.compare.edit import Edit, summarize
from monitor.compare.snippet import make_snippet, marked
from monitor.config import Config, Rule, Target
from monitor.errors import RedlineError
from monitor.store import alert_queue
from monitor.store.sitememory import held_after_change

logger = logging.getLogger(__name__)

# A message being sent is invisible to other senders (a manual `redline alerts` beside the
# daemon) for this long; a crash mid-send makes it due again after that.
CLAIM = timedelta(minutes=5)
# Retries back off exponentially up to this.
MAX_BACKOFF = timedelta(days=1)
# One message lists at most this many edits ("and 12 more edits": the diff page has them all).
MAX_EDITS_PER_MESSAGE = 15
# Old and new texts longer than this are cut in a message (a rewritten paragraph can be huge).
TEXT_CHARS = 700
# Stored error messages are cut to this.
ERROR_CHARS = 300


class AlertSendError(RedlineError):
    """A target refused a message or did not answer in time."""


@dataclass(frozen=True)
class Message:
    """One change's matching edits for one target."""

    change_id: int
    target: str
    rules: tuple[str, ...]
    edit_ids: tuple[int, ...]
    title: str
    body: str


@dataclass
class AlertReport:
    queued: int = 0
    sent: int = 0
    failed: int = 0  # failed sends this round (retried later unless given up)
    gave_up: int = 0
    waiting: int = 0  # due but held back by a rate limit or a failing target
    digests: int = 0  # digest messages sent
    planned: list[Message] = field(default_factory=list)  # --dry-run: what would be queued
    pending: list[dict[str, Any]] = field(default_factory=list)  # --dry-run: what is queued
    planned_digests: list[dict[str, Any]] = field(default_factory=list)  # --dry-run
    pending_digests: list[dict[str, Any]] = field(default_factory=list)  # --dry-run: unsent

    def line(self) -> str:
        return (
            f"alerts: {self.queued} queued, {self.sent} sent, {self.failed} failed, "
            f"{self.gave_up} given up, {self.waiting} waiting"
            + (f", {self.digests} digest(s) sent" if self.digests else "")
        )


# --- choosing and writing messages (pure) --------------------------------------------------
def rule_matches(rule: Rule, edit: dict[str, Any]) -> bool:
    """True when `edit` (a row of the `edit_feed` view) is what `rule` asks for."""
    return (
        float(edit["score"] or 0) >= rule.min_score
        and (not rule.kinds or edit["kind"] in rule.kinds)
        and (not rule.sites or str(edit["site"]).lower() in rule.sites)
        and (not rule.stealth_only or bool(edit["stealth"]))
    )


def _clip(text: str, limit: int = TEXT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compose_message(edits: Sequence[dict[str, Any]], public_url: str = "") -> tuple[str, str]:
    """Title and plain-text body for one change's matching edits (rows of `edit_feed`)."""
    first = edits[0]
    headline = first["headline"] or first["url"]
    matched = summarize(
        Edit(
            kind=e["kind"],
            field=e["field"],
            score=float(e["score"] or 0),
            significant=bool(e["significant"]),
        )
        for e in edits
    )
    title = _clip(f"{matched}: {headline}", 250)
    lines = [
        headline,
        first["url"],
        f"{first['site']} · detected {first['detected_at']} · {first['summary']}"
        + (" · no correction note" if first["stealth"] else ""),
    ]
    if public_url:
        lines.append(f"Diff: {public_url.rstrip('/')}/-/redline/diff/{first['change_id']}")
        if first.get("article_id") is not None:
            lines.append(
                f"Article: {public_url.rstrip('/')}/-/redline/article/{first['article_id']}"
            )
    for edit in edits[:MAX_EDITS_PER_MESSAGE]:
        lines.append("")
        lines.append(f"{edit['kind']} ({edit['field']}, score {float(edit['score'] or 0):.2f})")
        old, new = edit["old"] or "", edit["new"] or ""
        if old and new:
            lines.append(f"  old: {_clip(old)}")
            lines.append(f"  new: {_clip(new)}")
        else:  # which quotation or sentence: a few words around the piece added or removed
            snippet = make_snippet(old, new, edit["old_sentence"] or "", edit["new_sentence"] or "")
            lines.append(f"  {'added' if new else 'removed'}: {marked(snippet)}")
        sentence = edit["new_sentence"] or edit["old_sentence"] or ""
        if sentence and sentence not in (old, new):
            lines.append(f"  in: {_clip(sentence)}")
    if len(edits) > MAX_EDITS_PER_MESSAGE:
        lines.append("")
        lines.append(f"… and {len(edits) - MAX_EDITS_PER_MESSAGE} more edits")
    return title, "\n".join(lines)


def plan_messages(
    config: Config, edits: Iterable[dict[str, Any]], existing: set[tuple[int, str]]
) -> list[Message]:
    """The messages the rules ask for that are not yet in the `alerts` table, oldest first.
    `edits` are rows of `edit_feed`; `existing` the (change_id, target) pairs already queued."""
    by_change: dict[int, list[dict[str, Any]]] = {}
    for edit in edits:
        by_change.setdefault(int(edit["change_id"]), []).append(edit)
    messages = []
    for change_id in sorted(by_change):
        change_edits = by_change[change_id]
        for target in config.alerts.targets:
            if (change_id, target.name) in existing:
                continue
            matched: list[dict[str, Any]] = []
            rule_names: list[str] = []
            for rule in config.alerts.rules_for(target):
                hits = [e for e in change_edits if rule_matches(rule, e)]
                if hits:
                    rule_names.append(rule.name)
                    matched.extend(e for e in hits if e not in matched)
            if not matched:
                continue
            matched.sort(key=lambda e: int(e["edit_id"]))
            title, body = compose_message(matched, config.serve.public_url)
            messages.append(
                Message(
                    change_id,
                    target.name,
                    tuple(rule_names),
                    tuple(int(e["edit_id"]) for e in matched),
                    title,
                    body,
                )
            )
    return messages


# --- digests (pure) ---------------------------------------------------------------------------
def digest_period(now: datetime, every: timedelta) -> tuple[datetime, datetime]:
    """The last whole period before `now`: periods are aligned on the Unix epoch in UTC, so a
    daily digest covers midnight to midnight UTC."""
    step = every.total_seconds()
    end_seconds = (now.timestamp() // step) * step
    end = datetime.fromtimestamp(end_seconds, tz=UTC)
    return end - every, end


def compose_digest(
    edits: Sequence[dict[str, Any]], start: datetime, end: datetime, public_url: str = ""
) -> tuple[str, str]:
    """Title and plain-text body of a digest: the period's matching edits (rows of `edit_feed`),
    one line per changed article, grouped by site (the site with most edits first)."""
    by_site: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for edit in edits:
        by_site.setdefault(edit["site"], {}).setdefault(int(edit["change_id"]), []).append(edit)
    period = f"{start:%Y-%m-%d %H:%M} → {end:%Y-%m-%d %H:%M} UTC"
    changes = sum(len(c) for c in by_site.values())
    title = (
        f"Redline digest: {len(edits)} significant edit(s) in {changes} change(s) on "
        f"{len(by_site)} site(s), {period}"
    )
    lines = [title]
    ordered = sorted(by_site.items(), key=lambda item: (-sum(map(len, item[1].values())), item[0]))
    for site, site_changes in ordered:
        lines += ["", f"{site} ({sum(map(len, site_changes.values()))} edit(s))"]
        for change_id, change_edits in sorted(site_changes.items()):
            first = change_edits[0]
            lines.append(f"- {_clip(first['headline'] or first['url'], 120)}: {first['summary']}")
            lines.append(f"  {first['url']}")
            if public_url:
                lines.append(f"  {public_url.rstrip('/')}/-/redline/diff/{change_id}")
    return _clip(title, 250), "\n".join(lines)


def retry_delay(config: Config, attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed send."""
    delay = config.alerts.retry_after * (1 << min(max(0, attempts - 1), 20))
    return min(delay, MAX_BACKOFF)


# --- apprise's logging, masked -------------------------------------------------------------
# A URL in a message: a scheme and everything up to a space, a quote or an angle bracket.
URL_IN_TEXT = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]{0,31})://[^\s'\"<>]*")
# The one logger every apprise module writes to (its `logger.LOGGER_NAME`).
APPRISE_LOGGER = "apprise"
# Parts of a target URL shorter than this are not masked on their own (`json`, `v1`, a port):
# a secret (a password, a token, a webhook key) is longer.
MIN_SECRET_CHARS = 6


def url_secrets(url: str) -> frozenset[str]:
    """The parts of a target URL that may be secret: user, password, host, path segments and
    query values (MIN_SECRET_CHARS or longer), as written and decoded."""
    try:
        parts = urlsplit(url)
        userinfo = [parts.username or "", parts.password or "", parts.hostname or ""]
        pieces = [*userinfo, *parts.path.split("/")]
        pieces += [value for _, value in parse_qsl(parts.query)]
    except ValueError:
        pieces = url.split("/")
    found = {p for p in pieces if p} | {unquote(p) for p in pieces if p}
    return frozenset(p for p in found if len(p) >= MIN_SECRET_CHARS)


def mask_secrets(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every URL as `scheme://…` and every secret replaced by `…`."""
    text = URL_IN_TEXT.sub(lambda match: f"{match[1]}://…", text)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "…")
    return text


class _MaskedURLs(logging.Filter):
    """On apprise's logger: each record's message with its URLs and secrets masked."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message, self.secrets)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def mask_apprise_logs(targets: Iterable[Target]) -> None:
    """Mask the targets' URLs (and any URL) in whatever apprise logs, from now on in this
    process. Called before any URL is handed to apprise."""
    apprise_logger = logging.getLogger(APPRISE_LOGGER)
    masked = next((f for f in apprise_logger.filters if isinstance(f, _MaskedURLs)), None)
    if masked is None:
        masked = _MaskedURLs()
        apprise_logger.addFilter(masked)
    for target in targets:
        masked.secrets |= url_secrets(target.url)


# --- sending (the network) -----------------------------------------------------------------
def deliver(target: Target, title: str, body: str, timeout: timedelta) -> None:
    """Send one message to one target through apprise; AlertSendError says why it failed."""
    import apprise

    mask_apprise_logs([target])

    asset = apprise.AppriseAsset(
        app_id="Redline", app_desc="Redline news edit monitor", storage_mode="memory"
    )
    notifier = apprise.Apprise(asset=asset)
    if not notifier.add(target.url):
        raise AlertSendError(
            f"apprise does not understand the URL of target {target.name!r} "
            f"(scheme {target.scheme}://)"
        )
    result = notifier.notify(
        title=title,
        body=body,
        body_format=apprise.NotifyFormat.TEXT,
        timeout=timeout.total_seconds(),
    )
    if result:
        return
    reasons = [
        getattr(entry, "message", str(entry))
        for entry in result.logs()
        if getattr(entry, "level", "") in ("WARNING", "ERROR", 30, 40)
    ]
    raise AlertSendError("; ".join(reasons) or f"target {target.name!r} refused the message")


def check_targets(config: Config) -> None:
    """Fail now, with one line, on a target URL apprise cannot use."""
    import apprise

    mask_apprise_logs(config.alerts.targets)
    for target in config.alerts.targets:
        if not apprise.Apprise().add(target.url):
            raise AlertSendError(
                f"target {target.name!r}: apprise does not understand its URL "
                f"(scheme {target.scheme}://)"
            )


def _send_to(
    db: Database, config: Config, target: Target, now: datetime, report: AlertReport
) -> None:
    budget = max(
        0, target.rate_limit - alert_queue.sent_since(db, target.name, now - target.rate_window)
    )
    claimed, waiting = alert_queue.claim_alerts(db, target.name, now, budget, now + CLAIM)
    report.waiting += waiting
    if waiting:
        logger.info(
            "target %s: rate limit (%d per %s) holds back %d alert(s)",
            target.name,
            target.rate_limit,
            target.rate_window,
            waiting,
        )
    for index, row in enumerate(claimed):
        try:
            deliver(target, row["title"], row["body"], config.alerts.timeout)
        except AlertSendError as error:
            retry_at = _record_failure(db, config, target, row, str(error), now, report)
            # The target is failing: its other messages wait as long, without losing an attempt.
            for rest in claimed[index + 1 :]:
                alert_queue.finish_alert(db, rest["id"], next_attempt_at=retry_at)
            report.waiting += len(claimed) - index - 1
            return
        report.sent += 1
        logger.info("alert %d sent to %s: %s", row["id"], target.name, row["title"])
        alert_queue.finish_alert(
            db,
            row["id"],
            status="sent",
            attempts=int(row["attempts"]) + 1,
            error=None,
            sent_at=store.stamp(now),
            last_attempt_at=store.stamp(now),
            next_attempt_at=None,
        )


def _record_failure(
    db: Database,
    config: Config,
    target: Target,
    row: dict[str, Any],
    error: str,
    now: datetime,
    report: AlertReport,
) -> str | None:
    """Count a failed attempt: retry later, or give up after `max_attempts`. Returns when the
    target's other messages may be tried again."""
    attempts = int(row["attempts"]) + 1
    message = error[:ERROR_CHARS]
    retry_at = store.stamp(now + retry_delay(config, attempts))
    report.failed += 1
    gave_up = attempts >= config.alerts.max_attempts
    if gave_up:
        report.gave_up += 1
        logger.error(
            "alert %d to %s failed %d times, giving up: %s",
            row["id"],
            target.name,
            attempts,
            message,
        )
    else:
        logger.warning(
            "alert %d to %s failed (attempt %d), retrying after %s: %s",
            row["id"],
            target.name,
            attempts,
            retry_at,
            message,
        )
    alert_queue.finish_alert(
        db,
        row["id"],
        **({"status": "failed"} if gave_up else {}),
        attempts=attempts,
        error=message,
        last_attempt_at=store.stamp(now),
        next_attempt_at=None if gave_up else retry_at,
    )
    return retry_at


def plan_digests(db: Database, config: Config, now: datetime) -> list[dict[str, Any]]:
    """Each target's digest of the last whole period, when it has matching edits and was not
    queued yet (reads only)."""
    if not config.alerts.digest_every:
        return []
    start, end = digest_period(now, config.alerts.digest_every)
    edits = None
    digests = []
    for target in config.alerts.targets:
        if alert_queue.digest_exists(db, target.name, start):
            continue
        if edits is None:
            edits = alert_queue.edits_between(db, start, end)
        rules = config.alerts.rules_for(target)
        matched = [e for e in edits if any(rule_matches(rule, e) for rule in rules)]
        if not matched:
            continue
        title, body = compose_digest(matched, start, end, config.serve.public_url)
        digest = {"target": target.name, "period_start": start, "period_end": end}
        digests.append(digest | {"edit_count": len(matched), "title": title, "body": body})
    return digests


def send_digests(db: Database, config: Config, now: datetime, report: AlertReport) -> None:
    """Queue the digests of the last period, then send every digest not sent yet; a failed
    send is tried again at the next round, up to `max_attempts`."""
    for digest in plan_digests(db, config, now):
        alert_queue.queue_digest(db, digest, now)
    for target in config.alerts.targets:
        for row in alert_queue.due_digests(db, target.name):
            attempts = int(row["attempts"]) + 1
            try:
                deliver(target, row["title"], row["body"], config.alerts.timeout)
            except AlertSendError as error:
                report.failed += 1
                gave_up = attempts >= config.alerts.max_attempts
                logger.warning("digest %d to %s failed: %s", row["id"], target.name, error)
                alert_queue.finish_digest(
                    db,
                    int(row["id"]),
                    attempts=attempts,
                    error=str(error)[:ERROR_CHARS],
                    **({"status": "failed"} if gave_up else {}),
                )
                break  # the target is failing: its other digests wait for the next round
            report.digests += 1
            logger.info("digest %d sent to %s: %s", row["id"], target.name, row["title"])
            alert_queue.finish_digest(
                db, int(row["id"]), status="sent", attempts=attempts, sent_at=store.stamp(now)
            )


def send_pending_alerts(
    db: Database, config: Config, now: datetime | None = None, *, dry_run: bool = False
) -> AlertReport:
    """Queue a message for every recent change the rules match, then send what is due, within
    each target's rate limit. With `dry_run`, only report what would be queued and what waits."""
    now = now or store.utc_now()
    report = AlertReport()
    if not config.alerts.targets or not config.alerts.rules:
        return report
    edits = alert_queue.recent_edits(db, store.stamp(now - config.alerts.max_age))
    # A round still open may yet find its edits are a site's template change: they wait.
    held = held_after_change(db, now)
    if held is not None:
        edits = [e for e in edits if int(e["change_id"]) <= held]
    change_ids = sorted({int(e["change_id"]) for e in edits})
    messages = plan_messages(config, edits, alert_queue.existing_alerts(db, change_ids))
    if dry_run:
        report.planned = messages
        report.pending = [  # due now or waiting for a retry after a failed send
            row
            for target in config.alerts.targets
            for row in alert_queue.pending_alerts(db, target.name)
        ]
        report.planned_digests = plan_digests(db, config, now)
        report.pending_digests = [
            row
            for target in config.alerts.targets
            for row in alert_queue.due_digests(db, target.name)
        ]
        return report
    report.queued = alert_queue.queue_alerts(db, [dataclasses.asdict(m) for m in messages], now)
    for target in config.alerts.targets:
        _send_to(db, config, target, now, report)
    send_digests(db, config, now, report)
    return report
