"""A throwaway PostgreSQL cluster on its own port, made with initdb/pg_ctl, so fault tests can stop and
start a database without touching the shared service; and a gunicorn serving the portal against it."""

import glob
import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args, wrap=(), **kwargs):
    # initdb and postgres refuse to run as root: run them as the postgres user when we are root.
    # wrap: a command prefix, e.g. ("ip", "netns", "exec", name) to run inside a network namespace.
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    kwargs.setdefault("timeout", 120)
    return subprocess.run([*wrap, *args], check=True, capture_output=True, text=True, **kwargs)


class ThrowawayCluster:
    """host/port: where it listens (a free port on 127.0.0.1 by default); wrap: a command prefix for
    every PostgreSQL command (deploy/netns runs it inside a namespace); allow: a network (CIDR) whose
    clients are trusted besides the local ones."""

    def __init__(self, host="127.0.0.1", port=None, wrap=(), allow=None, prefix="portal-pg-", options=""):
        self.dir = Path(tempfile.mkdtemp(prefix=prefix))
        self.data = self.dir / "data"
        self.host = host
        self.port = port or free_port()
        self.wrap = tuple(wrap)
        self.options = options  # more server options, e.g. "-c fsync=off" for a cluster thrown away
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        _as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        )
        if allow:
            with open(self.data / "pg_hba.conf", "a") as hba:
                hba.write(f"host all all {allow} trust\n")

    @property
    def url(self):
        return f"postgres://postgres@{self.host}:{self.port}/portal"

    def start(self):
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.dir / "log"),
                "-w",
                "-o",
                f"-p {self.port} -k {self.dir} -c listen_addresses={self.host} {self.options}",
                "start",
            ],
            wrap=self.wrap,
        )

    def stop(self):
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def create_database(self):
        subprocess.run(
            [
                *self.wrap,
                str(PG_BIN / "createdb"),
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "portal",
            ],
            check=True,
            timeout=60,
        )

    def destroy(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def portal_env(database_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_ALLOW"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": "throwaway-secret-key-for-fault-tests-0123456789-abcdefghijklmnop",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "CELERY_BROKER_URL": "",
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "CONN_MAX_AGE": "60",
            **extra,
        }
    )
    return env


def manage(env, *args, wrap=(), timeout=300):
    return subprocess.run(
        [*wrap, sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Gunicorn:
    def __init__(self, env, workers=1):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(workers),
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.wait_ready()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, timeout=10, data=None):
        """(status, body) without raising on HTTP errors; cookies are kept between calls."""
        try:
            with self.opener.open(self.url + path, data=data, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, username, password):
        import re
        import urllib.parse

        _, body = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        request = urllib.request.Request(
            self.url + "/accounts/login/",
            data=form.encode(),
            headers={"Referer": self.url + "/accounts/login/"},
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def wait_ready(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.get("/healthz", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
