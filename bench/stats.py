"""Latency summaries and the comparison table printed by `python -m bench.run`."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

TARGET_RATIO = 3.0


@dataclass(frozen=True)
class Summary:
    """One measured run: `ops` operations in `seconds` of wall time."""

    ops: int
    seconds: float
    latencies: tuple[float, ...]  # seconds, one per operation
    retries: int = 0  # transactions retried after a lock timeout or conflict (warm-up included)

    @property
    def throughput(self) -> float:
        return self.ops / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of `values`."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Comparison:
    """A use-case run beside the same work written as hand-written SQL."""

    benchmark: str
    database: str
    threads: int
    candidate: Summary
    baseline: Summary

    @property
    def latency_ratio(self) -> float:
        return self.candidate.percentile(50) / self.baseline.percentile(50)

    @property
    def throughput_ratio(self) -> float:
        return self.baseline.throughput / self.candidate.throughput

    @property
    def verdict(self) -> str:
        worst = max(self.latency_ratio, self.throughput_ratio)
        return "PASS" if worst <= TARGET_RATIO else "OVER"


_HEADER = (
    "database",
    "threads",
    "ops",
    "uc ops/s",
    "uc p50 ms",
    "uc p99 ms",
    "sql ops/s",
    "sql p50 ms",
    "sql p99 ms",
    "retries uc/sql",
    "p50 ×",
    "ops/s ×",
    f"≤ {TARGET_RATIO:g}×",
)


def _cells(row: Comparison) -> tuple[str, ...]:
    uc, sql = row.candidate, row.baseline
    return (
        row.database,
        str(row.threads),
        str(uc.ops),
        f"{uc.throughput:.0f}",
        f"{uc.percentile(50) * 1000:.2f}",
        f"{uc.percentile(99) * 1000:.2f}",
        f"{sql.throughput:.0f}",
        f"{sql.percentile(50) * 1000:.2f}",
        f"{sql.percentile(99) * 1000:.2f}",
        f"{uc.retries}/{sql.retries}",
        f"{row.latency_ratio:.2f}",
        f"{row.throughput_ratio:.2f}",
        row.verdict,
    )


def table(rows: Sequence[Comparison]) -> str:
    """A fixed-width text table, one line per comparison."""
    lines = [_HEADER, *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(_HEADER))]
    rendered = [
        "  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)) for line in lines
    ]
    rendered.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(rendered)
