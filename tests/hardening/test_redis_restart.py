"""Redis restarted under a running Celery worker (a throwaway redis-server on its own port): tasks
sent after the restart are executed; Redis keeps nothing on disk, so what matters is that workers
and producers reconnect by themselves and that the periodic tasks are idempotent (each app tests
its own tasks twice)."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.hardening.throwaway import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.faults


class ThrowawayRedis:
    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="portal-redis-")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"], capture_output=True
                ).stdout.strip()
                == b"PONG"
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("redis did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def destroy(self):
        if self.proc and self.proc.poll() is None:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def test_worker_and_producer_reconnect_after_redis_restart():
    redis = ThrowawayRedis()
    redis.start()
    broker = f"redis://127.0.0.1:{redis.port}/0"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-c",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # The producer side runs in its own process too, as a web worker would.
    ping = [sys.executable, "-c", "from portal.celery import ping; print(ping.delay().get(timeout=60))"]
    try:
        first = subprocess.run(ping, cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
        assert first.stdout.strip() == "pong", first.stderr

        redis.stop()
        time.sleep(1)
        redis.start()  # empty: Redis keeps nothing on disk here

        second = subprocess.run(ping, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert second.stdout.strip() == "pong", second.stderr
        assert worker.poll() is None, "the worker died instead of reconnecting"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        redis.destroy()
