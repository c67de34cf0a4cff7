"""Plumbing shared by the benches that serve the portal with gunicorn and drive it with wrk
(bench/lookup.py, bench/load.py): one copy, so both start, drive, parse and stop the same way and
their figures (errors above all) mean the same thing."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    """Run a command from the repository root, output captured; a failure raises (a bench must not go on
    measuring a half-built setup)."""
    return subprocess.run(args, check=True, capture_output=True, text=True, env=env, cwd=ROOT, **kwargs)


def free_port() -> int:
    """A loopback port nothing listens on now (the OS picks it), so a run never collides with another."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_path() -> str | None:
    """gunicorn of this virtualenv if it has one, else the one on PATH, else None (the caller says so)."""
    local = Path(sys.executable).parent / "gunicorn"
    return str(local) if local.exists() else shutil.which("gunicorn")


def start_gunicorn(app: str, workers: int, port: int, env: dict, cwd: Path = ROOT) -> subprocess.Popen:
    """gunicorn with sync workers (as production) on 127.0.0.1:port, in its own session so that
    stop_gunicorn can end the master and every worker together."""
    return subprocess.Popen(
        [
            gunicorn_path() or "gunicorn",
            app,
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",  # a burst of wrk connections waits in the queue instead of being refused
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=env,
        start_new_session=True,
    )


def stop_gunicorn(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM to the whole process group (master and workers), SIGKILL if it is not gone in ``timeout``
    seconds: a bench leaves no server behind, whatever went wrong."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass  # the whole group is gone already
        try:
            process.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_for(port: int, path: str = "/bench/constant", timeout: float = 60) -> None:
    """Return once http://127.0.0.1:port/path answers 2xx (workers started and the app imported), so the
    warm-up does not measure gunicorn's start; raise after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


def drive(
    port: int,
    script: Path,
    paths: Path,
    seconds: int,
    connections: int,
    threads: int,
    cookie: str | None = None,
    timeout: str | None = None,
) -> dict:
    """wrk on loopback for ``seconds``; the Lua ``script`` picks each request's path from the ``paths``
    file (its first argument; ``cookie``, when given, its second). ``timeout`` is wrk's --timeout (its
    default 2s otherwise): a request slower than that is a timeout error. BENCH_VERBOSE=1 prints wrk's
    own output. Returns parse_wrk's figures."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if timeout is not None:
        command += ["--timeout", timeout]
    command += ["-s", str(script), f"http://127.0.0.1:{port}", "--", str(paths)]
    if cookie is not None:
        command.append(cookie)
    output = run(*command, timeout=seconds + 60).stdout
    if os.environ.get("BENCH_VERBOSE"):
        print(output)
    return parse_wrk(output)


SOCKET_ERROR_KINDS = ("connect", "read", "write", "timeout")


def parse_wrk(output: str) -> dict:
    """wrk's --latency output as figures: rps, p50 and p99 (ms), requests, non2xx, socket_errors (a dict of
    wrk's four kinds) and errors.

    errors = non-2xx/3xx responses + every socket error (connect, read, write, timeout). Of the two
    parsers this replaces, bench/load.py counted this way and bench/lookup.py counted non-2xx only (socket
    errors shown as text beside the figure); the stricter count is kept because a request that never got
    an answer (refused, reset, timed out) failed as surely as a 500, and leaving it out would let a
    saturated server look error-free while its requests/s only counts the requests that succeeded."""

    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for pct in ("50", "99"):  # "50%" (wrk) or "50.000%" (wrk2)
        result[f"p{pct}"] = ms(re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", output, re.M).group(1))
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non2xx"] = int(non2xx.group(1)) if non2xx else 0
    socket_line = re.search(r"Socket errors:(.*)", output)
    socket_errors = dict.fromkeys(SOCKET_ERROR_KINDS, 0)
    if socket_line:
        found = dict(re.findall(r"(\w+) (\d+)", socket_line.group(1)))
        if set(found) != set(SOCKET_ERROR_KINDS):  # an unknown format must not read as zero errors
            raise ValueError(f"unexpected wrk socket errors line: {socket_line.group(0)!r}")
        socket_errors = {kind: int(found[kind]) for kind in SOCKET_ERROR_KINDS}
    result["socket_errors"] = socket_errors
    result["errors"] = result["non2xx"] + sum(socket_errors.values())
    return result


def describe_socket_errors(socket_errors: dict) -> str:
    """wrk's own wording ("connect 0, read 3, write 0, timeout 0"), or "" when there were none."""
    if not any(socket_errors.values()):
        return ""
    return ", ".join(f"{kind} {socket_errors[kind]}" for kind in SOCKET_ERROR_KINDS)
