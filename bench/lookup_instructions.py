# ruff: noqa: E402 (Django is set up before the project is imported)
"""Issue 42 item 1: the instructions one request of the verification page, the API and the bare lookup
costs this Python process, counted by valgrind's callgrind: the same whatever else the machine runs
(requests/s and even CPU time moved by 10-20 % between rounds of bench/lookup.py on the shared 2-core
machine). PostgreSQL's, Redis's and gunicorn's own work are not in it (bench/lookup.py measures those).

    python bench/lookup_instructions.py [--requests 300] [verify api bare]

Needs the database a `bench/lookup.py --certificates 1000000 --keep` run left (or --database-url) and
valgrind (Debian package). For each target, two processes under callgrind serve the same warm-up (200
requests) and then 0 and --requests more requests in-process through bench.lookup_site.application (as
gunicorn's workers serve them); the difference over --requests is the cost of one request. Prints the
instructions a request and the ratio to bare's (the issue's floor: lower is better). Also the part of
them in the Ed25519 arithmetic of the signature check (cryptography's fe_* field functions)."""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import callgrind  # noqa: E402 (needs the repository root on sys.path)

WARM_UP = 200


def child(target: str, count: int, database_url: str | None) -> None:
    from bench.lookup import in_process_environ

    os.environ.update(in_process_environ(database_url))
    import django

    django.setup()
    from bench.lookup import call_in_process, in_process_paths
    from bench.lookup_site import application

    rng = random.Random(8)
    paths = in_process_paths(target, 400, rng)
    for path in paths[:WARM_UP]:
        call_in_process(application, path, rng)
    for k in range(count):
        call_in_process(application, paths[k % len(paths)], rng)


def counted(target: str, count: int, database_url: str | None, work: Path) -> tuple[int, int]:
    """(instructions in all, of them in Ed25519 field arithmetic) of one child under callgrind."""
    command = [sys.executable, __file__, "child", target, str(count)]
    command += ["--database-url", database_url] if database_url else []
    lines = callgrind.costs(command, work / f"{target}.{count}.out", timeout=1800)
    field = sum(value for value, name in lines if re.search(r":(fe_\w+|cmov)\b", name) and "_rust" in name)
    return callgrind.program_total(lines), field


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        url = sys.argv[sys.argv.index("--database-url") + 1] if "--database-url" in sys.argv else None
        child(sys.argv[2], int(sys.argv[3]), url)
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("targets", nargs="*", default=["bare", "verify", "api"])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    per_request = {}
    with tempfile.TemporaryDirectory() as work:
        for target in args.targets:
            # Once outside callgrind: in_process_paths seals the certificates asked for (issue 42 item
            # 1's seal) when they are not yet sealed; that write must fall in neither counted run.
            prepare = [sys.executable, __file__, "child", target, "0"]
            prepare += ["--database-url", args.database_url] if args.database_url else []
            subprocess.run(prepare, check=True, capture_output=True, timeout=600)
            base, base_field = counted(target, 0, args.database_url, Path(work))
            total, field = counted(target, args.requests, args.database_url, Path(work))
            per_request[target] = ((total - base) / args.requests, (field - base_field) / args.requests)
    extra = {"": "Ed25519 arithmetic"} | {t: f"{field:,.0f}" for t, (_i, field) in per_request.items()}
    callgrind.print_table("request", {t: i for t, (i, _f) in per_request.items()}, "bare", extra)
    print(f"({args.requests} requests after {WARM_UP} of warm-up, this process only, PYTHONHASHSEED=0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
