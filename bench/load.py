"""Load test of the portal's busy pages (issue 9 "Load"), with the baselines measured in the same run.

    .venv/bin/python bench/load.py                      # modest: 200,000 certificates, 5,000 institutions, 10 s
    .venv/bin/python bench/load.py --certificates 1000000 --institutions 5000 --duration 30   # the issue's size

1. Creates its own PostgreSQL database (default ``portal_load``), migrates it, loads the reference data
   (occupations, calendar) and then, with PostgreSQL COPY through Django's connection (psycopg 3):
   M institutions, one filing each in various states (most filed, some in every staff queue state) with
   1-3 occupations each, and N certificates spread over the institutions.
2. Starts gunicorn (sync workers = 2 x cores + 1, CONN_MAX_AGE=60, DEBUG=0, SECURE_SSL_REDIRECT=0,
   SECURE_COOKIES=0) on the settings bench/load_site.py: the portal's URLs plus two bench-only baselines
   (bench/load_urls.py), a Redis cache shared by the workers, and the certificate lookup rate limit raised
   so wrk from one address is not refused (the limit still runs: its cost is part of the figure).
3. Drives it from a second process (wrk, 32 connections, loopback; bench/load_paths.lua picks a random
   path from a list per request) against:
     constant   a plain Django view answering constant JSON (full middleware, no database): the ceiling;
     minimal    one indexed SELECT by code, JSON out (full middleware): the floor of any lookup;
     verify     the public QR verification page of random existing certificates (rate limit, signature
                check, lookup log, template);
     api        GET /api/v1/certificates/verify?code=&name= for random existing certificates;
     directory  the public institution directory, first pages;
     dir-search the directory searched by a name fragment;
     queue      the centre staff queue of submitted filings (logged in: a session cookie made here).
   Each target gets --duration seconds in total, split into --rounds turns (default 3) in which the
   targets take turns (alternating order), so bursts of other work on a shared machine hit all targets
   alike: requests/s over all turns, the median p50 and the worst p99 of the turns.
   It prints requests/s, p50/p99 latency, errors, the ratio of each to the constant view and of the
   lookups to the minimal lookup, against the issue's targets (lookup >= 80 % of the minimal lookup,
   directory and queue p99 <= 150 ms, zero errors). Nothing is asserted: the figures are printed.

Needs wrk (Debian: ``apt-get install wrk``), gunicorn in the virtualenv, PostgreSQL and Redis.
The database is dropped at the end unless --keep is given.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import wrk  # noqa: E402 (needs the repository root on sys.path)
from bench.wrk import run  # noqa: E402

LOOKUP_RATIO_TARGET = 0.80  # issue 9: lookup >= 80 % of the minimal one-SELECT lookup
PAGE_P99_TARGET_MS = 150.0  # issue 9: directory and queue p99 <= 150 ms
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄鑫", "买买提·艾力", "欧阳娜娜"]
SEARCH_TERMS = ["职业", "培训", "学校", "天津", "技能", "协会"]
TARGETS = ("constant", "minimal", "verify", "api", "directory", "dir-search", "queue")
WRK_TIMEOUT = "10s"  # a slow page (queue, directory) is measured in p99, not dropped as a timeout error


def copy_rows(model, rows, fixed: dict | None = None) -> int:
    """COPY dicts of field values into ``model``'s table. Every concrete column not given takes the
    field's Python default (COPY bypasses Django, and the columns have no database defaults), so the
    bench keeps working when other engineers add fields with defaults."""
    from django.db import connection

    now = datetime.now(UTC)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif f.has_default() or not f.null:
            defaults[f.attname] = f.get_default()
        else:
            defaults[f.attname] = None
    defaults.update(fixed or {})
    columns = ", ".join(f'"{f.column}"' for f in fields)
    names = [f.attname for f in fields]
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                values = []
                for name in names:
                    value = row.get(name, defaults[name])
                    if isinstance(value, (dict, list)):
                        value = json.dumps(value, ensure_ascii=False)
                    values.append(value)
                copy.write_row(values)
                count += 1
        cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return count


def institution_sequence(i: int) -> str:
    """6 digits (seed 004 附件5): 2-digit city/district, 1-digit type 1-6, 3-digit order; unique per i."""
    return f"{i // 6000 + 1:02d}{i % 6 + 1}{(i // 6) % 1000:03d}"


def filing_state(i: int) -> str:
    """Most institutions are filed (the directory); the rest spread over the staff queues and others."""
    cycle = [
        "filed", "filed", "filed", "filed", "filed", "filed", "submitted", "submitted",
        "under_evaluation", "evaluated", "in_publicity", "draft", "returned", "rejected", "cancelled", "filed",
    ]  # fmt: skip
    return cycle[i % len(cycle)]


def load(certificates: int, institutions: int) -> dict:
    import django

    django.setup()
    from certificates.models import Certificate
    from filings.models import Filing, FilingOccupation
    from portal.models import Institution, Occupation

    rng = random.Random(9)
    started = time.monotonic()
    occupations = list(Occupation.objects.order_by("code").values_list("pk", "code", "name")[:200])
    if not occupations:
        occupations = [Occupation.objects.create(code="4-03-02-01", name="中式烹调师").pk]
        occupations = list(Occupation.objects.values_list("pk", "code", "name"))
    kinds = ["enterprise", "technician_college", "vocational_school", "industry_association", "social_group"]
    from filings.constants import Kind

    kinds = [k for k in Kind.values] or kinds
    city = ["和平区", "河西区", "南开区", "河东区", "滨海新区", "西青区"]

    copy_rows(
        Institution,
        (
            {
                "name": f"天津市{city[i % 6]}第{i + 1}职业技能培训学校",
                "credit_code": f"9112{i:014d}",
                "contact_name": NAMES[i % len(NAMES)],
                "contact_phone": f"022-{23000000 + i}",
                "contact_email": f"contact{i}@example.org",
            }
            for i in range(institutions)
        ),
    )
    institution_ids = list(Institution.objects.order_by("pk").values_list("pk", flat=True))[-institutions:]
    today = date(2026, 11, 24)

    def filing(i, institution_id):
        state = filing_state(i)
        row = {
            "institution_id": institution_id,
            "state": state,
            "version": 1,
            "route": "S" if i % 3 else "Y",
            "kind": kinds[i % len(kinds)],
            "name": f"天津市{city[i % 6]}第{i + 1}职业技能培训学校",
            "address": f"天津市{city[i % 6]}示例路{i + 1}号",
            "registration_authority": "天津市市场监督管理局",
            "credit_code": f"9112{i:014d}",
            "legal_representative": NAMES[(i + 3) % len(NAMES)],
            "contact_name": NAMES[i % len(NAMES)],
            "contact_phone": f"022-{23000000 + i}",
            "contact_email": f"contact{i}@example.org",
            "pledge_accepted": state != "draft",
            "pledge_signatory": NAMES[(i + 3) % len(NAMES)],
            "due_provisional": False,
            "recommendation": "",
        }
        if state != "draft":
            submitted = today - timedelta(days=rng.randrange(1, 400))
            row["submitted_at"] = datetime(submitted.year, submitted.month, submitted.day, 9, tzinfo=UTC)
            row["due_on"] = submitted + timedelta(days=7)
        if state in ("evaluated", "in_publicity", "filed", "cancelled"):
            row["evaluation_score"] = Decimal("85.50")
        if state in ("in_publicity",):
            row["publicity_start"] = today - timedelta(days=2)
            row["publicity_end"] = today + timedelta(days=5)
        if state in ("filed", "cancelled"):
            sequence = institution_sequence(i)
            valid_from = today - timedelta(days=rng.randrange(1, 1000))
            row.update(
                filing_number=f"0000-12-{sequence}",
                route_code="0000",
                province_code="12",
                institution_sequence=sequence,
                filed_on=valid_from,
                valid_from=valid_from,
                valid_until=valid_from + timedelta(days=3 * 365),
            )
        return row

    copy_rows(Filing, (filing(i, pk) for i, pk in enumerate(institution_ids)))
    filing_ids = list(Filing.objects.filter(institution_id__in=institution_ids).values_list("pk", flat=True))
    copy_rows(
        FilingOccupation,
        (
            {
                "filing_id": filing_id,
                "occupation_id": occupations[(n * 7 + k) % len(occupations)][0],
                "work_type": "",
                "levels": "345" if k % 2 else "12345"[: 1 + n % 5],
                "person_times": 600 + n % 5000,
                "is_new_occupation": False,
                "start_date": date(2018, 3, 1),
            }
            for n, filing_id in enumerate(filing_ids)
            for k in range(1 + n % 3)
        ),
    )
    print(
        f"loaded {institutions:,} institutions, {len(filing_ids):,} filings with occupations "
        f"in {time.monotonic() - started:.1f} s"
    )

    started = time.monotonic()
    occupation_pk, occupation_code, occupation_name = occupations[0]
    names = {pk: f"天津市{city[i % 6]}第{i + 1}职业技能培训学校" for i, pk in enumerate(institution_ids)}
    per_institution = {}

    def certificate(n):
        i = n % institutions
        level = 1 + (n // institutions) % 5
        serial = per_institution[(i, level)] = per_institution.get((i, level), 0) + 1
        issue_date = date(2026, 1, 5) + timedelta(days=n % 300)
        revoked = n % 101 == 100
        return {
            "code": f"S000012{institution_sequence(i)}26{level}{serial:06d}",
            "serial": serial,
            "year": 2026,
            "level": level,
            "holder_name": NAMES[n % len(NAMES)],
            "sex": "M" if n % 2 else "F",
            "id_number": f"120101{19700101 + n % 28:08d}{n % 10000:04d}",
            "occupation_id": occupation_pk,
            "occupation_name": occupation_name,
            "occupation_code": occupation_code,
            "work_type": "——",
            "institution_id": institution_ids[i],
            "institution_name": names[institution_ids[i]],
            "issue_date": issue_date,
            "photo": "certificates/photos/bench.jpg",
            "status": "revoked" if revoked else "valid",
            "revoked_reason": "弄虚作假" if revoked else "",
            "revoked_on": issue_date if revoked else None,
            "source_key": f"bench:{n}",
            "issued_at": datetime(2026, 1, 5, 1, tzinfo=UTC),
        }

    copy_rows(Certificate, (certificate(n) for n in range(certificates)))
    print(f"loaded {certificates:,} certificates with COPY in {time.monotonic() - started:.1f} s")
    return {"certificates": certificates, "institutions": institutions}


def staff_cookie() -> str:
    """A logged-in centre staff session, made the way the login view makes one."""
    from django.contrib.auth.models import Group
    from django.test import Client

    from portal import roles
    from portal.models import User

    user, _ = User.objects.get_or_create(username="bench-centre", defaults={"first_name": "基准"})
    user.groups.add(Group.objects.get(name=roles.CENTRE))
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def write_paths(work: Path, sample: int) -> dict[str, Path]:
    """One file of request paths per target (random existing certificates for the lookups)."""
    from certificates import signing
    from certificates.models import Certificate

    ids = list(Certificate.objects.filter(status="valid").values_list("pk", flat=True)[: sample * 20])
    random.Random(8).shuffle(ids)
    picked = list(Certificate.objects.filter(pk__in=ids[:sample]))
    lines = {
        "constant": ["/bench/constant"],
        "minimal": [f"/bench/minimal?code={c.code}" for c in picked],
        "verify": [f"/certificates/verify/{c.code}/?s={signing.sign(c)}" for c in picked],
        "api": [f"/api/v1/certificates/verify?code={c.code}&name={quote(c.holder_name)}" for c in picked],
        "directory": [f"/filings/directory/?page={p}" for p in range(1, 6)],
        "dir-search": [f"/filings/directory/?q={quote(term)}" for term in SEARCH_TERMS],
        "queue": ["/filings/queue/submitted/", "/filings/queue/submitted/?page=2"],
    }
    files = {}
    for target, paths in lines.items():
        files[target] = work / f"{target}.txt"
        files[target].write_text("\n".join(paths) + "\n")
    return files


def combine(runs: list[dict], seconds: int) -> dict:
    """One figure per target from its rounds: requests/s over all rounds, the median of the rounds' p50,
    the worst round's p99 (conservative), all errors, the mean load average."""
    return {
        "rps": sum(r["requests"] for r in runs) / (seconds * len(runs)),
        "p50": statistics.median(r["p50"] for r in runs),
        "p99": max(r["p99"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "load": statistics.mean(r["load"] for r in runs),
    }


def query_counts(files: dict, cookie: str) -> dict:
    """SQL queries and in-process time of one request of each target (no concurrency, same settings):
    the CPU a request costs, which bounds what the 2 cores can serve (32 connections / (cores / time))."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for target in TARGETS:
        path = files[target].read_text().splitlines()[0]
        client = Client(HTTP_COOKIE=cookie) if target == "queue" else Client()
        if target == "queue":
            client.cookies.load(cookie)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        query_count = len(queries)  # now: the next request's request_started signal resets the log
        started = time.perf_counter()
        for _ in range(5):
            client.get(path)
        service_ms = (time.perf_counter() - started) / 5 * 1000
        counts[target] = (query_count, response.status_code, service_ms)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--certificates", type=int, default=200_000, help="certificates (issue: 1000000)")
    parser.add_argument("--institutions", type=int, default=5_000, help="institutions (issue: 5000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per target (issue: 30)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="targets take turns in this many rounds (fair on a shared machine)",
    )
    parser.add_argument("--sample", type=int, default=20_000, help="distinct certificates asked for")
    parser.add_argument(
        "--targets", default=",".join(TARGETS), help="comma-separated subset of " + ",".join(TARGETS)
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portal_load")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    targets = [t for t in args.targets.split(",") if t]

    if shutil.which("wrk") is None:
        print("wrk is not installed: install it with `apt-get install wrk` (as root), then run again.")
        return 2
    if wrk.gunicorn_path() is None:
        print("gunicorn is not installed in this environment (.venv/bin/pip install gunicorn).")
        return 2
    url = args.database_url
    base, name = url.rsplit("/", 1)
    admin_url = base + "/postgres"
    bench_env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.load_site",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        # As docker-compose: the rate limit knows how many processes share its Redis count.
        "WEB_CONCURRENCY": str(args.workers),
    }
    env = {**os.environ, **bench_env, "PYTHONPATH": str(ROOT)}
    os.environ.update(bench_env)
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    gunicorn = None
    results = {}
    try:
        run("psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        run("psql", admin_url, "-qc", f'CREATE DATABASE "{name}"')
        started = time.monotonic()
        run(sys.executable, "manage.py", "migrate", "--noinput", env=env)
        run(sys.executable, "manage.py", "load_reference", env=env)
        print(f"database {name}: migrated and reference data loaded in {time.monotonic() - started:.1f} s")
        load(args.certificates, args.institutions)
        cookie = staff_cookie()
        files = write_paths(work, args.sample)
        counts = query_counts(files, cookie)
        from django.db import connections

        connections.close_all()
        script = ROOT / "bench" / "load_paths.lua"

        port = wrk.free_port()
        gunicorn = wrk.start_gunicorn("portal.wsgi:application", args.workers, port, env, ROOT)
        wrk.wait_for(port)
        print(
            f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}; wrk (second process): "
            f"{args.threads} threads, {args.connections} connections, {args.duration} s per target"
        )
        for target in targets:  # warm every worker's connection, imports and caches
            wrk.drive(
                port,
                script,
                files[target],
                2,
                args.connections,
                args.threads,
                cookie if target == "queue" else "",
                timeout=WRK_TIMEOUT,
            )
        # Rounds: every target runs duration/rounds seconds per round, the targets taking turns, so a
        # burst of other work on this shared machine hits all of them alike and the ratios stay fair.
        seconds = max(1, round(args.duration / args.rounds))
        runs = {target: [] for target in targets}
        for round_number in range(args.rounds):
            order = targets if round_number % 2 == 0 else list(reversed(targets))
            for target in order:
                run_result = wrk.drive(
                    port, script, files[target], seconds, args.connections, args.threads,
                    cookie if target == "queue" else "", timeout=WRK_TIMEOUT,
                )  # fmt: skip
                run_result["load"] = os.getloadavg()[0]
                runs[target].append(run_result)
        for target in targets:
            results[target] = r = combine(runs[target], seconds)
            print(
                f"  {target:<10} {r['rps']:>8,.0f} requests/s  p50 {r['p50']:.1f} ms  p99 {r['p99']:.1f} ms"
                f"  (load average {r['load']:.1f} on {os.cpu_count()} cores)"
            )
    finally:
        if gunicorn is not None:
            wrk.stop_gunicorn(gunicorn)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if not args.keep:
            run("psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)

    report(results, counts, args)
    return 0


def report(results: dict, counts: dict, args) -> None:
    print()
    print(
        f"{args.certificates:,} certificates, {args.institutions:,} institutions, {args.workers} gunicorn workers, "
        f"{args.connections} connections, {args.duration} s each in {args.rounds} rounds"
    )
    constant = results.get("constant", {}).get("rps")
    minimal = results.get("minimal", {}).get("rps")
    print(
        f"{'target':<11}{'requests/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'vs constant':>13}"
        f"{'vs minimal':>12}{'queries':>9}{'1 req ms':>9}{'load':>6}"
    )
    for target, r in results.items():
        vs_constant = f"{r['rps'] / constant:.0%}" if constant else "-"
        vs_minimal = f"{r['rps'] / minimal:.0%}" if minimal and target in ("verify", "api") else ""
        queries, status, service_ms = counts.get(target, ("?", "?", 0.0))
        print(
            f"{target:<11}{r['rps']:>11,.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['errors']:>8}{vs_constant:>13}"
            f"{vs_minimal:>12}{queries!s:>9}{service_ms:>9.1f}{r.get('load', 0):>6.1f}"
            + ("" if status == 200 else f"  (status {status})")
        )
    print()
    print(
        "The machine is shared: a load average well above the core count during a target means other work "
        "took CPU from gunicorn and wrk, and the absolute figures are low; the ratios are measured in the same run."
    )
    verdicts = []
    for target in ("verify", "api"):
        if target in results and minimal:
            ratio = results[target]["rps"] / minimal
            ok = ratio >= LOOKUP_RATIO_TARGET
            verdicts.append(ok)
            print(
                f"{target}: {ratio:.0%} of the minimal lookup (target >= {LOOKUP_RATIO_TARGET:.0%}): "
                + ("meets" if ok else "MISSES")
            )
    for target in ("directory", "dir-search", "queue"):
        if target in results:
            ok = results[target]["p99"] <= PAGE_P99_TARGET_MS
            verdicts.append(ok)
            print(
                f"{target}: p99 {results[target]['p99']:.1f} ms (target <= {PAGE_P99_TARGET_MS:.0f} ms): "
                + ("meets" if ok else "MISSES")
            )
    errors = sum(r["errors"] for r in results.values())
    verdicts.append(errors == 0)
    print(f"errors (non-2xx/3xx and socket errors) over all targets: {errors} (target 0)")
    print("all targets met" if all(verdicts) else "some targets MISSED (see above)")


if __name__ == "__main__":
    sys.exit(main())
