"""
The Dockerfile, replayed without a Docker engine.

These machines run no Docker engine, so this test reads the Dockerfile itself
and replays its build stage's RUN steps (venv, pip install, collectstatic) in a
fresh virtual environment, then starts the image's ENTRYPOINT and CMD the way
the container would, and asks the running server for /healthz, a hashed static
file and a page. The real image is built and run by scripts/container-check.
"""

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def dockerfile_instructions():
    """[(stage_index, INSTRUCTION, argument)] with line continuations joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stage, result = -1, []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, argument = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            stage += 1
        result.append((stage, instruction, argument.strip()))
    return result


def exec_form(argument):
    return json.loads(argument) if argument.startswith("[") else shlex.split(argument)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def test_dockerfile_steps_build_and_serve(tmp_path):
    instructions = dockerfile_instructions()
    app, venv = tmp_path / "app", tmp_path / "venv"
    ignore = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    ignore = [p.removeprefix("**/") for p in ignore if p and not p.startswith(("#", "!"))]
    shutil.copytree(ROOT, app, ignore=shutil.ignore_patterns(*[p.rstrip("/") for p in ignore]))
    assert not (app / ".git").exists() and not (app / ".venv").exists()

    def localise(command):
        command = command.replace("/opt/venv", str(venv)).replace("/app", str(app))
        if command.startswith("python "):
            command = f"{shlex.quote(sys.executable)} {command.removeprefix('python ')}"
        return command

    build_env = {**os.environ, "PATH": f"{venv}/bin:{os.environ['PATH']}"}
    build_env = {k: v for k, v in build_env.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    build_steps = [arg for stage, ins, arg in instructions if stage == 0 and ins == "RUN"]
    assert any("pip install" in step for step in build_steps)
    assert any("collectstatic" in step for step in build_steps)
    # Debian packages for the build (gettext) are the machine's business here:
    # `make translations` installs them (scripts/ensure-debian-packages).
    assert shutil.which("msgfmt"), "GNU gettext is missing: run make translations"
    build_steps = [step for step in build_steps if not step.startswith("apt-get")]
    for step in build_steps:
        subprocess.run(localise(step), shell=True, cwd=app, env=build_env, check=True, timeout=600)  # noqa: S602
    manifest = json.loads((app / "staticfiles" / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["css/site.css"]

    final = [(ins, arg) for stage, ins, arg in instructions if stage == max(s for s, _, _ in instructions)]
    run_env = dict(build_env)
    for ins, arg in final:
        if ins == "ENV":
            for assignment in shlex.split(arg):
                key, _, value = assignment.partition("=")
                run_env[key] = localise(value).replace("$PATH", build_env["PATH"])
    port = free_port()
    run_env.update(
        DJANGO_SECRET_KEY="replay-secret-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    entrypoint = next(exec_form(arg) for ins, arg in final if ins == "ENTRYPOINT")
    command = next(exec_form(arg) for ins, arg in final if ins == "CMD")
    argv = [localise(entrypoint[0]), *entrypoint[1:], *command]
    server = subprocess.Popen(argv, cwd=app, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        # migrate and seed_site run first: minutes on a busy CI machine, seconds otherwise.
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, _, _ = get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200
        # Behind the TLS proxy, as in production: the proxy says the request was https.
        status, body, headers = get(f"{base}/static/{hashed_css}", **{"X-Forwarded-Proto": "https"})
        assert status == 200 and b"skip-link" in body
        assert "immutable" in headers.get("Cache-Control", "") or "max-age" in headers.get("Cache-Control", "")
        status, body, headers = get(f"{base}/en/cell-therapy/", **{"X-Forwarded-Proto": "https"})
        assert status == 200 and b"<h1>Cell therapy</h1>" in body
        # The Danish interface comes from the catalogue the build compiled.
        status, body, headers = get(f"{base}/da/celleterapi/", **{"X-Forwarded-Proto": "https"})
        assert status == 200 and b"Endnu ikke fagligt godkendt" in body
        assert "Strict-Transport-Security" in headers
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    assert server.returncode == 0, output
