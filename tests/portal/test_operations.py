"""Health check, request ids, login attempt limit, and the production settings check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert set(body["checks"]) == {"database", "cache", "broker", "worker"}


@pytest.mark.django_db
def test_readyz_says_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.django_db
def test_healthz_is_the_process_only(client, django_assert_num_queries):
    """Liveness reads nothing shared: a database outage must not restart every web process."""
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json() == {"ok": True}


@pytest.mark.django_db
def test_request_id_echoed_or_made(client):
    assert client.get("/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    made = client.get("/", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-ID"]
    assert made != "bad id with spaces" and len(made) == 32


@pytest.mark.django_db
def test_login_delayed_after_five_failures(client, alice):
    """After 5 failures for a username the next attempt waits a few seconds (tests/portal/test_login_limits.py
    for the delays and the per-address limit)."""
    from django.core.cache import cache

    cache.clear()
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "alice", "password": "wrong"})
        assert "登录失败次数过多" not in response.content.decode()
    # The sixth try, at once, is refused even with the right password.
    response = client.post(url, {"username": "alice", "password": "pw-secret-123"})
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    cache.clear()
    response = client.post(url, {"username": "alice", "password": "pw-secret-123"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_four_failures_then_success_is_allowed(client, alice):
    from django.core.cache import cache

    cache.clear()
    for _ in range(4):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": "alice", "password": "pw-secret-123"}).status_code == 302
    )


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "a-long-production-secret-key-for-the-check-0123456789",
        "ALLOWED_HOSTS": "portal.example.org",
        "PORTAL_PUBLIC_URL": "https://portal.example.org",  # as make check-deploy passes it
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_content_security_policy_forbids_inline_scripts(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert (
        "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy


def test_no_template_has_an_inline_script():
    """Inline scripts would be blocked by the policy: every <script> must load a static file."""
    import re

    offenders = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(str(template.relative_to(ROOT)))
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{template.relative_to(ROOT)} (inline event handler)")
    assert offenders == []
