"""The benchmark's report: per-route figures, tables, the large / small comparison, TARGET lines."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from client import PHASES, ROUTE_LABELS, STUDENT_PAGES, STUDENT_ROUTES, WRITES
from seeding import Size


@dataclass(frozen=True)
class SizeResult:
    """One size's figures: per route alone and in the mix, page weights, external URLs."""

    size: Size
    routes: dict[str, Any]  # route: summarise()'s figures, with the ratio to its reference
    mix: dict[str, Any]
    weights: dict[str, int]
    external: tuple[str, ...]


# ----------------------------------------------------------------------------- figures


def reference_of(route: str) -> str:
    """The bare endpoint a route's throughput is compared with."""
    return "bare_write" if route in WRITES else "bare_read"


def summarise(data: dict[str, Any], seconds: float | dict[str, float]) -> dict[str, Any]:
    """Per route: req/s over its measured seconds (one figure, or one per route), median and
    p95 latency, SQL statements, response size, errors."""
    out = {}
    for route, entry in data.items():
        measured = seconds[route] if isinstance(seconds, dict) else seconds
        lat = sorted(entry["lat"])
        if not lat:
            out[route] = {
                "n": 0,
                "rps": 0.0,
                "median": math.nan,
                "p95": math.nan,
                "sql": -1,
                "sql_max": -1,
                "size": 0,
                "errors": entry["errors"],
            }
            continue
        out[route] = {
            "n": len(lat),
            "rps": len(lat) / measured,
            "median": statistics.median(lat) * 1000,
            "p95": lat[min(len(lat) - 1, int(0.95 * len(lat)))] * 1000,
            "sql": statistics.median(entry["sql"]),
            "sql_max": max(entry["sql"]),
            "size": int(statistics.median(entry["size"])),
            "errors": entry["errors"],
        }
    return out


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Join records of one route from several processes or rounds."""
    merged: dict[str, Any] = defaultdict(lambda: {"lat": [], "sql": [], "size": [], "errors": 0})
    for part in parts:
        for route, entry in part.items():
            for key in ("lat", "sql", "size"):
                merged[route][key].extend(entry[key])
            merged[route]["errors"] += entry["errors"]
    return merged


def ratio(a: float, b: float) -> float:
    """a / b, or NaN (which misses every target) when b is zero: no crash after a long run."""
    return a / b if b else math.nan


def print_table(title: str, stats: dict[str, Any], with_ratio: bool) -> None:
    """Print one table of summarise()'s figures, a row per route in PHASES order."""
    print(f"\n{title}")
    print(
        f"  {'route':<46} {'req/s':>7} {'med ms':>7} {'p95 ms':>7} {'SQL/req':>8} "
        f"{'bytes':>7} {'errors':>6}" + ("  ratio" if with_ratio else "")
    )
    for route in PHASES:
        if route not in stats:
            continue
        s = stats[route]
        shown = ""
        if with_ratio and "ratio" in s:
            shown = f"  {s['ratio']:.2f}x {reference_of(route).replace('_', ' ')}"
        sql = f"{s['sql']:g}" if s["sql"] == s["sql_max"] else f"{s['sql']:g}-{s['sql_max']}"
        print(
            f"  {ROUTE_LABELS[route]:<46} {s['rps']:>7.1f} {s['median']:>7.1f} "
            f"{s['p95']:>7.1f} {sql:>8} {s['size']:>7} {s['errors']:>6}{shown}"
        )


def print_size(result: SizeResult, clients: int, seconds: float, rounds: int) -> None:
    """Print one size's tables, routes alone and in the mix, and its page weights."""
    name = result.size.name
    print_table(
        f"--- {name}: one route at a time, {clients} clients, {seconds:g} s each "
        f"in {rounds} interleaved rounds (ratio = req/s over the bare endpoint's, measured "
        "just before the route each round; bare rows: all those windows)",
        result.routes,
        with_ratio=True,
    )
    print_table(
        f"--- {name}: realistic mix (lesson, start, 5 x (quiz page + answer), "
        "progress; dashboard 1 visit in 5)",
        result.mix,
        with_ratio=False,
    )
    print(
        "    page weight incl. CSS, scripts, images: "
        + ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in result.weights.items())
    )


# ----------------------------------------------------------------------------- targets


def targets(runs: list[SizeResult]) -> list[str]:
    """One TARGET line per target: ok or miss, and the figure measured."""
    lines = []

    def line(ok: bool, target: str, measured: str) -> None:
        lines.append(f"TARGET {'ok  ' if ok else 'miss'} {target}: {measured}")

    for run in runs:
        r, name = run.routes, run.size.name
        x = r["answer"].get("ratio", math.nan)  # NaN misses: no reference was measured
        line(x >= 0.5, f"[{name}] answer submission >= 0.5x bare write", f"{x:.2f}x")
        x = r["start"].get("ratio", math.nan)  # a lesson quiz, composed to its blueprint
        line(x >= 0.25, f"[{name}] start quiz >= 0.25x bare write", f"{x:.2f}x")
        for page in STUDENT_PAGES:
            x = r[page].get("ratio", math.nan)
            line(x >= 0.25, f"[{name}] {page} page >= 0.25x bare read", f"{x:.2f}x")
        worst = max(STUDENT_ROUTES, key=lambda k: r[k]["sql_max"])
        line(
            r[worst]["sql_max"] <= 6,
            f"[{name}] SQL statements per request <= 6 on every student route",
            f"max {r[worst]['sql_max']} ({worst})",
        )
        for page in ("lesson", "question"):
            kb = run.weights[page] / 1024
            line(kb < 60, f"[{name}] {page} page < 60 KB incl. CSS and scripts", f"{kb:.1f} KB")
        ext = run.external
        line(not ext, f"[{name}] no request to another host", ", ".join(ext) or "none found")
    if len(runs) == 2:
        small, large = runs[0].routes, runs[1].routes
        for route in PHASES:
            if route.startswith("bare"):
                continue
            x = ratio(large[route]["p95"], small[route]["p95"])
            line(
                x <= 1.5,
                f"p95 large <= 1.5x small: {route}",
                f"{small[route]['p95']:.1f} -> {large[route]['p95']:.1f} ms ({x:.2f}x)",
            )
    return lines


def compare(runs: list[SizeResult]) -> None:
    """Print the large size's figures over the small one's, route by route."""
    small, large = runs[0].routes, runs[1].routes
    print(
        f"\n--- large / small ({runs[1].size.students:,} vs {runs[0].size.students:,} "
        "students; 1.00 = flat)"
    )
    print(f"  {'route':<46} {'req/s':>7} {'p95':>7} {'SQL small':>10} {'SQL large':>10}")
    for route in PHASES:
        s, lg = small[route], large[route]
        print(
            f"  {ROUTE_LABELS[route]:<46} {ratio(lg['rps'], s['rps']):>7.2f} "
            f"{ratio(lg['p95'], s['p95']):>7.2f} {s['sql_max']:>10} {lg['sql_max']:>10}"
        )
