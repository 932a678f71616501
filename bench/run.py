"""Benchmark Sinorus Learn under gunicorn: per-route throughput, latency and SQL per request.

    python bench/run.py [--size small|large|both] [--seconds N] [--rounds N] [--clients N]
                        [--db sqlite|postgres] [--cache DIR] [--large-students N] ...

For each size it builds a database (Alembic upgrade, content load, bulk seed through the models;
or a copy from --cache), starts gunicorn on loopback with BENCH_ENDPOINTS on and logs clients in.
Both sizes' servers run side by side, so their numbers are measured minutes closer together:
the run goes in --rounds rounds, and each round measures every phase (one route, every client
hitting it) on the small server and then at once on the large one, --seconds / --rounds each.
A noisy shared machine drifts by 2x over minutes; interleaving spreads that drift over every
route and size alike instead of letting it decide a ratio. Throughput is compared with two
bare endpoints: a read by primary key (for pages), and a read + insert + commit (for writes).
Each route's reference is measured on the same server just before it, in every round, for a
third of its time: a ratio then compares two windows seconds apart, not minutes. The bare rows
of the tables sum these windows. A realistic mixed phase follows per size, then one TARGET line
per target.

With --cache and the defaults (16 routes x 2 sizes x 9 s, their references, warm-ups and the
mix) a run takes about 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from client import MEASURED, ClientSpec, Http, login, run_clients, weigh_pages
from report import SizeResult, compare, merge, print_size, ratio, reference_of, summarise, targets
from seeding import REPO, Size, answer_items, finished_attempts, prepare_database, read_rows

# this checkout's app (seeding imports it lazily), not the one installed in the venv
sys.path.insert(0, str(REPO))

REFERENCE_SHARE = 1 / 3  # of a route's measured seconds, for its reference just before it
REFERENCE_WARMUP = 0.25
MIX_FACTOR = 3


# ----------------------------------------------------------------------------- measuring


@dataclass
class Bench:
    """One size's database, server and logged-in clients, and the records of its rounds."""

    size: Size
    url: str
    port: int
    specs: list[ClientSpec]
    weights: dict[str, int]
    external: list[str]
    data: dict[str, Any] = field(default_factory=dict)  # per route, bare rows included
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    references: dict[str, Any] = field(default_factory=dict)  # per route, its own reference


def prepare(size: Size, args: argparse.Namespace, workdir: Path, stack: ExitStack) -> Bench:
    """Database, a running server (``stack`` stops it), logged-in clients and page weights."""
    print(f"\n=== size {size.name}: {size.describe()}; database {args.db}", flush=True)
    url, info = prepare_database(size, args, workdir)
    server, port = start_server(url, args, workdir / f"gunicorn-{size.name}.log")
    stack.callback(stop_server, server)
    teacher = login(port, "instructor@bench.example")
    specs = []
    for i in range(min(args.clients, size.students)):
        email = f"student{i + 1}@bench.example"
        specs.append(
            ClientSpec(
                user=i + 2,
                student=login(port, email),
                teacher=teacher,
                slugs=tuple(info["slugs"]),
                topics=tuple(info["topics"]),
                class_id=1,
                finished=tuple(finished_attempts(url, email)),
            )
        )
    weights, external = weigh_pages(port, specs[0])
    return Bench(size, url, port, specs, weights, external)


def run_rounds(benches: list[Bench], args: argparse.Namespace, pool: ProcessPoolExecutor) -> None:
    """Each round measures every route on each size in turn, so the sizes share the drift, and
    each right after its reference, so a route and its reference share it too."""
    seconds = args.seconds / args.rounds
    reference_seconds = seconds * REFERENCE_SHARE
    for round_ in range(1, args.rounds + 1):
        for phase in MEASURED:
            rates = []
            for bench in benches:
                bare = reference_of(phase)
                reference, _ = _run_phase(
                    bare, bench, args, pool, reference_seconds, REFERENCE_WARMUP
                )
                data, started = _run_phase(phase, bench, args, pool, seconds)
                bench.data = merge([bench.data, reference, data])
                if bare in reference:
                    bench.references = merge([bench.references, {phase: reference[bare]}])
                bench.seconds[bare] += reference_seconds
                bench.seconds[phase] += seconds
                if phase == "start":  # the answer phase posts to these attempts' items
                    bench.specs = [
                        replace(spec, items=tuple(answer_items(bench.url, started[spec.user])))
                        for spec in bench.specs
                    ]
                done = len(data[phase]["lat"]) if phase in data else 0
                ref = len(reference[bare]["lat"]) if bare in reference else 0
                rates.append(
                    f"{bench.size.name} {done / seconds:.1f} ({bare.replace('_', ' ')} "
                    f"{ref / reference_seconds:.1f})"
                )
            print(f"    round {round_}/{args.rounds} {phase}: {', '.join(rates)} req/s", flush=True)


def autovacuum_runs(url: str) -> int | None:
    """PostgreSQL's autovacuum and autoanalyze runs so far on this database (None on SQLite):
    they share the CPU with the server, so the run reports how many fell in its rounds."""
    if not url.startswith("postgresql"):
        return None
    from sqlalchemy import text

    query = text(
        "SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_user_tables"
    )
    return int(read_rows(url, query, {})[0][0])


def _run_phase(
    phase: str,
    bench: Bench,
    args: argparse.Namespace,
    pool: ProcessPoolExecutor,
    seconds: float,
    warmup: float | None = None,
) -> tuple[dict[str, Any], dict[int, list[int]]]:
    """Run a phase for ``seconds`` after the warm-up, clients split over the pool's processes;
    return its records and, per user, the attempts it started."""
    procs = max(1, min(args.procs, len(bench.specs)))
    groups = [bench.specs[i::procs] for i in range(procs)]
    warmup = args.warmup if warmup is None else warmup
    futures = [
        pool.submit(run_clients, phase, bench.port, group, seconds, warmup, bench.url)
        for group in groups
    ]
    parts, started = [], {}
    for future in futures:
        data, ids = future.result()
        parts.append(data)
        started.update(ids)
    return merge(parts), started


def finish(bench: Bench, args: argparse.Namespace, pool: ProcessPoolExecutor) -> SizeResult:
    """Run the realistic mix on this size and print its tables."""
    bench.specs = [replace(spec, items=()) for spec in bench.specs]
    mix_seconds = args.seconds * MIX_FACTOR  # a visit is ~14 requests: give it time to repeat
    mix, _ = _run_phase("mix", bench, args, pool, mix_seconds)
    routes = summarise(bench.data, bench.seconds)
    references = summarise(bench.references, args.seconds * REFERENCE_SHARE)
    for route, reference in references.items():
        routes[route]["ratio"] = ratio(routes[route]["rps"], reference["rps"])
    result = SizeResult(
        bench.size, routes, summarise(mix, mix_seconds), bench.weights, tuple(bench.external)
    )
    print_size(result, len(bench.specs), args.seconds, args.rounds)
    return result


# ----------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, args: argparse.Namespace, log: Path) -> tuple[subprocess.Popen, int]:
    """Start gunicorn on a free loopback port; stop it again if it never answers."""
    port = free_port()
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": url,
        "BENCH_SECRET_KEY": secrets.token_hex(16),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--pythonpath",
        str(REPO / "bench"),
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(args.workers),
        "-k",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
        "bench_wsgi:app",
    ]
    server = subprocess.Popen(cmd, env=env, cwd=str(REPO))
    try:
        _wait_ready(server, port, log)
    except BaseException:
        stop_server(server)
        raise
    return server, port


def _wait_ready(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if Http(port).request("GET", "/bench/read").status == 200:
                return
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log}")
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=("small", "large", "both"), default="both")
    parser.add_argument(
        "--seconds", type=float, default=9.0, help="measured seconds per route and size"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument(
        "--warmup", type=float, default=0.5, help="unmeasured seconds before each measurement"
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--small-students", type=int, default=100)
    parser.add_argument("--large-students", type=int, default=10_000)
    parser.add_argument("--attempts", type=int, default=20, help="finished attempts per student")
    parser.add_argument("--answers", type=int, default=5, help="answers per attempt")
    parser.add_argument("--class-size", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    parser.add_argument("--cache", metavar="DIR", help="reuse seeded SQLite databases kept in DIR")
    args = parser.parse_args(argv)

    sizes = {
        "small": Size("small", args.small_students, args.attempts, args.answers, args.class_size),
        "large": Size("large", args.large_students, args.attempts, args.answers, args.class_size),
    }
    chosen = ["small", "large"] if args.size == "both" else [args.size]
    workdir = Path(tempfile.mkdtemp(prefix="sinorus-bench-"))
    print(
        f"Sinorus Learn benchmark: gunicorn {args.workers} workers x {args.threads} threads "
        f"({args.worker_class}), {args.clients} clients in {args.procs} processes, "
        f"{args.db}, {args.seconds:g} s per route and size in {args.rounds} rounds, "
        f"{args.warmup:g} s warm-up each; {os.cpu_count()} CPUs; work dir {workdir}"
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop the servers
    began = time.perf_counter()
    try:
        with ExitStack() as stack:  # on the way out: the pool's clients first, then servers
            benches = [prepare(sizes[name], args, workdir, stack) for name in chosen]
            pool = stack.enter_context(
                ProcessPoolExecutor(args.procs, mp_context=get_context("spawn"))
            )
            print(flush=True)
            vacuums = [autovacuum_runs(bench.url) for bench in benches]
            run_rounds(benches, args, pool)
            if args.db == "postgres":
                counts = ", ".join(
                    f"{bench.size.name} {autovacuum_runs(bench.url) - before}"
                    for bench, before in zip(benches, vacuums, strict=True)
                )
                print(f"    autovacuum and autoanalyze runs during the rounds: {counts}")
            runs = [finish(bench, args, pool) for bench in benches]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if len(runs) == 2:
        compare(runs)
    print()
    for text_line in targets(runs):
        print(text_line)
    print(f"\nbenchmark took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
