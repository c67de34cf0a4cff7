"""The portal's public address (settings.PORTAL_PUBLIC_URL): the one helper that builds absolute links
(portal/links.py) and the deploy check that warns when production leaves it unset or local
(portal/checks.py, `make check-deploy`)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from portal import checks, links

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://portal.example.org"


def test_absolute_url_puts_the_public_address_before_the_path(settings):
    settings.PORTAL_PUBLIC_URL = PUBLIC
    assert links.absolute_url("/filings/17/") == "https://portal.example.org/filings/17/"
    settings.PORTAL_PUBLIC_URL = "https://example.org/jineng/"  # a path prefix and a trailing slash
    assert links.absolute_url("/filings/17/?a=1") == "https://example.org/jineng/filings/17/?a=1"


def test_absolute_url_refuses_what_is_not_a_path(settings):
    settings.PORTAL_PUBLIC_URL = PUBLIC
    for bad in ("filings/17/", "https://elsewhere.example/x", ""):
        with pytest.raises(ValueError):
            links.absolute_url(bad)


def deploy_warnings():
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("portal.")]


@pytest.mark.parametrize(
    "url",
    [
        None,  # unset
        "",
        "http://127.0.0.1:8000",
        "http://localhost:8000/",
        "http://[::1]:8000",
        "http://0.0.0.0:9000",
        "http://portal.localhost",
        "portal.example.org",  # no scheme: not a link anyone can open
    ],
)
def test_the_deploy_check_warns_in_production_when_unset_or_local(settings, url):
    settings.DEBUG = False
    if url is None:
        del settings.PORTAL_PUBLIC_URL
    else:
        settings.PORTAL_PUBLIC_URL = url
    assert "portal.W001" in deploy_warnings()


@pytest.mark.parametrize("url", [PUBLIC, "http://10.1.2.3:8000", "https://example.org/jineng/"])
def test_the_deploy_check_is_quiet_when_set(settings, url):
    settings.DEBUG = False
    settings.PORTAL_PUBLIC_URL = url
    assert checks.check_public_url() == []
    assert "portal.W001" not in deploy_warnings()


def test_the_check_runs_only_with_deploy(settings):
    settings.PORTAL_PUBLIC_URL = "http://127.0.0.1:8000"
    assert "portal.W001" not in [m.id for m in run_checks()]


# Left out of the subprocesses: the addresses under test and the tests' own async switch (conftest.py),
# which check --deploy rightly refuses.
NOT_INHERITED = ("PORTAL_PUBLIC_URL", "CERTIFICATES_PUBLIC_BASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*args, **env):
    """manage.py in a production environment, the settings module read afresh (what make check-deploy runs)."""
    base = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    base.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(48), ALLOWED_HOSTS="portal.example.org", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def setting(name, **env) -> str:
    shell = manage(
        "shell", "--no-imports", "-c", f"from django.conf import settings; print(settings.{name})", **env
    )
    assert shell.returncode == 0, shell.stderr
    return shell.stdout.strip()


def test_check_deploy_warns_without_the_setting():
    """What `make check-deploy` ran before it passed an address (clean with one: test_operations.py)."""
    unset = manage("check", "--deploy", "--fail-level", "WARNING")
    assert unset.returncode != 0
    assert "portal.W001" in unset.stderr


def test_the_old_setting_is_still_read_with_a_deprecation_warning():
    old = "https://zs.example.org"
    assert setting("PORTAL_PUBLIC_URL", CERTIFICATES_PUBLIC_BASE_URL=old) == old
    assert setting("PORTAL_PUBLIC_URL", CERTIFICATES_PUBLIC_BASE_URL=old, PORTAL_PUBLIC_URL=PUBLIC) == PUBLIC
    assert setting("PORTAL_PUBLIC_URL") == "http://127.0.0.1:8000"  # unset: the address make run serves
    check = manage("check", "--deploy", CERTIFICATES_PUBLIC_BASE_URL=old)
    output = check.stdout + check.stderr
    assert "portal.W002" in output and "portal.W001" not in output


def make(target, tmp_path, *args, **env):
    """The Makefile's own recipe for ``target``, with a stand-in python that prints the address it is
    given (the prerequisites, venv and Debian packages, are not remade: -o)."""
    fake = tmp_path / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text('#!/bin/sh\necho "url=$PORTAL_PUBLIC_URL args=$*"\n')
    fake.chmod(0o755)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "PORTAL_PUBLIC_URL"))}
    base.update(env)
    command = ["make", "-s", "-o", "venv", "-o", "sysdeps-run", target, f"BIN={fake.parent}", *args]
    result = subprocess.run(command, cwd=ROOT, env=base, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("url=")]


def test_make_check_deploy_passes_a_public_address(tmp_path):
    assert make("check-deploy", tmp_path) == [f"url={PUBLIC} args=manage.py check --deploy"]


def test_make_run_passes_the_address_it_serves_unless_one_is_set(tmp_path):
    lines = make("run", tmp_path / "a", "HOST=0.0.0.0:9000")
    assert lines[-1] == "url=http://0.0.0.0:9000 args=manage.py runserver 0.0.0.0:9000"
    assert {line.split()[0] for line in lines} == {"url=http://0.0.0.0:9000"}  # load_demo too
    assert (
        make("run", tmp_path / "b")[-1] == "url=http://127.0.0.1:8000 args=manage.py runserver 127.0.0.1:8000"
    )
    lines = make("run", tmp_path / "c", PORTAL_PUBLIC_URL=PUBLIC)
    assert lines[-1] == f"url={PUBLIC} args=manage.py runserver 127.0.0.1:8000"
