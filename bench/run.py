"""The tolls benchmark suite: one command, five figures, one summary line.

    .venv/bin/python bench/run.py [--quick] [--keep] [--profile FILE]

1. extract_aps  ``Extractor.extract`` on generated articles, one thread, after a warm-up.
2. e2e_aps      ``tolls up`` (embedded broker, fresh temp data dir); N articles published as
                fast as possible; articles/s from the first publish until every article is
                in DuckDB with all its mentions resolved (polled through the worker's
                query endpoint).
3. p50/p99_ms   the same worker, new articles at a steady 20/s: time from publish until the
                article and all its mentions are visible through the query endpoint.
4. rss_mb       peak RSS (VmHWM) of the worker process at the end of (2).
5. ceiling_aps  a faust agent that only counts (bench/ceiling.py) on the same broker, over N
                messages of the same size: the most the consumer side can deliver.

Progress goes to stderr; the figures go to stdout, which ends with exactly one line
``bench: extract_aps=... e2e_aps=... ceiling_aps=... p50_ms=... p99_ms=... rss_mb=...``.
See bench/README.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CEILING = Path(__file__).resolve().parent / "ceiling.py"

# Environment for the subprocesses: as the caller had it, minus any TOLLS_* settings (the
# benchmark always runs the defaults on the embedded broker of a fresh data dir).
CHILD_ENV = {k: v for k, v in os.environ.items() if not k.startswith("TOLLS_")}

SEED_EXTRACT, SEED_WARM, SEED_E2E, SEED_LATENCY, SEED_EXTRACT_WARM = 11, 12, 13, 14, 15
TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(RuntimeError):
    """The benchmark could not run; the message says why."""


def progress(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- environment


def ensure_project_python() -> None:
    """Re-run under the project's venv when started with a Python that lacks its packages."""
    try:
        import aiokafka  # noqa: F401
        import faust  # noqa: F401

        import processors  # noqa: F401
    except ImportError:
        venv_python = ROOT / ".venv" / "bin" / "python"
        if venv_python.exists() and Path(sys.executable).resolve() != venv_python.resolve():
            os.execv(str(venv_python), [str(venv_python), __file__, *sys.argv[1:]])
        raise SystemExit(
            "bench: the project's packages are not importable; run it with the project's "
            "virtualenv: .venv/bin/python bench/run.py"
        ) from None


@dataclass
class Machine:
    nproc: int
    cpu_model: str
    python: str
    load_start: tuple[float, float, float]

    @classmethod
    def probe(cls) -> Machine:
        model = platform.processor() or "unknown"
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        return cls(
            nproc=len(os.sched_getaffinity(0)),
            cpu_model=model,
            python=platform.python_version(),
            load_start=os.getloadavg(),
        )

    def describe(self) -> str:
        la = " ".join(f"{x:.2f}" for x in self.load_start)
        return (
            f"machine: nproc={self.nproc}, CPU {self.cpu_model}, Python {self.python}, "
            f"load average before the run {la}"
        )


def proc_ticks(pid: int) -> int:
    """User + system CPU ticks of a process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])


def system_busy_ticks() -> int:
    """CPU ticks spent busy (not idle, not iowait) by the whole machine, all cores."""
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    total = sum(parts[:8])  # user nice system idle iowait irq softirq steal
    return total - parts[3] - parts[4]


@dataclass
class CpuMeter:
    """Cores used during a phase by our processes and by everything else on the machine."""

    pids: dict[str, int]
    t0: float = 0.0
    sys0: int = 0
    ours0: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.t0 = time.monotonic()
        self.sys0 = system_busy_ticks()
        self.ours0 = {k: proc_ticks(p) for k, p in self.pids.items()}

    def stop(self) -> dict[str, float]:
        dt = max(time.monotonic() - self.t0, 1e-6)
        ours = {k: (proc_ticks(p) - self.ours0[k]) / TICKS / dt for k, p in self.pids.items()}
        total = (system_busy_ticks() - self.sys0) / TICKS / dt
        return {**ours, "others": max(0.0, total - sum(ours.values())), "machine": total}


def cpu_line(usage: dict[str, float], nproc: int) -> str:
    parts = ", ".join(f"{k} {v:.2f}" for k, v in usage.items() if k not in ("others", "machine"))
    busy = " (machine was BUSY with other work)" if usage["others"] >= 0.25 * nproc else ""
    return (
        f"cores used: {parts}; everything else on the machine {usage['others']:.2f}{busy}; "
        f"machine total {usage['machine']:.2f} of {nproc}"
    )


def vm_status(pid: int) -> dict[str, int]:
    """VmRSS / VmHWM (kB) of a process."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0])
    except OSError:
        pass
    return out


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n*q/100), at least 1
    return ordered[int(rank) - 1]


# --------------------------------------------------------------------------- 1. extraction


def bench_extract(n: int) -> dict[str, Any]:
    # One thread: keep the numeric libraries under spaCy from spreading over the cores.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from bench.corpus import generate
    from bench.extract_bench import measure
    from processors.extract import default_extractor
    from processors.models import Article

    articles = [Article.model_validate(a) for a in generate(n, SEED_EXTRACT)]
    warm = [Article.model_validate(a) for a in generate(20, SEED_EXTRACT_WARM)]
    kb = sum(len(a.text) for a in articles) / len(articles) / 1000
    progress(f"extract: loading the model, warming up on {len(warm)} articles")
    ex = default_extractor()
    for a in warm:
        ex.extract(a)
    progress(f"extract: timing {n} articles on one thread")
    meter = CpuMeter({"bench": os.getpid()})
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    rate = measure(articles, ex)
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    usage = meter.stop()
    no_claims = sum(1 for a in articles[:50] if not ex.extract(a))
    return {
        "rate": rate,
        "n": n,
        "kb": kb,
        "cpu_per_wall": cpu / wall if wall else 0.0,
        "usage": usage,
        "no_claims_in_first_50": no_claims,
    }


# --------------------------------------------------------------------------- the service


class Service:
    """``tolls up`` in its own data dir, on the embedded broker it starts there."""

    def __init__(self, data_dir: Path) -> None:
        from streams.settings import Settings

        self.data_dir = data_dir
        self.settings = Settings(data_dir=data_dir)
        self.log_path = data_dir / "worker.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.pid = 0

    def start(self, timeout: float = 120) -> None:
        from bench.crash import spawn_up
        from streams.service import ServiceError, wait_for_endpoint

        self.proc = spawn_up(self.data_dir, CHILD_ENV, self.log_path)
        try:
            self.pid = wait_for_endpoint(self.settings, timeout, proc=self.proc).pid
        except ServiceError as exc:
            raise BenchError(f"{exc}\n--- {self.log_path} (tail) ---\n{self.log_tail()}") from exc

    @property
    def broker_url(self) -> str:
        from streams import broker as embedded

        info = embedded.read_state(self.data_dir)
        if info is None:
            raise BenchError(f"no embedded broker is recorded in {self.data_dir}")
        return info.url

    @property
    def broker_pid(self) -> int:
        from streams import broker as embedded

        info = embedded.read_state(self.data_dir)
        return info.pid if info else 0

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise BenchError(
                f"the worker exited with status {self.proc.returncode}\n"
                f"--- {self.log_path} (tail) ---\n{self.log_tail()}"
            )

    def query(self, sql: str) -> list[dict[str, Any]]:
        from streams.client import query
        from streams.service import ServiceError

        self.check_alive()
        try:
            columns, rows = query(self.settings, sql)
        except ServiceError as exc:
            self.check_alive()
            raise BenchError(f"query failed: {exc}") from exc
        return [dict(zip(columns, r, strict=True)) for r in rows]

    def stop(self, timeout: float = 60) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            progress(f"worker did not stop within {timeout:.0f} s; killing it")
            self.proc.kill()
            self.proc.wait(timeout=30)

    def down(self) -> None:
        """Stop the worker and the embedded broker (``tolls down``); never raises."""
        try:
            self.stop()
        except Exception as exc:
            progress(f"stopping the worker failed: {exc}")
        try:
            subprocess.run(
                [sys.executable, "-m", "streams.cli", "down", "--data-dir", str(self.data_dir)],
                cwd=ROOT,
                env=CHILD_ENV,
                capture_output=True,
                timeout=60,
                check=False,
            )
        except Exception as exc:
            progress(f"`tolls down` failed: {exc}")
        # Belt and braces: a broker that is still recorded there gets stopped directly.
        try:
            from streams import broker as embedded

            embedded.stop(self.data_dir)
        except Exception as exc:
            progress(f"stopping the embedded broker failed: {exc}")


def payloads(articles: Sequence[dict[str, Any]]) -> list[tuple[str, bytes]]:
    return [(str(a["id"]), json.dumps(a, ensure_ascii=False).encode()) for a in articles]


def publish(url: str, topic: str, items: list[tuple[str, bytes]]) -> float:
    """Publish as fast as possible (streams.replay.publish); returns the seconds it took."""
    from streams.replay import publish as replay_publish

    report = asyncio.run(replay_publish(url, topic, items))
    if report.sent != len(items):
        raise BenchError(f"published {report.sent} of {len(items)} messages")
    return report.seconds


def create_topic(url: str, topic: str, partitions: int) -> None:
    async def go() -> None:
        from aiokafka.admin import AIOKafkaAdminClient, NewTopic

        from streams.service import broker_address

        host, port = broker_address(url)
        admin = AIOKafkaAdminClient(bootstrap_servers=f"{host}:{port}")
        await admin.start()
        try:
            await admin.create_topics([NewTopic(topic, partitions, replication_factor=1)])
        finally:
            await admin.close()

    asyncio.run(go())


def status_sql(prefix: str) -> str:
    like = f"'{prefix}%'"
    return (
        f"SELECT (SELECT count(*) FROM articles WHERE article_id LIKE {like}) AS articles, "
        f"(SELECT coalesce(sum(n_mentions), 0) FROM articles WHERE article_id LIKE {like}) "
        "AS expected, "
        f"(SELECT count(*) FROM articles WHERE article_id LIKE {like} AND n_mentions = 0) "
        "AS no_claims, "
        f"(SELECT count(*) FROM mentions WHERE article_id LIKE {like}) AS mentions, "
        f"(SELECT count(*) FROM rejected WHERE article_id LIKE {like}) AS rejected"
    )


def wait_resolved(
    svc: Service,
    prefix: str,
    n: int,
    timeout: float,
    interval: float = 0.25,
    started: float | None = None,
    on_poll: Callable[[], None] | None = None,
) -> tuple[float, dict[str, Any]]:
    """Poll until ``n`` articles with ids starting ``prefix`` are in DuckDB and resolved.

    Returns the monotonic time at which that was first seen, and the last status row.
    Fails when a message was rejected, the worker died, or nothing moved for a long time.
    """
    sql = status_sql(prefix)
    t_start = started if started is not None else time.monotonic()
    deadline = time.monotonic() + timeout
    last_shown = 0.0
    last_change, last_key = time.monotonic(), None
    while True:
        row = svc.query(sql)[0]
        now = time.monotonic()
        if on_poll:
            on_poll()
        if row["rejected"]:
            raise BenchError(f"the worker rejected {row['rejected']} benchmark articles: {row}")
        if row["articles"] >= n and row["mentions"] >= row["expected"]:
            if row["articles"] > n or row["mentions"] > row["expected"]:
                progress(f"warning: more rows than expected: {row}")
            return now, row
        key = (row["articles"], row["mentions"])
        if key != last_key:
            last_key, last_change = key, now
        if now - last_shown >= 3:
            last_shown = now
            rate = row["articles"] / max(now - t_start, 1e-6)
            progress(
                f"  {row['articles']}/{n} articles in DuckDB ({rate:.1f}/s), "
                f"mentions {row['mentions']}/{row['expected']}"
            )
        if now > deadline:
            raise BenchError(f"not processed within {timeout:.0f} s: {row}")
        if now - last_change > 90:
            raise BenchError(f"no progress for 90 s: {row}\n{svc.log_tail()}")
        time.sleep(interval)


# --------------------------------------------------------------------------- 2. end to end


def bench_e2e(svc: Service, n: int, profile: Path | None, gil: bool = False) -> dict[str, Any]:
    from bench.corpus import generate
    from streams.service import ensure_topics

    url = svc.broker_url
    ensure_topics(url, svc.settings)
    topic = svc.settings.articles_topic

    warm = generate(10, SEED_WARM)
    progress(f"e2e: warm-up: {len(warm)} articles (loads the model, settles the group)")
    publish(url, topic, payloads(warm))
    wait_resolved(svc, f"bench-{SEED_WARM}-", len(warm), timeout=240)

    items = payloads(generate(n, SEED_E2E))
    kb = sum(len(p) for _, p in items) / len(items) / 1000
    pids = {"worker": svc.pid, "broker": svc.broker_pid, "bench": os.getpid()}
    spy = start_py_spy(svc.pid, profile, gil) if profile else None
    peak_rss = [0]

    def sample_rss() -> None:
        peak_rss[0] = max(peak_rss[0], vm_status(svc.pid).get("VmRSS", 0))

    progress(f"e2e: publishing {n} articles ({kb:.1f} KB each on the wire) as fast as possible")
    meter = CpuMeter(pids)
    t0 = time.monotonic()
    pub_s = publish(url, topic, items)
    progress(f"e2e: published in {pub_s:.1f} s ({n / pub_s:.0f} msg/s); waiting for the worker")
    t_done, row = wait_resolved(
        svc, f"bench-{SEED_E2E}-", n, timeout=max(300.0, n * 0.5), started=t0, on_poll=sample_rss
    )
    usage = meter.stop()
    elapsed = t_done - t0
    vm = vm_status(svc.pid)
    if spy is not None:
        stop_py_spy(spy, profile)
    return {
        "rate": n / elapsed,
        "n": n,
        "kb": kb,
        "seconds": elapsed,
        "publish_s": pub_s,
        "mentions": row["mentions"],
        "no_claims": row["no_claims"],
        "usage": usage,
        "vmhwm_kb": vm.get("VmHWM", 0),
        "vmrss_kb": vm.get("VmRSS", 0),
        "peak_rss_sampled_kb": peak_rss[0],
    }


def start_py_spy(pid: int, out: Path | None, gil: bool) -> subprocess.Popen[bytes] | None:
    exe = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(exe).exists():
        progress("profile: py-spy not found (pip install py-spy); running without it")
        return None
    assert out is not None
    progress(f"profile: py-spy recording the worker (pid {pid}) to {out}")
    return subprocess.Popen(
        [exe, "record", "--pid", str(pid), "--format", "raw", "--threads", "-r", "100"]
        + (["--gil"] if gil else ["--idle"])
        + ["--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop_py_spy(spy: subprocess.Popen[bytes], out: Path | None) -> None:
    spy.send_signal(signal.SIGINT)
    try:
        _, err = spy.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        spy.kill()
        _, err = spy.communicate()
    if out is None or not out.exists():
        progress(f"profile: py-spy wrote nothing: {err.decode(errors='replace')[-500:]}")
    else:
        progress(f"profile: collapsed stacks in {out}")


# --------------------------------------------------------------------------- 3. latency


def bench_latency(
    svc: Service, rate: float, seconds: float, poll_s: float = 0.03, drain_s: float = 60.0
) -> dict[str, Any]:
    from bench.corpus import generate

    n = max(1, round(rate * seconds))
    articles = generate(n, SEED_LATENCY)
    items = payloads(articles)
    url = svc.broker_url
    topic = svc.settings.articles_topic
    progress(f"latency: {n} articles at {rate:g}/s for {seconds:g} s, polling every {poll_s:g} s")
    result = asyncio.run(_latency(svc, url, topic, items, rate, poll_s, drain_s))
    result.update(n=n, rate=rate, seconds=seconds, poll_s=poll_s)
    return result


async def _latency(
    svc: Service,
    url: str,
    topic: str,
    items: list[tuple[str, bytes]],
    rate: float,
    poll_s: float,
    drain_s: float,
) -> dict[str, Any]:
    from aiokafka import AIOKafkaProducer

    from streams.service import broker_address

    host, port = broker_address(url)
    producer = AIOKafkaProducer(
        bootstrap_servers=f"{host}:{port}", acks="all", linger_ms=0, max_request_size=4 << 20
    )
    await producer.start()
    sent_at: dict[str, float] = {}
    seen_at: dict[str, float] = {}
    no_claims: set[str] = set()
    sending_done = asyncio.Event()
    polls = [0]

    async def sender() -> None:
        acks = []
        start = time.monotonic()
        for i, (aid, payload) in enumerate(items):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sent_at[aid] = time.monotonic()
            acks.append(await producer.send(topic, payload, key=aid.encode()))
        await asyncio.gather(*acks)
        sending_done.set()

    async def poller() -> None:
        while True:
            outstanding = [a for a in sent_at if a not in seen_at]
            if sending_done.is_set() and not outstanding:
                return
            if outstanding:
                ids = ", ".join(f"'{a}'" for a in outstanding)
                # Done = the article row is there and all its mentions are resolved.
                sql = (
                    "SELECT a.article_id, a.n_mentions, count(m.article_id) AS mentions "
                    f"FROM articles a LEFT JOIN mentions m USING (article_id) "
                    f"WHERE a.article_id IN ({ids}) GROUP BY a.article_id, a.n_mentions"
                )
                rows = await asyncio.to_thread(svc.query, sql)
                now = time.monotonic()
                polls[0] += 1
                for r in rows:
                    if r["mentions"] >= r["n_mentions"]:
                        seen_at[r["article_id"]] = now
                        if not r["n_mentions"]:
                            no_claims.add(r["article_id"])
            await asyncio.sleep(poll_s)

    meter = CpuMeter({"worker": svc.pid, "broker": svc.broker_pid, "bench": os.getpid()})
    try:
        send_task = asyncio.create_task(sender())
        poll_task = asyncio.create_task(poller())
        await send_task
        progress(f"latency: all {len(items)} sent; waiting for the last ones")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(poll_task, timeout=drain_s)
    finally:
        await producer.stop()
    usage = meter.stop()
    latencies = [(seen_at[a] - sent_at[a]) * 1000 for a in sent_at if a in seen_at]
    missing = [a for a in sent_at if a not in seen_at]
    # Latency of the first and the last tenth, in send order: growth means a queue built up.
    tenth = max(1, len(latencies) // 10)
    # An article never seen counts as the whole wait, so that it shows in the tail.
    latencies += [drain_s * 1000] * len(missing)
    return {
        "first_tenth_ms": percentile(latencies[:tenth], 50),
        "last_tenth_ms": percentile(latencies[-tenth:], 50),
        "latencies_ms": latencies,
        "missing": len(missing),
        "no_claims": len(no_claims),
        "polls": polls[0],
        "usage": usage,
    }


# --------------------------------------------------------------------------- 5. ceiling


def bench_ceiling(svc: Service, n: int, data_dir: Path) -> dict[str, Any]:
    from bench.corpus import generate

    url = svc.broker_url
    topic = f"bench-ceiling-{uuid.uuid4().hex[:8]}"
    create_topic(url, topic, svc.settings.partitions)
    items = payloads(generate(n, SEED_E2E))
    progress(f"ceiling: {n} messages to the fresh topic {topic}")
    publish(url, topic, items)
    out = data_dir / "ceiling.json"
    log_path = data_dir / "ceiling.log"
    progress("ceiling: starting the counting agent (bench/ceiling.py)")
    pids = {"ceiling": 0, "broker": svc.broker_pid}
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [
                *(sys.executable, str(CEILING), "--broker", url, "--topic", topic),
                *("--n", str(n), "--out", str(out)),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            env=CHILD_ENV,
        )
    try:
        pids["ceiling"] = proc.pid
        meter = CpuMeter(pids)
        deadline = time.monotonic() + 300
        while not out.exists():
            if proc.poll() is not None:
                tail = log_path.read_text(errors="replace")[-3000:]
                raise BenchError(f"bench/ceiling.py exited with {proc.returncode}:\n{tail}")
            if time.monotonic() > deadline:
                raise BenchError("bench/ceiling.py did not count all messages within 300 s")
            time.sleep(0.1)
        usage = meter.stop()
        time.sleep(0.2)  # the file is written in one call; let it land
        result = json.loads(out.read_text())
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)
    result["usage"] = usage
    return result


# --------------------------------------------------------------------------- main


@dataclass
class Plan:
    extract_n: int
    e2e_n: int
    latency_rate: float
    latency_s: float


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, Plan]:
    ap = argparse.ArgumentParser(
        description="tolls benchmarks: extraction, end-to-end throughput, latency, memory, "
        "and the faust/broker ceiling."
    )
    ap.add_argument("--quick", action="store_true", help="small N: a smoke run (about 1 min)")
    ap.add_argument("--n", type=int, help="articles for the e2e and ceiling phases")
    ap.add_argument("--extract-n", type=int, help="articles for the extraction phase")
    ap.add_argument("--rate", type=float, default=20.0, help="latency phase: articles/s")
    ap.add_argument("--latency-seconds", type=float, help="latency phase: duration")
    ap.add_argument("--keep", action="store_true", help="keep the temp data dir (logs, DuckDB)")
    ap.add_argument(
        "--profile",
        type=Path,
        help="record the worker with py-spy during the e2e phase (collapsed stacks to FILE)",
    )
    ap.add_argument(
        "--profile-gil",
        action="store_true",
        help="with --profile: only samples of threads holding the GIL (default: all "
        "threads, idle ones included)",
    )
    a = ap.parse_args(argv)
    plan = Plan(
        extract_n=a.extract_n or (200 if a.quick else 1000),
        e2e_n=a.n or (200 if a.quick else 2000),
        latency_rate=a.rate,
        latency_s=a.latency_seconds or (10.0 if a.quick else 30.0),
    )
    if plan.extract_n < 2 or plan.e2e_n < 2 or plan.latency_rate <= 0 or plan.latency_s <= 0:
        ap.error("N must be at least 2, the rate and duration positive")
    return a, plan


def main(argv: Sequence[str] | None = None) -> int:
    args, plan = parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    ensure_project_python()
    for key in [k for k in os.environ if k.startswith("TOLLS_")]:
        del os.environ[key]

    # SIGTERM/SIGHUP take the same way out as Ctrl-C, so the cleanup below always runs.
    def interrupt(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)

    machine = Machine.probe()
    progress(machine.describe())
    data_dir = Path(tempfile.mkdtemp(prefix="tolls-bench-"))
    svc: Service | None = None
    out: list[str] = []

    def say(line: str = "") -> None:
        out.append(line)
        print(line, flush=True)

    say(f"tolls benchmark ({'quick' if args.quick else 'full'}) — {machine.describe()}")
    try:
        # 1. extraction, in this process, one thread
        ex = bench_extract(plan.extract_n)
        say()
        say(
            f"extract_aps = {ex['rate']:.1f} articles/s — Extractor.extract over {ex['n']} "
            f"generated articles ({ex['kb']:.1f} KB mean), one thread, after a warm-up"
        )
        say(
            f"  {ex['rate'] / max(ex['cpu_per_wall'], 1e-6):.1f} articles per CPU-second "
            f"(this process got {ex['cpu_per_wall']:.2f} of a core); "
            + cpu_line(ex["usage"], machine.nproc)
        )
        if ex["no_claims_in_first_50"]:
            say(f"  note: {ex['no_claims_in_first_50']} of the first 50 articles have no claim")

        # 2. end to end, and 4. the worker's peak RSS
        progress(f"starting `tolls up` in {data_dir}")
        svc = Service(data_dir)
        t_start = time.monotonic()
        svc.start()
        progress(f"worker up (pid {svc.pid}) in {time.monotonic() - t_start:.1f} s")
        e2e = bench_e2e(svc, plan.e2e_n, args.profile, args.profile_gil)
        say()
        say(
            f"e2e_aps = {e2e['rate']:.1f} articles/s — `tolls up` (defaults, embedded broker), "
            f"{e2e['n']} articles published at once ({e2e['publish_s']:.1f} s to publish), "
            f"all in DuckDB and resolved after {e2e['seconds']:.1f} s "
            f"({e2e['mentions']} mentions)"
        )
        say(f"  {cpu_line(e2e['usage'], machine.nproc)}")
        worker_cores = e2e["usage"]["worker"]
        if worker_cores > 0:
            say(
                f"  {e2e['rate'] / worker_cores:.1f} articles per worker CPU-second "
                f"({1000 * worker_cores / e2e['rate']:.0f} ms of worker CPU per article)"
            )
        if e2e["no_claims"]:
            say(f"  note: {e2e['no_claims']} articles had no claim")
        rss_mb = e2e["vmhwm_kb"] / 1024
        say()
        say(
            f"rss_mb = {rss_mb:.0f} MB — peak RSS (VmHWM) of the worker process "
            f"(pid {svc.pid}) at the end of the e2e phase; RSS then {e2e['vmrss_kb'] / 1024:.0f} MB"
        )

        # 3. latency at a steady rate, same worker
        time.sleep(2)
        lat = bench_latency(svc, plan.latency_rate, plan.latency_s)
        ms = lat["latencies_ms"]
        p50, p90, p99 = percentile(ms, 50), percentile(ms, 90), percentile(ms, 99)
        say()
        say(
            f"p50_ms = {p50:.0f}, p99_ms = {p99:.0f} — publish -> article and all its mentions "
            f"visible through the query endpoint; {lat['n']} articles at {lat['rate']:g}/s for "
            f"{lat['seconds']:g} s, polled every {lat['poll_s'] * 1000:.0f} ms "
            f"(p90 {p90:.0f}, max {max(ms):.0f}, {lat['polls']} polls)"
        )
        say(f"  {cpu_line(lat['usage'], machine.nproc)}")
        grew = lat["last_tenth_ms"] > 2 * lat["first_tenth_ms"] + 500
        say(
            f"  median latency of the first tenth {lat['first_tenth_ms']:.0f} ms, of the last "
            f"tenth {lat['last_tenth_ms']:.0f} ms"
            + (" — it grew: the worker did not keep up with the rate" if grew else "")
        )
        if lat["missing"]:
            say(f"  WARNING: {lat['missing']} articles never became visible (counted as the wait)")
        if lat["no_claims"]:
            say(f"  note: {lat['no_claims']} articles had no claim (seen by their article row)")
        say(
            f"  worker VmHWM after the latency phase {vm_status(svc.pid).get('VmHWM', 0) / 1024:.0f} MB"
        )

        # 5. ceiling: the worker stops first so that it does not compete for the cores
        svc.stop()
        ceil = bench_ceiling(svc, plan.e2e_n, data_dir)
        frac = e2e["rate"] / ceil["rate"] if ceil["rate"] else float("nan")
        say()
        say(
            f"ceiling_aps = {ceil['rate']:.0f} msg/s — a counting-only faust agent "
            f"(bench/ceiling.py) on the same broker, {ceil['n']} messages of the same size, "
            f"first to last message in {ceil['seconds']:.2f} s "
            f"(start-up and group join {ceil['startup_s']:.1f} s, not counted)"
        )
        say(f"  {cpu_line(ceil['usage'], machine.nproc)}")
        say(f"  e2e_aps is {frac:.1%} of the ceiling")

        la = " ".join(f"{x:.2f}" for x in os.getloadavg())
        say()
        say(f"load average at the end: {la} (nproc {machine.nproc})")
        say(
            f"bench: extract_aps={ex['rate']:.1f} e2e_aps={e2e['rate']:.1f} "
            f"ceiling_aps={ceil['rate']:.0f} p50_ms={p50:.0f} p99_ms={p99:.0f} rss_mb={rss_mb:.0f}"
        )
        return 0
    except BenchError as exc:
        print(f"bench: FAILED: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        if svc is not None:
            progress("cleaning up: stopping the worker and the embedded broker (`tolls down`)")
            svc.down()
        if args.keep:
            progress(f"data dir kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
