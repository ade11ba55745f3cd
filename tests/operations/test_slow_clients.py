"""
Slow clients wait in the proxy, never in gunicorn (issue 22, F8).

An anonymous stranger sent two POST bodies one byte every 2 s: both sync
workers were held until gunicorn killed them, and every reader waited 30 s.
The shipped deploy/nginx.conf reads each request in full before gunicorn sees
it. Checked here on Debian's real nginx (package nginx-light; `make pytest`
installs it through scripts/ensure-debian-packages) with the shipped file,
changed only in its ports and paths, in front of gunicorn as shipped with two
workers: while two slow bodies trickle in, a reader is served in under 1 s.
The control shows the same attack on gunicorn alone holds the reader up.
"""

import time

import pytest

from tests.support import servers

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not servers.nginx_available(),
        reason=f"needs Debian's nginx ({servers.NGINX}, package nginx-light) and openssl: "
        "run `make nginx` (scripts/ensure-debian-packages) to install them",
    ),
]

READER_PATH = "/en/cell-therapy/"
ATTACK_PATH = "/en/feedback/cell-therapy/"  # anonymous, reads the body
WORKERS = 2


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("slow-clients")
    return tmp, servers.prepared_site(tmp)


def attack(port, tls, length):
    attackers = [servers.SlowBody(port, ATTACK_PATH, tls=tls, length=length, interval=2.0) for _ in range(WORKERS)]
    for attacker in attackers:
        attacker.start()
    for attacker in attackers:
        assert attacker.started_body.wait(10), "the slow body never started"
    time.sleep(0.5)  # both bodies under way
    return attackers


def end(attackers):
    for attacker in attackers:
        attacker.stop()
    for attacker in attackers:
        attacker.join(timeout=10)


def test_behind_the_shipped_nginx_a_reader_is_served_at_once_while_slow_bodies_trickle_in(site):
    tmp, env = site
    with servers.gunicorn(env, tmp, workers=WORKERS) as app_port, servers.nginx(tmp, app_port) as proxy_port:
        attackers = attack(proxy_port, tls=True, length=8)  # 16 s of body if left to finish
        try:
            times = servers.read_repeatedly(proxy_port, READER_PATH, seconds=8, tls=True)
        finally:
            end(attackers)
    print(f"through nginx, during two slow bodies: {len(times)} reads, max {max(times):.3f} s")
    assert len(times) >= 5
    assert max(times) < 1.0


def test_control_without_the_proxy_the_slow_bodies_hold_both_workers(site):
    tmp, env = site
    with servers.gunicorn(env, tmp, workers=WORKERS) as app_port:
        attackers = attack(app_port, tls=False, length=3)  # the workers are free again after about 6 s
        try:
            status, took = servers.get(app_port, READER_PATH)
        finally:
            end(attackers)
    print(f"straight to gunicorn, during two slow bodies: the reader waited {took:.2f} s ({status})")
    assert took > 2.0
