"""The documented backup and restore (bench/backup_restore.py) works: dump, drop, restore, and every
table's row count and every media file match."""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.faults
def test_backup_drop_restore_round_trip():
    url = f"postgres://postgres@127.0.0.1:5432/portal_backup_{uuid.uuid4().hex[:8]}"
    result = subprocess.run(
        [sys.executable, "bench/backup_restore.py", "--database-url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    subprocess.run(
        [
            "psql",
            url.rsplit("/", 1)[0] + "/postgres",
            "-c",
            f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"',
        ],
        capture_output=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "row counts match" in result.stdout and "media files match" in result.stdout
