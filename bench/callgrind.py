"""What the instruction-counting benches share (bench/lookup_instructions.py, bench/pdf_instructions.py):
a command run under valgrind's callgrind, its costs read back by function, and the table printed."""

import os
import re
import subprocess
from pathlib import Path


def costs(command: list[str], out: Path, timeout: int = 3600) -> list[tuple[int, str]]:
    """Runs ``command`` under callgrind (PYTHONHASHSEED=0, so that runs count alike) and returns the
    (instructions, function) lines of callgrind_annotate's report, PROGRAM TOTALS among them."""
    valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run(valgrind + command, check=True, capture_output=True, env=env, timeout=timeout)
    report = subprocess.run(
        ["callgrind_annotate", "--inclusive=no", str(out)], check=True, capture_output=True, text=True
    ).stdout
    return parse(report)


def parse(report: str) -> list[tuple[int, str]]:
    lines = []
    for line in report.splitlines():
        found = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)", line)
        if found:
            lines.append((int(found.group(1).replace(",", "")), found.group(2)))
    return lines


def program_total(lines: list[tuple[int, str]]) -> int:
    for value, name in lines:
        if "PROGRAM TOTALS" in name:
            return value
    raise RuntimeError("no PROGRAM TOTALS in callgrind_annotate's report")


def print_table(unit: str, rows: dict[str, float], floor: str, extra: dict[str, str] | None = None) -> None:
    """One line a target: its instructions a ``unit`` and the ratio to the ``floor`` target's."""
    base = rows.get(floor)
    heading = f"instructions/{unit}"
    print(f"{'target':<9} {heading:>25} {'/' + floor:>9}" + (f"  {extra['']}" if extra else ""))
    for target, instructions in rows.items():
        ratio = f"{instructions / base:>9.0%}" if base else f"{'':>9}"
        print(f"{target:<9} {instructions:>25,.0f} {ratio}" + (f"  {extra[target]}" if extra else ""))
