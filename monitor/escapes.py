"""Text a site wrote, made harmless for a terminal and for a log line.

A page's title, byline or text, a response header, a URL: any of them may carry control and
escape sequences (ANSI CSI, OSC 52 clipboard writes, OSC 8 hidden hyperlinks, window titles,
screen clears, cursor moves that overwrite the line above, the 8-bit CSI U+009B, a carriage
return), which a terminal obeys, and a newline, which forges a log line.

- `terminal_text` removes them, whole sequences first (`ESC ] … BEL`), keeping tab and newline:
  the terminal views (`monitor.render`) pass every piece of site text through it.
- `log_text` escapes them visibly (`\\x1b`, `\\n`): `escape_logs`, installed by each entry
  point where logging is configured (the CLI, the crawl), applies it to every argument of every
  log record, so `logger.warning("%s", url)` writes one line whatever `url` holds.

Pure but for `escape_logs`, which installs a log record factory (`EscapedLogRecord`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

# ESC sequences, whole: OSC, DCS, SOS, PM and APC strings up to their terminator (BEL or ST, in
# 7-bit `ESC \` or 8-bit U+009C form, or the end of the text); CSI with its parameters; any other
# ESC with the character that follows. The 8-bit introducers (U+0090, U+0098, U+009B, U+009D,
# U+009E, U+009F) too.
ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|$)"
    r"|(?:\x1b\[|\x9b)[\x20-\x3f]*[\x40-\x7e]?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
# What is left: C0 controls but tab and newline, DEL, C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# For a log line: every control character, newline and tab included, as an escape.
LOG_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# In a log record's own message (our format strings, multi-line by intent in a few places, such
# as Scrapy's stats dump): every control but newline and tab.
MESSAGE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """`text` without escape sequences and control characters (tab and newline stay)."""
    if not CONTROL.search(text):
        return text
    return CONTROL.sub("", ESCAPE_SEQUENCE.sub("", text))


def _escaped(match: re.Match[str]) -> str:
    char = match.group(0)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\x{ord(char):02x}")


def log_text(text: str) -> str:
    """`text` on one line, every control character (newline and escape included) written as an
    escape: `x\\n<forged line>`, `\\x1b]52;…`."""
    return LOG_CONTROL.sub(_escaped, text)


def _log_arg(value: Any, controls: re.Pattern[str]) -> Any:
    """A string escaped; any other object as it is (its `%r` or `%d` stays right) unless its
    text carries a control character (a request or an error quoting a URL)."""
    if value is None or isinstance(value, int | float):
        return value
    text = value if isinstance(value, str) else _text_of(value)
    if text is None or not controls.search(text):
        return value
    return controls.sub(_escaped, text)


def _text_of(value: Any) -> str | None:
    try:
        return str(value)
    except Exception:  # an object whose __str__ fails: logging will say so itself
        return None


def escape_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its arguments' controls escaped (`log_text`) and those of its message but
    newline and tab. Scrapy's own records keep the newlines of their arguments: they are its
    multi-line dumps of settings and stats, and the URLs it logs are already percent-encoded."""
    if isinstance(record.msg, str) and MESSAGE_CONTROL.search(record.msg):
        record.msg = MESSAGE_CONTROL.sub(_escaped, record.msg)
    controls = MESSAGE_CONTROL if record.name.startswith("scrapy.") else LOG_CONTROL
    if isinstance(record.args, dict):
        record.args = {key: _log_arg(value, controls) for key, value in record.args.items()}
    elif record.args:
        record.args = tuple(_log_arg(value, controls) for value in record.args)
    return record


class EscapedLogRecord(logging.LogRecord):
    """A log record whose arguments are escaped (`escape_record`) when its message is first
    made, that is only if a handler writes it: a crawl makes a DEBUG record per page that no
    handler at INFO writes (Scrapy's "Scraped from", whose argument is the page's item, body
    and all), and escaping it at creation cost more than a millisecond a page."""

    escapes = True  # the marker `escape_logs` looks for
    escaped = False

    def getMessage(self) -> str:  # logging's name
        if not self.escaped:
            escape_record(self)
            self.escaped = True
        return super().getMessage()


def escape_logs() -> None:
    """Escape every log record made from now on in this process (idempotent). Called where
    logging is configured: the CLI's entry point, the crawl command."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "escapes", False):
        return
    if factory is logging.LogRecord:  # the default: escaped lazily, when written
        logging.setLogRecordFactory(EscapedLogRecord)
        return

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return escape_record(factory(*args, **kwargs))

    make.escapes = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)
