"""Redline's configuration: one frozen object built from a TOML file plus the environment.

Every scalar option is declared once in `OPTIONS`, with its default, its environment variable and
its help text (`redline config` prints them). Precedence: command-line option > environment >
file > default. Alert targets and rules are lists, so they come from the file only:

    [serve]
    port = 8001
    public_url = "https://redline.example.org"

    [alerts]
    rate_limit = 10
    rate_window = "1h"

    [[alerts.targets]]
    name = "newsroom"
    url_env = "REDLINE_NEWSROOM_URL"     # or url = "jsons://hooks.example.org/redline"

    [[alerts.rules]]
    name = "quotes and names"
    kinds = ["quote", "quote_removed", "name"]
    sites = ["www.example.com"]
    min_score = 0.5
    targets = ["newsroom"]

The file is found through `--config FILE` or the environment variable `REDLINE_CONFIG`; with
neither, only defaults and environment apply (and no alert is sent: there is no target).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from monitor.compare.edit import KINDS, SIGNIFICANT_AT
from monitor.errors import ConfigError
from monitor.fetch.policy import parse_duration

CONFIG_ENV = "REDLINE_CONFIG"


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {value!r}")
    number = int(value)
    if number < 0:
        raise ValueError(f"expected a number ≥ 0, got {number}")
    return number


def _positive(value: Any) -> int:
    number = _int(value)
    if number < 1:
        raise ValueError(f"expected a number ≥ 1, got {number}")
    return number


def _port(value: Any) -> int:
    number = _int(value)
    if number > 65535:
        raise ValueError(f"not a port: {number}")
    return number


def _url(value: Any) -> str:
    text = str(value).strip().rstrip("/")
    if text and not text.startswith(("http://", "https://")):
        raise ValueError(f"expected an http or https URL, got {value!r}")
    return text


def _duration(value: Any) -> timedelta:
    try:
        return parse_duration(str(value))
    except ConfigError as error:
        raise ValueError(str(error)) from error


def _period(value: Any) -> timedelta:
    """A duration, or `off` (also empty or 0) for none."""
    if str(value).strip().lower() in ("", "0", "off", "none", "false"):
        return timedelta(0)
    return _duration(value)


def _score(value: Any) -> float:
    number = float(value)
    if not 0 <= number <= 1:
        raise ValueError(f"expected a score from 0 to 1, got {value!r}")
    return number


@dataclass(frozen=True)
class Option:
    """One scalar setting: `section.name` in the file, `REDLINE_SECTION_NAME` in the environment."""

    section: str
    name: str
    default: Any
    parse: Callable[[Any], Any]
    help: str

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"

    @property
    def env(self) -> str:
        return f"REDLINE_{self.section}_{self.name}".upper()


OPTIONS: tuple[Option, ...] = (
    Option(
        "serve",
        "host",
        "127.0.0.1",
        str,
        "Address `redline serve` listens on (0.0.0.0 for every interface).",
    ),
    Option("serve", "port", 8001, _port, "Port `redline serve` listens on."),
    Option(
        "serve",
        "allow_sql",
        True,
        _bool,
        "Let visitors run their own read-only SQL; canned queries and views work either way.",
    ),
    Option(
        "serve",
        "public_url",
        "",
        _url,
        "Address readers reach `redline serve` at (e.g. https://redline.example.org): links "
        "in alerts and the Atom feed point there. Empty: alerts link to the article only.",
    ),
    Option(
        "serve",
        "diff_timeout",
        "5s",
        _duration,
        "How long a page of `redline serve` may spend on its highlighted diffs (computed off "
        "the server's loop, on texts up to 500,000 characters); past it the page says the "
        "diff is too large to show there and points to `redline diff`.",
    ),
    Option(
        "serve",
        "snapshot_downloads",
        False,
        _bool,
        "Let visitors of `redline serve` download the raw pages stored in `snapshots`; off, "
        "their content reads as empty everywhere on the server.",
    ),
    Option(
        "serve",
        "write_token",
        "",
        str,
        "Token that lets a visitor change the watch list from the watch desk when `redline "
        "serve` is bound to an address other than loopback (or has a public URL); empty: no "
        "one can, there. On 127.0.0.1 the local user may, without it.",
    ),
    Option("alerts", "every", "1m", _duration, "How often `redline daemon` sends pending alerts."),
    Option(
        "alerts",
        "digest_every",
        "off",
        _period,
        "Also send each target one digest of the significant edits its rules match, grouped by "
        "site, once per period (`1d`: daily, periods aligned on UTC midnight); `off`: none.",
    ),
    Option(
        "alerts",
        "max_age",
        "1d",
        _duration,
        "Edits detected longer ago than this are never alerted, so turning alerts on for an "
        "old database does not send its whole history.",
    ),
    Option(
        "alerts",
        "rate_limit",
        10,
        _positive,
        "At most this many messages per target per `rate_window`; the rest wait their turn "
        "(a target may set its own).",
    ),
    Option("alerts", "rate_window", "1h", _duration, "The window `rate_limit` counts over."),
    Option(
        "alerts",
        "retry_after",
        "5m",
        _duration,
        "Wait before retrying a failed send; doubled after each further failure.",
    ),
    Option(
        "alerts",
        "max_attempts",
        6,
        _positive,
        "Give up on a message after this many failed sends (its status becomes failed).",
    ),
    Option(
        "alerts",
        "timeout",
        "15s",
        _duration,
        "How long one send to one target may take before it counts as failed.",
    ),
    Option(
        "archive",
        "base_url",
        "https://web.archive.org",
        _url,
        "The web archive `redline backfill` reads (a Wayback Machine: CDX search and playback).",
    ),
    Option(
        "archive",
        "interval",
        "1s",
        _period,
        "Least time between two requests to the archive (0 or off: no pause).",
    ),
    Option(
        "archive",
        "retries",
        3,
        _int,
        "Tries again after a busy answer (429, 5xx) or a network error; the wait doubles each "
        "time, and a Retry-After is honoured.",
    ),
    Option(
        "archive",
        "timeout",
        "30s",
        _duration,
        "How long one request to the archive may take.",
    ),
    Option(
        "archive",
        "save_significant",
        False,
        _bool,
        "Ask the archive to save the page (Save Page Now) when a change with significant edits "
        "is found (the daemon's alerts job).",
    ),
)

_TARGET_KEYS = {"name", "url", "url_env", "rate_limit", "rate_window"}
_RULE_KEYS = {"name", "kinds", "sites", "min_score", "stealth_only", "targets"}


@dataclass(frozen=True)
class Target:
    """Where alerts go: an apprise URL (webhook, e-mail, Slack, Matrix, ntfy...) under a name.
    The URL often holds a secret: it is never logged, stored or printed, only its scheme."""

    name: str
    url: str = field(repr=False)
    rate_limit: int
    rate_window: timedelta
    problem: str = ""  # why it cannot be used (only when loaded with `unset_env_ok`)

    @property
    def scheme(self) -> str:
        return self.url.partition("://")[0] or "?"


@dataclass(frozen=True)
class Rule:
    """Which edits are worth an alert, and to which targets (none listed: every target)."""

    name: str
    kinds: frozenset[str] = frozenset()  # empty: every kind
    sites: frozenset[str] = frozenset()  # empty: every site
    min_score: float = SIGNIFICANT_AT
    stealth_only: bool = False
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServeConfig:
    host: str
    port: int
    allow_sql: bool
    public_url: str
    diff_timeout: timedelta
    snapshot_downloads: bool
    write_token: str = ""


@dataclass(frozen=True)
class AlertsConfig:
    every: timedelta
    digest_every: timedelta  # 0: no digests
    max_age: timedelta
    rate_limit: int
    rate_window: timedelta
    retry_after: timedelta
    max_attempts: int
    timeout: timedelta
    targets: tuple[Target, ...] = ()
    rules: tuple[Rule, ...] = ()

    def rules_for(self, target: Target) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if not r.targets or target.name in r.targets)


@dataclass(frozen=True)
class ArchiveConfig:
    base_url: str
    interval: timedelta
    retries: int
    timeout: timedelta
    save_significant: bool


@dataclass(frozen=True)
class Config:
    serve: ServeConfig
    alerts: AlertsConfig
    archive: ArchiveConfig
    path: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)  # key → where from


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read config file {path}: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error


def _check_keys(where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting {', '.join(unknown)} (known: {', '.join(sorted(allowed))})"
        )


def _scalars(
    data: Mapping[str, Any], environ: Mapping[str, str], origin: str
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for option in OPTIONS:
        section = data.get(option.section, {})
        raw, source = option.default, "default"
        if option.name in section:
            raw, source = section[option.name], origin
        if environ.get(option.env, "") != "":
            raw, source = environ[option.env], f"env {option.env}"
        try:
            values[option.key] = option.parse(raw)
        except (TypeError, ValueError) as error:
            raise ConfigError(f"{option.key} ({source}): {error}") from error
        sources[option.key] = source
    return values, sources


def _target(
    item: Any,
    index: int,
    values: Mapping[str, Any],
    environ: Mapping[str, str],
    origin: str,
    unset_env_ok: bool = False,
) -> Target:
    where = f"{origin}: alerts.targets[{index}]"
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected a table")
    _check_keys(where, item, _TARGET_KEYS)
    name = str(item.get("name") or "").strip()
    if not name:
        raise ConfigError(f"{where}: a target needs a name")
    if ("url" in item) == ("url_env" in item):
        raise ConfigError(f"target {name!r}: give exactly one of url or url_env")
    problem = ""
    if "url_env" in item:
        url = environ.get(str(item["url_env"]), "").strip()
        if not url:
            problem = f"environment variable {item['url_env']} is not set"
            if not unset_env_ok:
                raise ConfigError(f"target {name!r}: {problem}")
            url = "?://"
    else:
        url = str(item["url"]).strip()
    if "://" not in url:
        raise ConfigError(f"target {name!r}: not an apprise URL (scheme://...)")
    try:
        rate_limit = _positive(item.get("rate_limit", values["alerts.rate_limit"]))
        window = item.get("rate_window")
        rate_window = values["alerts.rate_window"] if window is None else _duration(window)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"target {name!r}: {error}") from error
    return Target(
        name=name, url=url, rate_limit=rate_limit, rate_window=rate_window, problem=problem
    )


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def _rule(item: Any, index: int, target_names: set[str], origin: str) -> Rule:
    where = f"{origin}: alerts.rules[{index}]"
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected a table")
    _check_keys(where, item, _RULE_KEYS)
    name = str(item.get("name") or f"rule {index + 1}")
    kinds = _strings(f"rule {name!r}", "kinds", item.get("kinds", []))
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ConfigError(
            f"rule {name!r}: unknown kind {', '.join(unknown)} (known: {', '.join(KINDS)})"
        )
    targets = _strings(f"rule {name!r}", "targets", item.get("targets", []))
    missing = sorted(set(targets) - target_names)
    if missing:
        raise ConfigError(f"rule {name!r}: no target named {', '.join(missing)}")
    try:
        min_score = _score(item.get("min_score", SIGNIFICANT_AT))
        stealth_only = _bool(item.get("stealth_only", False))
    except (TypeError, ValueError) as error:
        raise ConfigError(f"rule {name!r}: {error}") from error
    sites = _strings(f"rule {name!r}", "sites", item.get("sites", []))
    return Rule(
        name=name,
        kinds=frozenset(kinds),
        sites=frozenset(s.lower() for s in sites),
        min_score=min_score,
        stealth_only=stealth_only,
        targets=targets,
    )


def load_config(
    path: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    unset_env_ok: bool = False,
) -> Config:
    """The configuration from `path` (else `$REDLINE_CONFIG`, else none) plus the environment.
    `unset_env_ok` (for `redline config`, which shows the settings): a target whose `url_env`
    is not set is kept, with the reason in its `problem`, instead of failing."""
    environ = os.environ if environ is None else environ
    if path is None and environ.get(CONFIG_ENV):
        path = environ[CONFIG_ENV]
    file = Path(path) if path is not None else None
    data = _read(file) if file is not None else {}
    origin = str(file) if file is not None else "environment"
    _check_sections(data, origin)
    values, sources = _scalars(data, environ, origin)
    targets, rules = _targets_and_rules(data, values, environ, origin, unset_env_ok)
    return Config(
        serve=ServeConfig(**_section(values, "serve")),
        alerts=AlertsConfig(**_section(values, "alerts"), targets=targets, rules=rules),
        archive=ArchiveConfig(**_section(values, "archive")),
        path=file,
        sources=sources,
    )


def _check_sections(data: dict[str, Any], origin: str) -> None:
    """Only known sections, each a table, holding only known keys."""
    _check_keys(origin, data, {"serve", "alerts", "archive"})
    for section in ("serve", "alerts", "archive"):
        if not isinstance(data.get(section, {}), dict):
            raise ConfigError(f"{origin}: [{section}] must be a table")
        known = {o.name for o in OPTIONS if o.section == section}
        if section == "alerts":
            known |= {"targets", "rules"}
        _check_keys(f"{origin}: [{section}]", data.get(section, {}), known)


def _targets_and_rules(
    data: dict[str, Any],
    values: dict[str, Any],
    environ: Mapping[str, str],
    origin: str,
    unset_env_ok: bool,
) -> tuple[tuple[Target, ...], tuple[Rule, ...]]:
    """The [[alerts.targets]] and [[alerts.rules]] tables, checked: target names unique, rules
    naming known targets."""
    alerts = data.get("alerts", {})
    for key in ("targets", "rules"):
        if not isinstance(alerts.get(key, []), list):
            raise ConfigError(
                f"{origin}: alerts.{key} must be an array of tables ([[alerts.{key}]])"
            )
    targets = tuple(
        _target(item, i, values, environ, origin, unset_env_ok)
        for i, item in enumerate(alerts.get("targets", []))
    )
    names = [t.name for t in targets]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{origin}: two targets named {', '.join(duplicates)}")
    rules = tuple(
        _rule(item, i, set(names), origin) for i, item in enumerate(alerts.get("rules", []))
    )
    return targets, rules


def _section(values: dict[str, Any], section: str) -> dict[str, Any]:
    """One section's parsed options by name (the names of its config dataclass's fields)."""
    return {o.name: values[o.key] for o in OPTIONS if o.section == section}


def describe(config: Config) -> list[dict[str, str]]:
    """Every option with its value, where the value came from, default, variable and help."""
    rows = []
    for option in OPTIONS:
        section = getattr(config, option.section)
        value = getattr(section, option.name)
        rows.append(
            {
                "key": option.key,
                "value": show_value(value),
                "source": config.sources.get(option.key, "default"),
                "default": show_value(option.parse(option.default)),
                "env": option.env,
                "help": option.help,
            }
        )
    return rows


def show_value(value: Any) -> str:
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
            if seconds and seconds % size == 0:
                return f"{seconds // size}{unit}"
        return f"{seconds}s"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
