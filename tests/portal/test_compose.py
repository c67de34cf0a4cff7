"""Issue 41 item 3: docker-compose.yml runs the portal as several hosts (a proxy, two web hosts, a worker,
one beat, PostgreSQL, Redis). The file is validated against the Compose specification's JSON schema, and
what it starts is checked against the project: every variable it sets is one the settings read, every
command names a module that exists, the proxy's upstreams are the web services, and the health checks
ask addresses the portal serves."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
SCHEMA = ROOT / ".cache" / "compose-spec" / "compose_spec.json"
NGINX = ROOT / "deploy" / "nginx.conf"
# Variables read by something other than portal/settings.py: gunicorn, prometheus-client, and the lookup
# log's flush interval (certificates/lookup_log.py reads the environment itself).
READ_ELSEWHERE = {"WEB_CONCURRENCY", "PROMETHEUS_MULTIPROC_DIR", "CERTIFICATE_LOOKUP_LOG_FLUSH_SECONDS"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_the_file_follows_the_compose_specification(compose):
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} missing: `make compose-schema` fetches it (make test does)")
    import jsonschema_rs

    validator = jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []
    broken = dict(compose)
    broken["services"] = {
        **compose["services"],
        "web1": {**compose["services"]["web1"], "restart": ["always"]},
    }
    assert not validator.is_valid(broken)  # the schema is really applied


def test_the_topology(compose):
    services = compose["services"]
    assert {"proxy", "web1", "web2", "worker", "beat", "postgres", "redis", "migrate"} <= set(services)
    web = [name for name, s in services.items() if "gunicorn" in str(s.get("command", ""))]
    assert sorted(web) == ["web1", "web2"]
    assert [name for name, s in services.items() if " beat" in str(s.get("command", ""))] == ["beat"]
    published = [name for name, s in services.items() if s.get("ports")]
    assert published == ["proxy"]  # the web hosts are reached through the proxy only
    for name in web + ["worker", "beat"]:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    upstreams = set(re.findall(r"^\s*server\s+([\w-]+):8000", NGINX.read_text(encoding="utf-8"), re.M))
    assert upstreams == set(web)
    mounted = " ".join(services["proxy"]["volumes"])
    assert "./deploy/nginx.conf:" in mounted


def test_every_variable_is_one_the_settings_read(compose):
    settings_text = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z0-9_]+)["']""", settings_text))
    read |= set(re.findall(r'^\s*"([A-Z][A-Z0-9_]+)",', settings_text, re.M))  # the domain settings loop
    variables = set()
    for service in compose["services"].values():
        variables |= set(service.get("environment") or {})
    own = {name for name in variables if not name.startswith("POSTGRES_")}  # the postgres image's own
    assert own - read - READ_ELSEWHERE == set()
    assert "SECRET_KEY" in own and "DATABASE_URL" in own and "METRICS_TOKEN" in own


def test_the_commands_name_what_exists(compose):
    services = compose["services"]
    for name in ("web1", "web2"):
        command = services[name]["command"]
        module, attribute = re.search(r"gunicorn ([\w.]+):(\w+)", command).groups()
        assert getattr(__import__(module, fromlist=[attribute]), attribute)
    for name in ("worker", "beat"):
        assert services[name]["command"].startswith("celery -A portal ")
    from portal.celery import app

    assert app.main == "portal"
    assert "manage.py migrate" in services["migrate"]["command"]
    checks = " ".join(str(services[name]["healthcheck"]["test"]) for name in ("web1",))
    for path in re.findall(r"127\.0\.0\.1:8000(/[\w/]*)", checks):
        assert resolve(path).url_name in ("healthz", "readyz")
