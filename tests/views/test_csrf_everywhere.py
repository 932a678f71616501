"""Every state-changing route refuses a request without a CSRF token."""

from __future__ import annotations

import re

import pytest


def post_rules(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if not ({"POST", "PUT", "PATCH", "DELETE"} & (rule.methods or set())):
            continue
        url = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
        urls.append(url)
    return sorted(set(urls))


@pytest.mark.parametrize("role", ["anonymous", "student", "admin"])
def test_every_post_route_without_token_is_refused(app, client, make_user, auth, role) -> None:
    if role != "anonymous":
        auth.login(make_user(role).email)
    urls = post_rules(app)
    assert len(urls) >= 5
    for url in urls:
        response = client.post(url, data={"note": "x" * 20, "mode": "practice"})
        assert response.status_code == 400, (url, response.status_code)
        assert b"security token" in response.data, url
