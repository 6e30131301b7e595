"""Ids and numbers a person types (a URL path, a CLI argument), range-checked at the edge.

SQLite's integers are 64-bit: a larger Python int reaching a query raises `OverflowError` deep
inside the driver, which a command or a web page would show as a traceback. An id out of range
names no row, so the edge answers as for any id that matches nothing. Pure.
"""

from __future__ import annotations

# SQLite's largest INTEGER (signed 64-bit), hence the largest row id or version number.
MAX_ID = 2**63 - 1
# Digits of MAX_ID: a longer run of digits is out of range whatever it says (and `int()` of a
# very long one raises by itself).
MAX_ID_DIGITS = len(str(MAX_ID))


def parse_id(text: str) -> int | None:
    """`text` as an id (ASCII digits, leading zeros allowed, at most MAX_ID), or None."""
    digits = text.strip().lstrip("0") or "0"
    if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_ID_DIGITS:
        return None
    value = int(digits)
    return value if value <= MAX_ID else None
