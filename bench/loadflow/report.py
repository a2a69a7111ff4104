# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The figures of a load: timings, errors, collisions, the machine's load."""

import contextlib
import os
import re
import threading
from pathlib import Path

CJK_RE = re.compile(r"[\u4e00-\u9fff]")
GOOD_KINDS = ("UserError: lock", "UserError: already done")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.errors = {}  # (kind, step) -> count
        self.samples = {}  # kind -> message
        self.collisions = {}  # (kind of collision, outcome) -> count

    def ok(self, step, seconds):
        with self.lock:
            self.times.setdefault(step, []).append(seconds)

    def error(self, step, exc):
        kind = exc.kind
        if kind.startswith("UserError") and not CJK_RE.search(exc.message):
            kind += " (untranslated)"
        with self.lock:
            self.errors[(kind, step)] = self.errors.get((kind, step), 0) + 1
            self.samples.setdefault(kind, exc.message[:160])
        return kind

    def collision(self, what, outcome):
        with self.lock:
            key = (what, outcome)
            self.collisions[key] = self.collisions.get(key, 0) + 1


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timing_table(stats):
    rows = []
    for step, values in sorted(stats.times.items()):
        rows.append(
            (
                step,
                len(values),
                f"{percentile(values, 50) * 1000:.0f}",
                f"{percentile(values, 95) * 1000:.0f}",
                f"{max(values) * 1000:.0f}",
            )
        )
    return rows


def print_table(title, header, rows):
    print(f"\n{title}")
    if not rows:
        print("  (none)")
        return
    widths = [
        max(len(str(cell)) for cell in column)
        for column in zip(header, *rows, strict=False)
    ]
    line = "| " + " | ".join(f"{{:{w}}}" for w in widths) + " |"
    print(line.format(*header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line.format(*[str(cell) for cell in row]))


def load_average():
    """The machine's 1-minute load average (other processes included)."""
    with contextlib.suppress(OSError, ValueError):
        return float(Path("/proc/loadavg").read_text().split()[0])
    return float("nan")


def load_figures(loads):
    return {
        "start": loads[0],
        "mean": round(sum(loads) / len(loads), 2),
        "max": max(loads),
        "end": loads[-1],
    }


def summarize(label, plans, stats, elapsed):
    done = sum(plan.done for plan in plans)
    rate = done / (elapsed / 60) if elapsed else 0.0
    load = load_figures(stats.loads)
    print(
        f"\n== {label}: {done}/{len(plans)} orders in {elapsed:.0f}s"
        f" = {rate:.1f} orders/min (load average {load['start']} at the start,"
        f" mean {load['mean']}, max {load['max']}, {load['end']} at the end;"
        f" {os.cpu_count()} cores)"
    )
    print_table(
        f"{label}: time per transition (ms, client side)",
        ("transition", "n", "p50", "p95", "max"),
        timing_table(stats),
    )
    error_rows = [
        (kind, step, count, "ok (collision)" if is_good(kind) else "BAD")
        for (kind, step), count in sorted(stats.errors.items())
    ]
    print_table(f"{label}: errors by kind", ("kind", "step", "n", ""), error_rows)
    for kind, sample in sorted(stats.samples.items()):
        print(f"  e.g. {kind}: {sample}")
    if stats.collisions:
        print_table(
            f"{label}: deliberate collisions",
            ("collision", "outcome", "n"),
            [(what, how, n) for (what, how), n in sorted(stats.collisions.items())],
        )
    return rate


def is_good(kind):
    """Errors that collisions are expected to produce: translated UserErrors."""
    return kind.startswith("UserError") and "untranslated" not in kind
