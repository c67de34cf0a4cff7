"""Backup and restore, exercised end to end: dump the database and the media folder, drop both,
restore them, and check that every table's row count and every media file (name and SHA-256) match.

    .venv/bin/python bench/backup_restore.py [--database-url postgres://postgres@127.0.0.1:5432/portal_backup_check]

The same commands are what an operator runs (README "Backup and restore"):
    pg_dump --format=custom --no-owner "$DATABASE_URL" > portal.dump
    tar -C "$MEDIA_ROOT" -czf media.tar.gz .
    pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" portal.dump
    tar -C "$MEDIA_ROOT" -xzf media.tar.gz
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args, env=None, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, env=env, cwd=ROOT, **kwargs)


def row_counts(url: str) -> dict[str, int]:
    tables = run(
        "psql", url, "-Atc", "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY 1"
    ).stdout.split()
    counts = {}
    for table in tables:
        counts[table] = int(run("psql", url, "-Atc", f'SELECT count(*) FROM "{table}"').stdout)
    return counts


def media_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portal_backup_check")
    args = parser.parse_args()
    url = args.database_url
    base, name = url.rsplit("/", 1)
    admin_url = base + "/postgres"
    work = Path(tempfile.mkdtemp(prefix="portal-backup-"))
    media = work / "media"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media), "CELERY_BROKER_URL": "", "DEBUG": "1"}
    started = time.monotonic()
    try:
        run("psql", admin_url, "-c", f'DROP DATABASE IF EXISTS "{name}"')
        run("psql", admin_url, "-c", f'CREATE DATABASE "{name}"')
        run(sys.executable, "manage.py", "migrate", "--noinput", env=env)
        run(sys.executable, "manage.py", "load_reference", env=env)
        run(sys.executable, "manage.py", "load_demo", env=env)
        # Media as the portal stores it: random names under dated folders (plus whatever the demo wrote).
        (media / "attachments" / "2026").mkdir(parents=True, exist_ok=True)
        for i in range(20):
            (media / "attachments" / "2026" / f"{i:032x}.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2048))
        counts_before, files_before = row_counts(url), media_digest(media)

        dump, archive = work / "portal.dump", work / "media.tar.gz"
        with dump.open("wb") as out:
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", url], check=True, stdout=out)
        run("tar", "-C", str(media), "-czf", str(archive), ".")

        run("psql", admin_url, "-c", f'DROP DATABASE "{name}"')
        shutil.rmtree(media)
        run("psql", admin_url, "-c", f'CREATE DATABASE "{name}"')
        run("pg_restore", "--no-owner", "--dbname", url, str(dump))
        media.mkdir()
        run("tar", "-C", str(media), "-xzf", str(archive))
        counts_after, files_after = row_counts(url), media_digest(media)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = sum(counts_before.values())
    print(f"tables: {len(counts_before)}  rows: {rows}  media files: {len(files_before)}")
    print(
        f"dump {dump.name}, media {archive.name}; dump+drop+restore took {time.monotonic() - started:.1f} s"
    )
    mismatched = {t for t in counts_before if counts_before[t] != counts_after.get(t)}
    ok = not mismatched and files_before == files_after and set(counts_before) == set(counts_after)
    print("row counts match" if not mismatched else f"row counts differ: {sorted(mismatched)}")
    print("media files match" if files_before == files_after else "media files differ")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
