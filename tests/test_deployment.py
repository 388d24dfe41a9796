"""The production image and stack: the Dockerfile and docker-compose.yml hold what
an operator relies on. `docker compose config` validates the compose file where
the compose plugin is installed; everywhere, this test parses both files and
checks them."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker")


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)  # continued lines
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), " ".join(rest.split())))
    return found


def _compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    return [shutil.which("docker-compose")] if shutil.which("docker-compose") else None


def test_compose_config_validates_where_compose_is_installed():
    command = _compose_command()
    if command is None:
        pytest.skip("no docker compose here: the file is checked by the tests below")
    done = subprocess.run(
        [*command, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        env={"SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_stack_has_every_service_each_with_a_health_check():
    assert set(SERVICES) == {"postgres", "redis", "migrate", "web", "worker"}
    for name, service in SERVICES.items():
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), name
    assert "/-/health" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert SERVICES["worker"]["healthcheck"]["test"][-1] == "health"


def test_two_web_replicas_start_after_a_one_shot_migration():
    web = SERVICES["web"]
    assert web["deploy"]["replicas"] == 2
    assert web["command"] == ["gunicorn", "--config", "gunicorn.conf.py"]
    assert SERVICES["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("web", "worker"):
        needs = SERVICES[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert needs["redis"]["condition"] == "service_healthy"
        assert "migrate" not in " ".join(SERVICES[name]["command"])
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == (
        "service_healthy"
    )
    # Two replicas cannot share one host port.
    assert web["ports"] == ["${WEB_PORTS:-8000-8001}:8000"]


def test_the_app_runs_from_the_image_with_shared_state_and_no_source_mount():
    for name in APP_SERVICES:
        service = SERVICES[name]
        assert service["build"] == "." and service["image"] == "forum:latest", name
        command = " ".join(service["command"])
        assert "pip install" not in command, name
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source in COMPOSE["volumes"], f"{name} mounts {source}"


def test_every_variable_the_stack_sets_is_one_the_forum_reads():
    code = "\n".join(
        path.read_text()
        for path in [*ROOT.glob("forum/**/*.py"), ROOT / "gunicorn.conf.py"]
    )
    for name in SERVICES["web"]["environment"]:
        assert f'"{name}"' in code, f"nothing reads {name}"


def test_redis_never_evicts_the_version_counters():
    command = SERVICES["redis"]["command"]
    policy = command[command.index("--maxmemory-policy") + 1]
    assert policy in ("volatile-lru", "volatile-lfu", "volatile-ttl", "noeviction")


def test_the_image_is_multi_stage_slim_and_runs_as_a_user():
    steps = dockerfile_instructions()
    stages = [rest for word, rest in steps if word == "FROM"]
    assert len(stages) == 2
    assert all("-slim" in stage for stage in stages)
    final = len(steps) - 1 - [w for w, _ in steps][::-1].index("FROM")
    last_stage = steps[final:]
    runs = " ".join(rest for word, rest in last_stage if word == "RUN")
    assert "collectstatic --noinput" in runs
    assert "pip install" not in runs  # dependencies come from the build stage
    assert any(w == "COPY" and rest.startswith("--from=build") for w, rest in steps)
    users = [rest for word, rest in last_stage if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    words = [w for w, _ in last_stage]
    assert words.index("USER") < words.index("CMD")
    assert ("CMD", '["gunicorn", "--config", "gunicorn.conf.py"]') in last_stage
    assert any(w == "HEALTHCHECK" and "/-/health" in rest for w, rest in last_stage)


def test_the_image_leaves_local_state_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".pgdata", "media", "staticfiles", ".env"} <= ignored


def test_gunicorn_takes_workers_from_the_cpus_and_logs_access_to_stdout(
    monkeypatch,
):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_ACCESS_LOG", raising=False)
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102

    assert namespace["workers"] >= 3  # 2 x CPUs + 1
    assert namespace["accesslog"] == "-"
    assert 0 < namespace["graceful_timeout"] <= namespace["timeout"]
    assert namespace["logger_class"] == "forum.core.accesslog.JsonAccessLogger"
