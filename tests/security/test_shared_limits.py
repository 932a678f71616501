"""Rate limits are shared by every worker and host: two servers, one Redis count."""

from __future__ import annotations

import uuid

import pytest
import redis

from sinorus_learn import create_app
from sinorus_learn.extensions import db
from tests.conftest import require_shared
from tests.load.server import Gunicorn, Stats, Student

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.mark.slow
def test_two_app_servers_share_the_login_count(tmp_path) -> None:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
        available = True
    except redis.ConnectionError:
        available = False
    require_shared(available, "no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    url = f"sqlite:///{tmp_path / 'limits.db'}"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    # a prefix of its own: another run on this machine may count logins in the same Redis
    overrides = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL,
                 "RATELIMIT_KEY_PREFIX": f"shared-limits-{uuid.uuid4().hex}",
                 "LOGIN_RATE_LIMIT": "2 per minute"}  # fmt: skip
    servers = [Gunicorn(url, tmp_path / f"g{i}.log", workers=1, overrides=overrides)
               for i in range(2)]  # fmt: skip
    try:
        for server in servers:
            server.start()
        a, b = (Student(s.url, "nobody@example.org", Stats()) for s in servers)
        codes = []
        for student in (a, a, b):
            token, _ = student.token("/account/login")
            form = {"email": "nobody@example.org", "password": "wrong", "csrf_token": token}
            codes.append(student.request("POST", "/account/login", data=form))
        assert [r.status_code for r in codes] == [200, 200, 429]
        assert "Too many" in codes[2].text
    finally:
        for server in servers:
            server.stop()
