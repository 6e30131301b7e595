"""The commands that manage configuration and alerts: `redline config` and `redline alerts`.

An edge of the program: it turns the settings (`monitor.config`) and the alert queue
(`monitor.alerts`) into terminal output, and their errors into one line and a non-zero exit.
"""

from __future__ import annotations

import json
from typing import Any

import click

from monitor import store
from monitor.alerts import AlertSendError, check_targets, deliver, send_pending_alerts
from monitor.config import CONFIG_ENV, Config, describe, load_config, show_value
from monitor.errors import ConfigError, RedlineError


@click.command(name="config")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def config_command(ctx: click.Context, as_json: bool) -> None:
    """Show every setting: its value, where it came from, its default and what it does."""
    try:
        config = load_config(ctx.obj.get("config"), unset_env_ok=True)
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    options, targets, rules = describe(config), _target_rows(config), _rule_rows(config)
    if as_json:
        file = str(config.path) if config.path else None
        settings = {"file": file, "options": options, "targets": targets, "rules": rules}
        click.echo(json.dumps(settings, ensure_ascii=False, indent=2))
        return
    click.echo(f"configuration file: {config.path or f'none (set --config or {CONFIG_ENV})'}")
    _echo_options(options)
    _echo_targets(targets)
    _echo_rules(rules)


def _target_rows(config: Config) -> list[dict[str, Any]]:
    return [
        {
            "name": t.name,
            "scheme": t.scheme,
            "rate_limit": t.rate_limit,
            "rate_window": show_value(t.rate_window),
            "problem": t.problem or None,
        }
        for t in config.alerts.targets
    ]


def _rule_rows(config: Config) -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "kinds": sorted(r.kinds),
            "sites": sorted(r.sites),
            "min_score": r.min_score,
            "stealth_only": r.stealth_only,
            "targets": list(r.targets) or ["(all)"],
        }
        for r in config.alerts.rules
    ]


def _echo_options(options: list[dict[str, str]]) -> None:
    for row in options:
        click.echo(f"\n{row['key']} = {row['value'] or '(empty)'}    [{row['source']}]")
        click.echo(f"    {row['help']}")
        click.echo(f"    default {row['default'] or '(empty)'}; environment {row['env']}")


def _echo_targets(targets: list[dict[str, Any]]) -> None:
    click.echo(f"\ntargets: {len(targets) or 'none'}")
    for target in targets:
        if target["problem"]:
            click.echo(f"    {target['name']}: not usable: {target['problem']}")
            continue
        click.echo(
            f"    {target['name']}: {target['scheme']}://…, at most "
            f"{target['rate_limit']} per {target['rate_window']}"
        )


def _echo_rules(rules: list[dict[str, Any]]) -> None:
    click.echo(f"rules: {len(rules) or 'none'}")
    for rule in rules:
        click.echo(
            f"    {rule['name']}: kinds {', '.join(rule['kinds']) or 'any'}; sites "
            f"{', '.join(rule['sites']) or 'any'}; score ≥ {rule['min_score']}"
            f"{'; stealth only' if rule['stealth_only'] else ''}; to "
            f"{', '.join(rule['targets'])}"
        )


@click.command(name="alerts")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what would be queued and what waits; send nothing, write nothing.",
)
@click.option(
    "--test",
    "test_message",
    is_flag=True,
    help="Send one test message to every target and say which answered.",
)
@click.pass_context
def alerts_command(ctx: click.Context, dry_run: bool, test_message: bool) -> None:
    """Send alerts for the edits the configured rules match (the daemon does this itself)."""
    try:
        config = load_config(ctx.obj.get("config"))
        if not config.alerts.targets:
            raise click.ClickException(
                "no alert targets configured (add [[alerts.targets]] to the file given with "
                "--config or REDLINE_CONFIG)"
            )
        check_targets(config)
        if test_message:
            failures = 0
            for target in config.alerts.targets:
                try:
                    deliver(
                        target,
                        "Redline test message",
                        "Redline can reach this target.",
                        config.alerts.timeout,
                    )
                    click.echo(f"{target.name}: ok")
                except AlertSendError as error:
                    failures += 1
                    click.echo(f"{target.name}: failed: {error}")
            if failures:
                raise click.ClickException(f"{failures} target(s) failed")
            return
        db = store.open_db(ctx.obj["db"])
        try:
            report = send_pending_alerts(db, config, dry_run=dry_run)
        finally:
            db.close()
    except RedlineError as error:
        raise click.ClickException(str(error)) from error
    if dry_run:
        for message in report.planned:
            click.echo(
                f"would queue  change {message.change_id} → {message.target} "
                f"[{', '.join(message.rules)}]: {message.title}"
            )
        for row in report.pending:
            waiting = (
                f", retry after {row['next_attempt_at']}: {row['error']}"
                if row["attempts"] and row["next_attempt_at"]
                else ""
            )
            click.echo(
                f"pending      change {row['change_id']} → {row['target']} "
                f"(attempts {row['attempts']}{waiting}): {row['title']}"
            )
        for digest in report.planned_digests:
            click.echo(
                f"would queue  digest → {digest['target']} "
                f"({digest['edit_count']} edit(s)): {digest['title']}"
            )
        for row in report.pending_digests:
            click.echo(
                f"pending      digest → {row['target']} "
                f"(attempts {row['attempts']}): {row['title']}"
            )
        retrying = sum(1 for row in report.pending if row["attempts"])
        click.echo(
            f"{len(report.planned)} to queue, {len(report.pending)} pending"
            + (f" ({retrying} waiting to be retried)" if retrying else "")
            + (
                f"; digests: {len(report.planned_digests)} to queue, "
                f"{len(report.pending_digests)} pending"
                if report.planned_digests or report.pending_digests
                else ""
            )
        )
        return
    click.echo(report.line())
