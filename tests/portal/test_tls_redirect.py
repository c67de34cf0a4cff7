"""Issue 30, finding 6: docker-compose.yml turned the https redirect off by default and `make
check-deploy` did not notice. The deploy check portal.E001 (portal/checks.py) fails on production
settings without the redirect unless TLS_REDIRECT_AT_PROXY says a trusted proxy redirects; `make
check-deploy` checks the compose file's defaults."""

import os
import re
import subprocess
from pathlib import Path

from django.core.checks import run_checks

from portal import checks

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def test_production_settings_without_the_redirect_fail_the_deploy_check(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False
    settings.TLS_REDIRECT_AT_PROXY = False
    [error] = checks.check_ssl_redirect()
    assert error.id == "portal.E001" and error.is_serious()
    assert "portal.E001" in [m.id for m in run_checks(include_deployment_checks=True)]
    assert "portal.E001" not in [m.id for m in run_checks()]  # a deploy check only


def test_the_redirect_or_a_redirecting_proxy_passes(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.TLS_REDIRECT_AT_PROXY = False
    assert checks.check_ssl_redirect() == []
    settings.SECURE_SSL_REDIRECT = False
    settings.TLS_REDIRECT_AT_PROXY = True
    assert checks.check_ssl_redirect() == []


def test_the_compose_default_redirects():
    text = COMPOSE.read_text()
    assert re.search(r"^ +SECURE_SSL_REDIRECT: \$\{SECURE_SSL_REDIRECT:-1\}$", text, re.M)
    assert re.search(r"^ +TLS_REDIRECT_AT_PROXY: \$\{TLS_REDIRECT_AT_PROXY:-0\}$", text, re.M)


def make_check_deploy(*args):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MAKE", "PORTAL_PUBLIC_URL", "SECURE_", "TLS_", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    command = ["make", "-s", "-o", "venv", "check-deploy", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def test_make_check_deploy_passes_with_the_compose_defaults():
    result = make_check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "portal.E001" not in result.stdout + result.stderr


def test_make_check_deploy_fails_on_an_insecure_compose_default(tmp_path):
    insecure = tmp_path / "docker-compose.yml"
    insecure.write_text(COMPOSE.read_text().replace("${SECURE_SSL_REDIRECT:-1}", "${SECURE_SSL_REDIRECT:-0}"))
    result = make_check_deploy(f"COMPOSE_FILE={insecure}")
    assert result.returncode != 0
    assert "portal.E001" in result.stdout + result.stderr
    behind_proxy = tmp_path / "proxy.yml"
    behind_proxy.write_text(
        insecure.read_text().replace("${TLS_REDIRECT_AT_PROXY:-0}", "${TLS_REDIRECT_AT_PROXY:-1}")
    )
    result = make_check_deploy(f"COMPOSE_FILE={behind_proxy}")
    assert result.returncode == 0, result.stdout + result.stderr
