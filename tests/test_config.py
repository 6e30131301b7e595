"""monitor.config: one frozen configuration from a TOML file plus the environment."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.config import OPTIONS, describe, load_config
from monitor.errors import ConfigError
from tests.conftest import ROOT

FULL = """
[serve]
host = "0.0.0.0"
port = 9000
allow_sql = false
public_url = "https://redline.example.org/"

[alerts]
every = "30s"
max_age = "6h"
rate_limit = 3
rate_window = "10m"
retry_after = "1m"
max_attempts = 2
timeout = "5s"

[[alerts.targets]]
name = "newsroom"
url = "json://127.0.0.1:9/hook"

[[alerts.targets]]
name = "desk"
url_env = "DESK_URL"
rate_limit = 1
rate_window = "1d"

[[alerts.rules]]
name = "quotes"
kinds = ["quote", "quote_removed"]
sites = ["WWW.Example.com"]
min_score = 0.8
stealth_only = true
targets = ["desk"]

[[alerts.rules]]
kinds = "name"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "redline.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    config = load_config(None, {})
    assert config.path is None
    assert (config.serve.host, config.serve.port, config.serve.allow_sql) == (
        "127.0.0.1",
        8001,
        True,
    )
    assert config.alerts.targets == () and config.alerts.rules == ()
    assert config.alerts.rate_limit == 10 and config.alerts.rate_window == timedelta(hours=1)
    assert set(config.sources.values()) == {"default"}


def test_a_full_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL), {"DESK_URL": "jsons://desk.example/x?token=1"})
    assert config.serve.public_url == "https://redline.example.org"
    assert config.serve.allow_sql is False and config.serve.port == 9000
    assert config.alerts.every == timedelta(seconds=30)
    newsroom, desk = config.alerts.targets
    assert (newsroom.rate_limit, newsroom.rate_window) == (3, timedelta(minutes=10))
    assert (desk.rate_limit, desk.rate_window, desk.scheme) == (1, timedelta(days=1), "jsons")
    quotes, names = config.alerts.rules
    assert quotes.kinds == {"quote", "quote_removed"} and quotes.sites == {"www.example.com"}
    assert quotes.min_score == 0.8 and quotes.stealth_only and quotes.targets == ("desk",)
    assert names.name == "rule 2" and names.kinds == {"name"} and names.min_score == 0.5
    assert config.alerts.rules_for(newsroom) == (names,)
    assert config.alerts.rules_for(desk) == (quotes, names)


def test_the_configuration_is_frozen() -> None:
    config = load_config(None, {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.serve.port = 1  # type: ignore[misc]


def test_environment_beats_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[serve]\nport = 9000\n")
    config = load_config(path, {"REDLINE_SERVE_PORT": "9100", "REDLINE_ALERTS_RATE_LIMIT": "2"})
    assert config.serve.port == 9100 and config.alerts.rate_limit == 2
    assert config.sources["serve.port"] == "env REDLINE_SERVE_PORT"


def test_the_file_can_come_from_redline_config(tmp_path: Path) -> None:
    path = write(tmp_path, "[serve]\nport = 9000\n")
    assert load_config(None, {"REDLINE_CONFIG": str(path)}).serve.port == 9000


def test_target_urls_never_show_in_repr(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL), {"DESK_URL": "jsons://desk.example/?token=s3cret"})
    assert "s3cret" not in repr(config) and "s3cret" not in json.dumps(describe(config))


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("[serve\n", {}, "not valid TOML"),
        ("[server]\n", {}, "unknown setting server"),
        ("[serve]\nprot = 1\n", {}, "unknown setting prot"),
        ("[serve]\nport = 99999\n", {}, "serve.port"),
        ("[serve]\nport = true\n", {}, "serve.port"),
        ("[serve]\npublic_url = 'redline.example.org'\n", {}, "http or https"),
        ("[serve]\nallow_sql = 'maybe'\n", {}, "true or false"),
        ("[alerts]\nevery = 'soon'\n", {}, "not a duration"),
        ("[alerts]\nrate_limit = 0\n", {}, "≥ 1"),
        ("", {"REDLINE_SERVE_PORT": "eighty"}, "env REDLINE_SERVE_PORT"),
        ("[[alerts.targets]]\nurl = 'json://x'\n", {}, "needs a name"),
        ("[[alerts.targets]]\nname = 'a'\n", {}, "exactly one of url or url_env"),
        ("[[alerts.targets]]\nname = 'a'\nurl = 'x'\nurl_env = 'X'\n", {}, "exactly one"),
        ("[[alerts.targets]]\nname = 'a'\nurl_env = 'NOPE'\n", {}, "NOPE is not set"),
        ("[[alerts.targets]]\nname = 'a'\nurl = 'hooks.example'\n", {}, "not an apprise URL"),
        (
            "[[alerts.targets]]\nname = 'a'\nurl = 'json://x'\nrate_window = 'often'\n",
            {},
            "not a duration",
        ),
        (
            "[[alerts.targets]]\nname = 'a'\nurl = 'json://x'\n[[alerts.targets]]\nname = 'a'\n"
            "url = 'json://y'\n",
            {},
            "two targets named a",
        ),
        ("[[alerts.rules]]\nkinds = ['quotes']\n", {}, "unknown kind quotes"),
        ("[[alerts.rules]]\ntargets = ['nobody']\n", {}, "no target named nobody"),
        ("[[alerts.rules]]\nmin_score = 2\n", {}, "from 0 to 1"),
        ("[[alerts.rules]]\nsites = [1]\n", {}, "list of strings"),
        ("[[alerts.rules]]\ncolour = 'red'\n", {}, "unknown setting colour"),
        ("[alerts]\nrules = 'all'\n", {}, "array of tables"),
    ],
)
def test_mistakes_are_one_clear_error(
    tmp_path: Path, text: str, env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(write(tmp_path, text), env)


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path / "absent.toml", {})


def test_every_option_has_help_an_env_name_and_a_valid_default() -> None:
    keys = [option.key for option in OPTIONS]
    assert len(keys) == len(set(keys))
    for option in OPTIONS:
        assert option.help.endswith(".") and option.env.startswith("REDLINE_")
        option.parse(option.default)


def test_every_option_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for option in OPTIONS:
        assert f"`{option.key}`" in readme, option.key
        assert f"`{option.env}`" in readme, option.env


def test_the_readme_example_configuration_loads(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Alerts") :]
    example = re.search(r"```toml\n(.*?)```", section, re.S)
    assert example, "the Alerts section shows an example configuration"
    tomllib.loads(example.group(1))
    config = load_config(
        write(tmp_path, example.group(1)), {"REDLINE_NEWSROOM_URL": "json://127.0.0.1:9/hook"}
    )
    assert config.alerts.targets and config.alerts.rules


# --- redline config ------------------------------------------------------------------------
def test_config_command_shows_values_sources_and_help(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    result = CliRunner().invoke(
        cli,
        ["--config", str(path), "config"],
        env={"DESK_URL": "jsons://desk.example/?token=s3cret"},
    )
    assert result.exit_code == 0, result.output
    assert f"configuration file: {path}" in result.output
    assert f"serve.port = 9000    [{path}]" in result.output
    assert "alerts.timeout = 5s" in result.output
    assert "desk: jsons://…, at most 1 per 1d" in result.output
    assert "s3cret" not in result.output


def test_config_command_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["config", "--json"], env={"REDLINE_CONFIG": ""})
    payload = json.loads(result.output)
    assert payload["file"] is None
    assert {row["key"] for row in payload["options"]} == {o.key for o in OPTIONS}


@pytest.mark.parametrize("command", [["config"], ["serve"], ["alerts"]])
def test_a_bad_config_file_is_one_line_and_exit_1(tmp_path: Path, command: list[str]) -> None:
    path = write(tmp_path, "[serve]\nport = 'x'\n")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "r.db"), "--config", str(path), *command]
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: serve.port")
