"""Benchmark across hosts (issue 41): the public verification page over two web hosts against one, and a
certificate batch with two worker hosts against one, on the cluster of deploy/netns/cluster.py (as root:
network namespaces). Prints figures and ratios measured in the same run; asserts nothing about time.

    .venv/bin/python bench/cluster.py [--certificates 10000] [--sample 5000] [--web-workers 1]
                                      [--duration 5] [--rounds 3] [--connections 32]
                                      [--batch 200] [--batch-rounds 2]   # about 4 minutes

Figures of runs on the development machine: tests/cluster/README.md.

1. Starts the cluster (data host with its own PostgreSQL and Redis, web1, web2, worker, worker2: about a
   minute), with the public lookup's rate limit lifted (CERTIFICATE_LOOKUP_RATE; the limiter still counts
   every request in Redis) and the lookup log buffered as production runs it
   (CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS=1); --web-workers gunicorn processes per web host.
2. Loads --certificates certificates with COPY (bench/lookup.py's data, 10,000 by default instead of its
   1,000,000: the cluster's database is thrown away each run) and signs the verification links of
   --sample of them, as bench/lookup.py does.
3. Verify page: wrk (Debian package `wrk`) from the machine, two wrk processes of --connections / 2
   connections each, random existing codes, against web1 alone ("one": both processes on web1) and
   against both web hosts ("two": one process a host, as a load balancer spreads connections), in
   interleaved rounds (one, two, one, two, ...) so that load from elsewhere falls on both alike. Per
   round: requests/s (sum of the two), p50 and p99 (the larger of the two processes': an upper bound of
   the combined), errors (non-2xx/3xx and socket errors); medians of the rounds and the ratio two/one.
4. Batch: one batch of --batch certificates (one institution, one level: every serial from one counter)
   queued from web1 with one worker host running (worker2 stopped) against two (worker2 started again),
   in interleaved rounds. create_batch queues one run_batch task per batch, and one task runs on one
   worker: a lone batch takes a second worker host only when a second run_batch is queued for it (as
   resume_batch and requeue_stale_batches do; run_batch is written for runners side by side: each claims
   the next pending item with SKIP LOCKED). The bench queues one run_batch per worker host running, and
   reads the figures from the database: certificates/s from the batch's first certificate to its last
   (issued_at), the time from the first certificate to the finished batch with its PDF (printed by one
   runner), which worker hosts ran a runner (their logs), and how many runners printed the PDF and
   finished the batch (its certificate_batch_finished audit events; the next round waits for every
   runner to end).

Every host of the cluster runs on this machine and shares its cores (os.cpu_count(), printed; 2 on the
development machine) with wrk and PostgreSQL: a ratio measures how the portal scales across hosts on
this machine, not what a second machine would add. With one gunicorn process a host (the default) one
web host leaves a core the second can use; --web-workers 2 (the cluster tests' setting) already fills
both with one host.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import wrk  # noqa: E402 (needs the repository root on sys.path)

NO_LIMIT = "1000000000/h"  # the public lookup's rate limit, out of the way (still counted in Redis)

# Run inside web1's namespace with web1's environment (the data host is only reachable there).
LOAD = """
import shutil, sys, tempfile
from pathlib import Path
from bench.lookup import load, sample_paths
count, sample, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
institution, occupation = load(count, None)
files = sample_paths(count, sample, institution, occupation, Path(tempfile.mkdtemp()))
shutil.copy(files["verify"], out)
"""

BATCH = """
import sys
import django
django.setup()
from stdnum.cn import ric
from certificates.demo import _photo, issuer
from certificates.issuance import IssuableCandidate, create_batch, enqueue
from portal.models import Occupation, User

size, tag, month, runners = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
user = User.objects.select_related("institution").get(username="applicant")
prefix, name, scope = issuer(user.institution)
code, level = sorted(scope)[0]
occupation = Occupation.objects.get(code=code)
photo = _photo(1)
candidates = []
for n in range(size):
    body = f"1101011990{month:02d}{n // 999 + 1:02d}{n % 999:03d}"
    candidates.append(IssuableCandidate(
        source_key=f"{tag}:{n}", name="张伟", sex="男" if n % 2 else "女",
        id_number=body + ric.calc_check_digit(body + "0"), occupation=occupation, level=level,
        photo=photo, verified_passing=True,
    ))
batch = create_batch(user.institution, prefix, name, candidates, None, scope=scope, title=tag, start=False)
for _ in range(runners):
    enqueue(batch.pk)
print("batch", batch.pk)
"""


def inside(cluster, host, script, *args, timeout=300) -> str:
    """A Python snippet on a host of the cluster (its namespace and environment); its output."""
    env = {**cluster.env(host), "DJANGO_SETTINGS_MODULE": "portal.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [*cluster.wrap(host), sys.executable, "-c", script, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise RuntimeError(f"on {host}: {done.stdout[-2000:]}{done.stderr[-3000:]}")
    return done.stdout


# --- verify page --------------------------------------------------------------------------------------


def drive(urls, script, paths, seconds, connections) -> dict:
    """One wrk process (one thread, ``connections``) per URL, all at once; their figures combined."""
    processes = [
        subprocess.Popen(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url]
            + ["--", str(paths)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for url in urls
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=seconds + 60)
        if process.returncode:
            raise RuntimeError(f"wrk failed: {err}")
        if os.environ.get("BENCH_VERBOSE"):
            print(out)
        results.append(wrk.parse_wrk(out))
    return {
        "rps": sum(r["rps"] for r in results),
        "p50": max(r["p50"] for r in results),
        "p99": max(r["p99"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "requests": sum(r["requests"] for r in results),
    }


def bench_verify(cluster, args, work: Path) -> dict:
    paths = work / "verify.txt"
    print(inside(cluster, "web1", LOAD, args.certificates, args.sample, paths).strip())
    script = work / "paths.lua"
    from bench.lookup import LUA

    script.write_text(LUA)
    web1, web2 = cluster.url("web1"), cluster.url("web2")
    setups = {"one": [web1, web1], "two": [web1, web2]}
    half = max(1, args.connections // 2)
    print(
        f"verify page: {args.certificates:,} certificates, {args.sample:,} signed links asked at random; "
        f"{args.web_workers} gunicorn process(es) a web host; wrk: 2 processes x {half} connections, "
        f"{args.duration} s a round"
    )
    for setup in setups.values():  # warm every process's connections, caches and imports
        drive(setup, script, paths, 2, half)
    runs = {name: [] for name in setups}
    print(f"{'round':>5} {'hosts':>5} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for n in range(1, args.rounds + 1):
        for name, setup in setups.items():
            r = drive(setup, script, paths, args.duration, half)
            runs[name].append(r)
            print(
                f"{n:>5} {name:>5} {r['rps']:>11,.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['errors']:>7}",
                flush=True,
            )
    return {
        name: {key: statistics.median(r[key] for r in rs) for key in ("rps", "p50", "p99")}
        | {"errors": sum(r["errors"] for r in rs)}
        for name, rs in runs.items()
    }


# --- batch --------------------------------------------------------------------------------------------


def ready_count(cluster, host) -> int:
    return cluster.log(host).count(f"{cluster.tag}@{host} ready.")


def set_workers(cluster, count: int) -> None:
    """worker alone (worker2 stopped) or both worker hosts running; waits until a started one is ready."""
    running = "worker2" in cluster.processes and cluster.processes["worker2"].poll() is None
    if count == 1 and running:
        cluster.stop("worker2")
    elif count == 2 and not running:
        before = ready_count(cluster, "worker2")
        cluster.start_worker_host("worker2")
        cluster._wait("worker2", lambda: ready_count(cluster, "worker2") > before, seconds=60)


def run_batch(cluster, size: int, tag: str, month: int, runners: int) -> dict:
    marks = {host: len(cluster.log(host)) for host in ("worker", "worker2")}
    output = inside(cluster, "web1", BATCH, size, tag, month, runners)
    pk = int(output.split("batch", 1)[1].split()[0])
    deadline = time.monotonic() + 300
    while True:
        status = cluster.sql(f"select status from certificates_issuancebatch where id = {pk}")
        if status == "finished":
            break
        if status == "failed" or time.monotonic() > deadline:
            raise RuntimeError(f"batch {pk} {status}")
        time.sleep(0.3)
    finished, issued, existing, refused = cluster.sql(
        "select extract(epoch from finished_at), issued_count, existing_count, refused_count "
        f"from certificates_issuancebatch where id = {pk}"
    ).split("|")
    first, last, certificates, codes = cluster.sql(
        "select extract(epoch from min(issued_at)), extract(epoch from max(issued_at)), count(*), "
        f"count(distinct code) from certificates_certificate where batch_id = {pk}"
    ).split("|")
    issuing = float(last) - float(first)

    def tails():
        return {host: cluster.log(host)[marks[host] :] for host in marks}

    # The next round starts once every runner is done (one may still print when the other has finished).
    while sum(tail.count("certificates.run_batch[") for tail in tails().values()) < 2 * runners:
        if time.monotonic() > deadline:
            raise RuntimeError(f"batch {pk}: a runner did not end")
        time.sleep(0.3)
    hosts = [host for host, tail in tails().items() if "certificates.run_batch[" in tail]
    printed = cluster.sql(
        "select count(*) from portal_auditevent where event = 'certificate_batch_finished' "
        f"and target_id = '{pk}'"
    )
    return {
        "rate": (int(issued) - 1) / issuing,
        "issuing": issuing,
        "total": float(finished) - float(first),
        "issued": int(issued),
        "other": int(existing) + int(refused),
        "distinct": int(certificates) == int(codes) == int(issued),
        "hosts": hosts,
        "printed": int(printed),
    }


def bench_batch(cluster, args) -> dict:
    print()
    print(
        f"batch: one batch of {args.batch} certificates queued from web1, one run_batch per worker host "
        f"running (Celery concurrency 1 a host); one worker host (worker2 stopped) against two"
    )
    print(
        f"{'round':>5} {'workers':>7} {'certs/s':>8} {'issuing s':>10} {'with PDF s':>11} {'issued':>7} "
        f"{'other':>6} {'PDFs':>5}  runners on"
    )
    runs = {1: [], 2: []}
    stamp = int(time.time())
    for n in range(1, args.batch_rounds + 1):
        for workers in (1, 2):
            set_workers(cluster, workers)
            month = (2 * n + workers) % 12 + 1
            r = run_batch(cluster, args.batch, f"bench.cluster{stamp}.{n}.{workers}", month, workers)
            runs[workers].append(r)
            flag = "" if r["distinct"] else "  DUPLICATE CODES"
            print(
                f"{n:>5} {workers:>7} {r['rate']:>8.1f} {r['issuing']:>10.1f} {r['total']:>11.1f} "
                f"{r['issued']:>7} {r['other']:>6} {r['printed']:>5}  {', '.join(r['hosts'])}{flag}",
                flush=True,
            )
    set_workers(cluster, 2)
    return {
        workers: {key: statistics.median(r[key] for r in rs) for key in ("rate", "issuing", "total")}
        for workers, rs in runs.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--certificates", type=int, default=10_000, help="certificates loaded (COPY)")
    parser.add_argument("--sample", type=int, default=5_000, help="signed links asked for at random")
    parser.add_argument("--web-workers", type=int, default=1, help="gunicorn processes a web host")
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk a round and setup")
    parser.add_argument("--rounds", type=int, default=3, help="verify rounds (one and two hosts each)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections in all")
    parser.add_argument("--batch", type=int, default=200, help="certificates in the batch")
    parser.add_argument("--batch-rounds", type=int, default=2, help="batch rounds (one and two workers each)")
    parser.add_argument("--skip-verify", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()

    from deploy.netns.cluster import Cluster, unavailable_reason

    reason = unavailable_reason()
    if reason:
        print(f"the cluster cannot start here: {reason}")
        return 2
    if shutil.which("wrk") is None and not args.skip_verify:
        print("wrk is not installed: install the Debian package with `apt-get install -y wrk` (as root).")
        return 2
    started = time.monotonic()
    web_env = {"CERTIFICATE_LOOKUP_RATE": NO_LIMIT, "CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS": "1"}
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    verify = batch = None
    try:
        with Cluster(web_env=web_env, web_workers=args.web_workers) as cluster:
            print(f"cluster {cluster.prefix}* up in {cluster.timings['up']:.0f} s")
            if not args.skip_verify:
                verify = bench_verify(cluster, args, work)
            if not args.skip_batch:
                batch = bench_batch(cluster, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(
        f"all hosts, wrk and PostgreSQL share this machine's {os.cpu_count()} cores: the ratios measure how "
        "the portal scales across hosts on this machine, not what another machine would add"
    )
    if verify:
        one, two = verify["one"], verify["two"]
        print(
            f"verify page, medians: one web host {one['rps']:,.0f} requests/s (p99 {one['p99']:.1f} ms), "
            f"two web hosts {two['rps']:,.0f} requests/s (p99 {two['p99']:.1f} ms): two/one "
            f"{two['rps'] / one['rps']:.2f}; errors {one['errors']} and {two['errors']}"
        )
    if batch:
        one, two = batch[1], batch[2]
        print(
            f"batch of {args.batch}, medians: one worker host {one['rate']:.1f} certificates/s "
            f"({one['total']:.1f} s with the PDF), two worker hosts {two['rate']:.1f} certificates/s "
            f"({two['total']:.1f} s with the PDF): two/one {two['rate'] / one['rate']:.2f}"
        )
    print(
        f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}; "
        f"the run took {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
