"""Several hosts on one machine (issue 41): network namespaces joined by veth pairs.

As root, ``Cluster`` makes one namespace per host, all named ``pt<pid>-...`` (unique per run):

- ``data``: its own PostgreSQL cluster (initdb/pg_ctl as the postgres user), its own redis-server and a
  mail relay (smtp_sink.py), all listening on the data host's address only;
- ``web1``, ``web2``: gunicorn with the production settings (DEBUG=0; plain http inside the test);
- ``worker``: one Celery worker and one beat; ``worker2``: a second Celery worker (issue 41: a batch or a
  mail goes on there when the first worker host is killed).

Each host has its own MEDIA_ROOT (no shared disk) and keeps its files in the database
(``FILE_STORAGE=database``, portal/storage.py). Redis hands a task whose worker died to another worker
after ``VISIBILITY_TIMEOUT`` seconds here (``CELERY_VISIBILITY_TIMEOUT``; an hour in production).

The hosts talk over a bridge (the back network, 10.241.N.0/24). Each web host also has a point-to-point
link to the machine (the front network, 10.242.N.x/30) on which the tests reach it, the way a load
balancer would; so cutting a web host off from the data host (its back link down) leaves it reachable.
Nothing else: no address on the bridge, no NAT, no default route, so nothing leaves the machine.

Every step is time-bounded. ``down()`` kills every process it started (process groups, then whatever is
left in its namespaces), stops PostgreSQL, deletes namespaces, links and temporary directories; it runs
on leaving the ``with`` block, at exit and on SIGTERM/SIGINT, and checks nothing is left behind
(``LeftBehind`` otherwise).

    python -m deploy.netns.cluster up      # starts the cluster, prints the addresses, Ctrl-C tears down
    python -m deploy.netns.cluster down    # removes what killed runs left behind (reap_stale)
"""

import atexit
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.hardening.throwaway import PG_BIN, ROOT, ThrowawayCluster, manage, portal_env

STEP_SECONDS = 60  # the bound of any one command
START_SECONDS = 60  # the bound of a host coming up
# The public lookup's limit on the cluster: an hourly window, so that a burst rarely straddles two.
CERTIFICATE_LOOKUP_RATE = "40/h"
VISIBILITY_TIMEOUT = 15  # seconds before Redis redelivers the unacknowledged task of a killed worker
WORKER_HOSTS = ("worker", "worker2")
SMTP_PORT = 2525
OUTBOX_CLAIM_TIMEOUT = 20  # seconds: longer than any sender lives on the cluster


class Unavailable(RuntimeError):
    """Namespaces cannot be made here (not root, no iproute2): the reason, for pytest.skip."""


class LeftBehind(RuntimeError):
    """Tear-down found a namespace, link, process or directory of the run still there."""


def unavailable_reason() -> str | None:
    if os.geteuid() != 0:
        return "network namespaces need root (ip netns add); run as root to start the cluster"
    if not shutil.which("ip"):
        return "iproute2 (ip) is not installed"
    for tool in ("redis-server", "runuser"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    probe = f"pt{os.getpid()}-probe"
    try:
        added = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True, timeout=10)
        if added.returncode:
            return f"ip netns add fails here: {added.stderr.strip()}"
    finally:
        subprocess.run(["ip", "netns", "del", probe], capture_output=True, timeout=10)
    return None


def reap_stale():
    """Removes what a run that could not tear down (killed with SIGKILL, os._exit on a pytest timeout)
    left: the namespaces, links and temporary directories named pt<pid>- of a process no longer alive.
    Returns what was removed."""
    removed = []

    def dead(name):
        found = re.match(r"pt(\d+)", name)
        return found and int(found.group(1)) != os.getpid() and not Path(f"/proc/{found.group(1)}").exists()

    for line in run("ip", "netns", "list", check=False).stdout.splitlines():
        ns = line.split()[0] if line.strip() else ""
        if re.match(r"pt\d+-", ns) and dead(ns):
            for pid in run("ip", "netns", "pids", ns, check=False).stdout.split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            run("ip", "netns", "del", ns, check=False)
            removed.append(ns)
    for link in re.findall(r"^\d+: (pt\d+\w+)[@:]", run("ip", "-o", "link", check=False).stdout, re.M):
        if dead(link):
            run("ip", "link", "del", link, check=False)
            removed.append(link)
    for path in Path(tempfile.gettempdir()).glob("pt*-*"):
        if re.match(r"pt\d+-(pg|cluster)-", path.name) and dead(path.name):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(str(path))
    return removed


def run(*args, timeout=STEP_SECONDS, check=True):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=check)


class Cluster:
    def __init__(self, web_env=None, web_workers=2, beats=1, worker_env=None):
        """web_env: extra environment for the web hosts (a dict for both, or {"web1": {...}, ...});
        worker_env: for both worker hosts; beats: 2 runs a second beat on worker2 (wrong: how the beat
        test was shown able to fail)."""
        self.beats = beats
        self.worker_env = worker_env or {}
        self.tag = f"pt{os.getpid()}"
        self.prefix = f"{self.tag}-"
        self.web_env = web_env or {}
        self.web_workers = web_workers
        self.namespaces = []
        self.links = []
        self.processes = {}
        self.pg = None
        self.dir = None
        self.timings = {}
        self._down = False
        self._handlers = {}

    # --- addresses ------------------------------------------------------------------------------------

    def _choose_net(self):
        used = run("ip", "-o", "-4", "addr").stdout
        for n in range(os.getpid() % 200 + 20, os.getpid() % 200 + 220):
            n = n % 250 + 2
            if f"10.241.{n}." not in used and f"10.242.{n}." not in used:
                return n
        raise RuntimeError("no free 10.241.N.0/24 for the cluster")

    def ns(self, host):
        return f"{self.prefix}{host}"

    def wrap(self, host):
        return ("ip", "netns", "exec", self.ns(host))

    def url(self, host, port=8000):
        """The address the tests reach a web host on (its front link)."""
        return f"http://{self.front[host]}:{port}"

    # --- up -------------------------------------------------------------------------------------------

    def up(self):
        started = time.monotonic()
        reason = unavailable_reason()
        if reason:
            raise Unavailable(reason)
        stale = reap_stale()
        if stale:
            print(f"removed what earlier runs left behind: {', '.join(stale)}", file=sys.stderr)
        atexit.register(self.down)
        self._install_signal_handlers()
        try:
            self._network()
            self.timings["network"] = round(time.monotonic() - started, 1)
            self._data_host()
            self.timings["data host"] = round(time.monotonic() - started, 1)
            self._prepare_database()
            self.timings["migrate and demo data"] = round(time.monotonic() - started, 1)
            self._web_hosts()
            self._worker_host()
            self._wait_web()
        except BaseException:
            self.down()
            raise
        self.timings["up"] = round(time.monotonic() - started, 1)
        return self

    def __enter__(self):
        return self.up()

    def __exit__(self, *exc):
        self.down()

    def _install_signal_handlers(self):
        def handler(signum, frame):
            self.down()
            # Interrupts the run (pytest stops, reporting what ran) rather than failing one test.
            raise KeyboardInterrupt(signal.Signals(signum).name)

        try:
            for signum in (signal.SIGTERM, signal.SIGINT):
                self._handlers[signum] = signal.signal(signum, handler)
        except ValueError:  # not the main thread: atexit and the context manager still tear down
            pass

    def _restore_signal_handlers(self):
        for signum, previous in self._handlers.items():
            try:
                signal.signal(signum, previous)
            except (ValueError, TypeError):
                pass
        self._handlers.clear()

    def _network(self):
        n = self._choose_net()
        self.back = {"data": f"10.241.{n}.10", "web1": f"10.241.{n}.21", "web2": f"10.241.{n}.22"}
        self.back["worker"] = f"10.241.{n}.31"
        self.back["worker2"] = f"10.241.{n}.32"
        self.back_net = f"10.241.{n}.0/24"
        self.front = {"web1": f"10.242.{n}.2", "web2": f"10.242.{n}.6"}
        front_root = {"web1": f"10.242.{n}.1", "web2": f"10.242.{n}.5"}
        self.bridge = f"{self.tag}br"
        self.dir = Path(tempfile.mkdtemp(prefix=f"{self.prefix}cluster-"))
        run("ip", "link", "add", self.bridge, "type", "bridge")
        self.links.append(self.bridge)
        # Bridged frames skip the machine's iptables where br_netfilter is loaded (a Docker host's FORWARD
        # DROP would eat them); older kernels lack the option, which then changes nothing.
        run("ip", "link", "set", self.bridge, "type", "bridge", "nf_call_iptables", "0", check=False)
        run("ip", "link", "set", self.bridge, "up")
        for host in ("data", "web1", "web2", *WORKER_HOSTS):
            ns = self.ns(host)
            run("ip", "netns", "add", ns)
            self.namespaces.append(ns)
            run("ip", "-n", ns, "link", "set", "lo", "up")
            short = {"worker2": "k2"}.get(host, host[0] + host[-1])
            outside = f"{self.tag}{short}"  # e.g. pt1234w1: at most 15 characters
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", "back", "netns", ns)
            self.links.append(outside)
            run("ip", "link", "set", outside, "master", self.bridge, "up")
            run("ip", "-n", ns, "addr", "add", f"{self.back[host]}/24", "dev", "back")
            run("ip", "-n", ns, "link", "set", "back", "up")
            if host in self.front:
                outside = f"{self.tag}f{host[-1]}"
                run("ip", "link", "add", outside, "type", "veth", "peer", "name", "front", "netns", ns)
                self.links.append(outside)
                run("ip", "addr", "add", f"{front_root[host]}/30", "dev", outside)
                run("ip", "link", "set", outside, "up")
                run("ip", "-n", ns, "addr", "add", f"{self.front[host]}/30", "dev", "front")
                run("ip", "-n", ns, "link", "set", "front", "up")

    def _data_host(self):
        address = self.back["data"]
        self.pg = ThrowawayCluster(
            host=address,
            port=5432,
            wrap=self.wrap("data"),
            allow=self.back_net,
            prefix=f"{self.prefix}pg-",
            # Thrown away at the end: no need to survive a crash of the machine.
            options="-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        )
        self.pg.start()
        self.pg.create_database()
        redis_dir = self.dir / "redis"
        redis_dir.mkdir()
        self._spawn(
            "redis",
            "data",
            ["redis-server", "--bind", address, "--port", "6379", "--save", "", "--appendonly", "no"]
            + ["--protected-mode", "no", "--dir", str(redis_dir), "--logfile", str(self.dir / "redis.log")],
        )
        self._spawn(
            "smtp",
            "data",
            [sys.executable, "-m", "deploy.netns.smtp_sink", address, str(SMTP_PORT), str(self.dir)],
        )
        self._wait(
            "redis",
            lambda: (
                run(*self.wrap("data"), "redis-cli", "-h", address, "ping", check=False).stdout.strip()
                == "PONG"
            ),
        )

    def env(self, host=None):
        data = self.back["data"]
        # The settings bound every wait on the data host (NETWORK_TIMEOUT_SECONDS): plain URLs here.
        database_url = f"postgres://postgres@{data}:5432/portal"
        if any(key in ("web1", "web2") for key in self.web_env):
            extra = self.web_env.get(host, {})
        else:
            extra = self.web_env if host in ("web1", "web2") else {}
        if host in WORKER_HOSTS:
            extra = self.worker_env
        extra = {key: value.replace("{data}", data) for key, value in extra.items()}  # the data address
        return portal_env(
            database_url,
            **{
                "ALLOWED_HOSTS": ",".join(
                    [*self.front.values(), *self.back.values(), "127.0.0.1", "localhost"]
                ),
                "CACHE_URL": f"redis://{data}:6379/0",
                "CELERY_BROKER_URL": f"redis://{data}:6379/1",
                "CELERY_TASK_ALWAYS_EAGER": "0",
                "STATIC_ROOT": str(self.dir / "static"),
                # No shared disk: each host its own MEDIA_ROOT, the files in PostgreSQL (portal/storage.py).
                "MEDIA_ROOT": str(self.dir / f"media-{host or 'set-up'}"),
                "FILE_STORAGE": "database",
                "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
                # The mail relay on the data host (smtp_sink.py); a dead sender's claim is taken over
                # after OUTBOX_CLAIM_TIMEOUT seconds (five minutes in production).
                "EMAIL_URL": f"smtp://{data}:{SMTP_PORT}",
                "OUTBOX_CLAIM_TIMEOUT_SECONDS": str(OUTBOX_CLAIM_TIMEOUT),
                "WEB_CONCURRENCY": str(self.web_workers),
                "RATELIMIT_PROCESSES": str(2 * self.web_workers),  # every process on both web hosts
                # As behind the proxy of docker-compose.yml: the client is the last X-Forwarded-For entry.
                "RATELIMIT_TRUST_FORWARDED": "1",
                "RATELIMIT_TRUSTED_PROXIES": "1",
                "CERTIFICATE_LOOKUP_RATE": CERTIFICATE_LOOKUP_RATE,
                "LOG_REQUESTS": "0",
                **extra,
            },
        )

    def _prepare_database(self):
        env, wrap = self.env(), self.wrap("web1")
        # collectstatic needs no database: it runs beside the rest.
        static = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            for args in (("migrate", "--noinput"), ("load_reference",), ("load_demo",)):
                started = time.monotonic()
                manage(env, *args, wrap=wrap)
                self.timings[args[0]] = round(time.monotonic() - started, 1)
            _, errors = static.communicate(timeout=STEP_SECONDS)
            if static.returncode:
                raise RuntimeError(f"collectstatic failed: {errors.decode(errors='replace')[-2000:]}")
        finally:
            _kill_group(static)

    def _web_hosts(self):
        for host in ("web1", "web2"):
            self._spawn(
                host,
                host,
                [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-b", "0.0.0.0:8000"]
                + ["-w", str(self.web_workers), "--timeout", "30", "--graceful-timeout", "5"],
                env=self.env(host),
            )

    def _worker_host(self):
        for host in WORKER_HOSTS:
            self.start_worker_host(host)
        if self.beats > 1:
            self._spawn_beat("beat2", "worker2")

    def start_worker_host(self, host):
        """The host's Celery worker (info: each task's run is logged), and on ``worker`` the beat."""
        for name in (host, *(("beat",) if host == "worker" else ())):
            process = self.processes.pop(name, None)
            if process is not None:
                _kill_group(process)
        self._spawn(
            host,
            host,
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency=1"]
            + ["--loglevel=info", "-n", f"{self.tag}@{host}"],
            env=self.env(host),
            append=True,
        )
        if host == "worker":
            self._spawn_beat("beat", host)

    def _spawn_beat(self, name, host):
        # The deployment's schedule and one entry more: portal.ping every BEAT_TICK_SECONDS (beat_app.py).
        self._spawn(
            name,
            host,
            [sys.executable, "-m", "celery", "-A", "deploy.netns.beat_app", "beat", "--loglevel=info"]
            + ["--schedule", str(self.dir / f"{name}-schedule")],
            env=self.env(host),
            append=True,
        )

    def start_web(self, host, port, **env):
        """One more gunicorn (one process) on a web host, on another port, with environment changed (as
        the tests show a guarantee failing without what keeps it); url(host, port) reaches it."""
        name = f"{host}:{port}"
        self._spawn(
            name,
            host,
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-b", f"0.0.0.0:{port}", "-w", "1"],
            env={**self.env(host), **env, "WEB_CONCURRENCY": "1"},
        )
        self._wait(name, lambda: self.status(host, "/healthz", port=port) == 200)
        return name

    def stop(self, name):
        _kill_group(self.processes.pop(name))

    def _wait_web(self):
        for host in ("web1", "web2"):
            self._wait(host, lambda host=host: self.status(host, "/healthz") == 200)

    def _spawn(self, name, host, args, env=None, append=False):
        log = open(self.dir / f"{name}.log", "ab" if append else "wb")
        self.processes[name] = subprocess.Popen(
            [*self.wrap(host), *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: down() kills it and its children
        )
        log.close()

    def _wait(self, name, ready, seconds=START_SECONDS):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}: {self.log(name)[-2000:]}")
            try:
                if ready():
                    return
            except (OSError, subprocess.SubprocessError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} not ready within {seconds} s: {self.log(name)[-2000:]}")

    def log(self, name):
        try:
            return (self.dir / f"{name}.log").read_text(errors="replace")
        except OSError:
            return ""

    def status(self, host, path, timeout=5, port=8000):
        try:
            with urllib.request.urlopen(self.url(host, port) + path, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def manage(self, host, *args, timeout=STEP_SECONDS):
        """manage.py on a host, with that host's environment."""
        return manage(self.env(host), *args, wrap=self.wrap(host), timeout=timeout)

    # --- faults ---------------------------------------------------------------------------------------

    def cut(self, host):
        """The host loses its link to the data host (its back interface goes down)."""
        run("ip", "-n", self.ns(host), "link", "set", "back", "down")

    def mend(self, host):
        run("ip", "-n", self.ns(host), "link", "set", "back", "up")

    def kill_host(self, host):
        """The host dies: SIGKILL to every process in its namespace (no warm shutdown, nothing acknowledged)."""
        pids = run("ip", "netns", "pids", self.ns(host)).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        for process in self.processes.values():
            if str(process.pid) in pids:
                process.wait(timeout=10)
        return pids

    def sql(self, query):
        """One query on the data host's database, as psql prints it unaligned (rows of |-separated values)."""
        return run(
            *self.wrap("data"),
            str(PG_BIN / "psql"),
            "-h",
            self.back["data"],
            "-U",
            "postgres",
            "-d",
            "portal",
            "-Atc",
            query,
        ).stdout.strip()

    def host_of(self, address):
        return next(host for host, known in self.back.items() if known == address)

    # --- down -----------------------------------------------------------------------------------------

    def down(self):
        if self._down:
            return
        self._down = True
        started = time.monotonic()
        atexit.unregister(self.down)
        self._restore_signal_handlers()
        for process in self.processes.values():
            _kill_group(process)
        if self.pg is not None:
            try:
                run(
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.pg.data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                    check=False,
                )
            except subprocess.SubprocessError:
                pass
        for ns in self.namespaces:  # whatever is still running inside (a postgres pg_ctl did not stop)
            try:
                pids = run("ip", "netns", "pids", ns, check=False).stdout.split()
            except subprocess.SubprocessError:
                pids = []
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
        for ns in self.namespaces:
            run("ip", "netns", "del", ns, check=False)
        for link in self.links:  # the veths go with their namespaces; the bridge does not
            run("ip", "link", "del", link, check=False)
        if self.pg is not None:
            shutil.rmtree(self.pg.dir, ignore_errors=True)
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
        self.check_nothing_left()
        self.timings["down"] = round(time.monotonic() - started, 1)

    def check_nothing_left(self):
        left = []
        deadline = time.monotonic() + 10
        while True:
            left = []
            netns = run("ip", "netns", "list", check=False).stdout
            left += [line.split()[0] for line in netns.splitlines() if line.startswith(self.prefix)]
            links = run("ip", "-o", "link", check=False).stdout
            left += [link for link in self.links if f" {link}:" in links or f" {link}@" in links]
            left += [f"{name} (pid {p.pid})" for name, p in self.processes.items() if p.poll() is None]
            left += [str(d) for d in (self.dir, self.pg and self.pg.dir) if d and Path(d).exists()]
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if left:
            raise LeftBehind(f"the cluster {self.prefix}* left behind: {', '.join(left)}")


def _kill_group(process, seconds=10):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=seconds)
            break
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the children of a leader that has exited
    except ProcessLookupError:
        pass


def main(argv):
    if argv[1:] == ["down"]:  # what runs that are no longer alive left behind
        removed = reap_stale()
        print(f"removed: {', '.join(removed)}" if removed else "nothing left behind")
        return 0
    if argv[1:] != ["up"]:
        print("usage: python -m deploy.netns.cluster up|down")
        print("  up: starts a cluster, runs until Ctrl-C, then tears everything down")
        print(
            "  down: removes what runs killed with SIGKILL left behind (a running cluster tears itself down)"
        )
        return 2
    with Cluster() as cluster:
        print(f"cluster {cluster.prefix}* up in {cluster.timings['up']:.1f} s")
        for host in ("web1", "web2"):
            print(f"  {host}: {cluster.url(host)}/")
        print(f"  data: {cluster.back['data']} (PostgreSQL 5432, Redis 6379); Ctrl-C tears down")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
