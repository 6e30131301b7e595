"""Benchmark `compare` on pathological inputs: wall time and peak memory of each case.

    python -m bench.pathological [--case NAME ...] [--baseline DIR] [--timeout S]

The inputs of issue 16 (point 1): repeated paragraphs, identical sentences, a 3 MB word, 5 MB of
one sentence, 50,000 "Yes." paragraphs, a 1.1 MB rewrite without sentence punctuation, with two
unrelated 1 MB texts and a normal article for reference, plus the same repeats with both ends
changed (no common prefix or suffix to trim). Each case runs in its own subprocess, so its peak
RSS (`ru_maxrss`) is its own: the figure in brackets is the child's RSS once the inputs are
built, the other its peak after comparing. Times are wall/CPU seconds of the comparison alone;
on a shared machine the CPU time is the steadier figure. `--baseline DIR` runs the same cases
against the `monitor` package found in DIR as well (e.g. `git archive HEAD~1 monitor | tar -x
-C /tmp/old`), side by side; a case still running after `--timeout` seconds is stopped and
shown as such.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 5.0
TARGET_MB = 300.0

_WORDS = (
    "council budget river city police minister report storm people school water road power "
    "court judge vote plan tax health election union market price border fire officials"
).split()


def prose(size: int, seed: int, paragraph_sentences: int = 4) -> str:
    """About `size` characters of sentence-like text in paragraphs, different for each seed."""
    rng = random.Random(seed)
    paragraphs, total = [], 0
    while total < size:
        sentences = []
        for _ in range(paragraph_sentences):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 20))]
            words.insert(rng.randrange(len(words)), str(rng.randint(2, 900)))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 1
    return "\n".join(paragraphs)


def _changed_in_middle(units: list[str], replacement: str, sep: str) -> tuple[str, str]:
    new = list(units)
    new[len(new) // 2] = replacement
    return sep.join(units), sep.join(new)


def _changed_at_ends(units: list[str], sep: str) -> tuple[str, str]:
    new = list(units)
    new[0], new[-1] = "A new first paragraph.", "A new last paragraph."
    return sep.join(units), sep.join(new)


def alternating(count: int) -> tuple[str, str]:
    units = ["The council met on Monday.", "Residents were not consulted."] * (count // 2)
    return _changed_in_middle(units, "The council met on Tuesday.", "\n")


def alternating_ends(count: int) -> tuple[str, str]:
    return _changed_at_ends(
        ["The council met on Monday.", "Residents were not consulted."] * (count // 2), "\n"
    )


def identical_sentences(count: int) -> tuple[str, str]:
    units = ["The council met again on Monday."] * count
    return _changed_in_middle(units, "The council met again on Tuesday.", " ")


def single_word(size: int) -> tuple[str, str]:
    old = "x" * size
    return old, old[: size // 2] + "y" + old[size // 2 + 1 :]


def repeated_sentence(size: int) -> tuple[str, str]:
    sentence = "The council met again on Monday. "
    return identical_sentences(size // len(sentence))


def yes_paragraphs(count: int) -> tuple[str, str]:
    return _changed_in_middle(["Yes."] * count, "No.", "\n")


def yes_paragraphs_ends(count: int) -> tuple[str, str]:
    return _changed_at_ends(["Yes."] * count, "\n")


def unpunctuated_rewrite(size: int) -> tuple[str, str]:
    def words(seed: int) -> str:
        rng = random.Random(seed)
        return " ".join(rng.choice(_WORDS) for _ in range(size // 6))[:size]

    return words(1), words(2)


def unrelated(size: int) -> tuple[str, str]:
    return prose(size, 1), prose(size, 2)


def unpunctuated_word_changed(size: int) -> tuple[str, str]:
    old = unpunctuated_rewrite(size)[0]
    middle = old.index(" ", size // 2)
    return old, old[:middle] + " inserted" + old[middle:]


def normal_article() -> tuple[str, str]:
    old = prose(8_000, 3)
    paragraphs = old.split("\n")
    paragraphs[5] = paragraphs[5].replace(".", ", officials said.", 1)
    return old, "\n".join(paragraphs)


CASES: dict[str, Callable[[], tuple[str, str]]] = {
    "normal article (8 KB, one edit)": normal_article,
    "alternating 8k paragraphs, one changed": lambda: alternating(8_000),
    "alternating 16k paragraphs, one changed": lambda: alternating(16_000),
    "alternating 32k paragraphs, one changed": lambda: alternating(32_000),
    "alternating 32k paragraphs, both ends changed": lambda: alternating_ends(32_000),
    "20k identical sentences, one changed": lambda: identical_sentences(20_000),
    "3 MB single word, one letter changed": lambda: single_word(3_000_000),
    "5 MB of one repeated sentence, one changed": lambda: repeated_sentence(5_000_000),
    '50k "Yes." paragraphs, one changed': lambda: yes_paragraphs(50_000),
    '50k "Yes." paragraphs, both ends changed': lambda: yes_paragraphs_ends(50_000),
    "1.1 MB rewrite without sentence punctuation": lambda: unpunctuated_rewrite(1_100_000),
    "two unrelated 1 MB texts": lambda: unrelated(1_000_000),
    # The largest inputs still compared in full, just under the comparison's limits.
    "at the limits: 70 KB prose rewritten": lambda: unrelated(70_000),
    "at the limits: 95 KB unpunctuated rewrite": lambda: unpunctuated_rewrite(95_000),
    "at the limits: 900 KB unpunctuated, word added": lambda: unpunctuated_word_changed(900_000),
}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(name: str) -> dict[str, object]:
    """Build one case, compare it once, and report time, memory and what came out."""
    from monitor.compare import comparison
    from monitor.compare.edit import summarize
    from monitor.extract.article import Article

    old_body, new_body = CASES[name]()
    old, new = Article(body=old_body), Article(body=new_body)
    base = _rss_mb()
    cpu_started = time.process_time()
    started = time.perf_counter()
    bounded = getattr(comparison, "compare_bounded", None)  # absent before the limits
    if bounded is not None:
        result = bounded(old, new)
        found, capped = list(result.edits), result.capped
    else:
        found, capped = comparison.compare(old, new), "(no limits)"
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "seconds": seconds,
        "cpu": cpu,
        "base_mb": base,
        "peak_mb": _rss_mb(),
        "edits": len(found),
        "summary": summarize(found),
        "capped": capped,
        "chars": len(old_body) + len(new_body),
    }


def measure(name: str, monitor_root: Path, timeout: float) -> dict[str, object]:
    """Run one case in a fresh interpreter that imports `monitor` from `monitor_root`."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name]
    env = {"PYTHONPATH": f"{monitor_root}", "PATH": "/usr/bin:/bin"}
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _cell(result: dict[str, object]) -> tuple[str, str]:
    if "timeout" in result:
        return f"> {result['timeout']:.0f}", "-"
    if "error" in result:
        return "error", str(result["error"])[:40]
    timing = f"{result['seconds']:.2f}/{result['cpu']:.2f}"
    return timing, f"{result['peak_mb']:.0f} ({result['base_mb']:.0f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pathological", description=__doc__)
    parser.add_argument("--case", action="append", help="only this case (repeatable)")
    parser.add_argument("--baseline", type=Path, help="folder holding an older `monitor`")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per case")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_child(args.child)))
        return 0
    names = args.case or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; known: {', '.join(CASES)}")
    print(
        "s: wall/CPU seconds of compare alone; MB: peak RSS of the case's own process "
        "(its RSS with the inputs built, before comparing)"
    )
    _print_header()
    rows = []
    worst_s, worst_mb = 0.0, 0.0
    for name in names:
        now = measure(name, REPO_ROOT, args.timeout)
        before = measure(name, args.baseline, args.timeout) if args.baseline else None
        rows.append((name, now, before))
        if "seconds" in now:
            worst_s = max(worst_s, float(str(now["cpu"])))
            worst_mb = max(worst_mb, float(str(now["peak_mb"])))
        _print_row(name, now, before)
    print(
        f"\nworst case now: {worst_s:.2f} s of CPU, peak RSS {worst_mb:.0f} MB "
        f"(targets: under {TARGET_S:.0f} s and {TARGET_MB:.0f} MB: "
        + ("ok" if worst_s < TARGET_S and worst_mb < TARGET_MB else "FAIL")
        + ")"
    )
    failed = [name for name, now, _ in rows if "seconds" not in now]
    return 1 if failed else 0


WIDTHS = (46, 11, 13, 11, 13)


def _line(cells: list[str]) -> str:
    return "  ".join(
        cell.ljust(width) if i == 0 else cell.rjust(width)
        for i, (cell, width) in enumerate(zip(cells, WIDTHS, strict=True))
    )


def _print_header() -> None:
    print(_line(["case", "now s", "now MB", "before s", "before MB"]) + "  result now")
    print("  ".join("-" * w for w in WIDTHS) + "  " + "-" * 40)


def _print_row(name: str, now: dict[str, object], before: dict[str, object] | None) -> None:
    line = _line([name, *_cell(now), *(_cell(before) if before else ("", ""))])
    detail = f"{now.get('edits', '?')} edits: {now.get('summary', '')}"
    if now.get("capped"):
        detail += f" [capped: {now['capped']}]"
    print(f"{line}  {detail}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
