"""Run the app under gunicorn on loopback, and simulate students with requests.Session."""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Any
from urllib.parse import urlsplit

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
QUESTION_URL = re.compile(r"/quiz/(\d+)/q/(\d+)$")
TIMEOUT = 90


def free_port() -> int:
    """Return a loopback port that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Gunicorn:
    """A gunicorn master serving tests/load/wsgi_app.py; its log is kept in a file."""

    database_url: str
    log_path: Path
    workers: int = 3
    overrides: dict[str, Any] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        config = {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            # One key shared by every worker: a per-worker key breaks log-in and CSRF.
            "SECRET_KEY": secrets.token_hex(32),
            "RATELIMIT_ENABLED": False,
            **self.overrides,
        }
        self.port = free_port()
        env = {**os.environ, "SINORUS_TEST_CONFIG": json.dumps(config)}
        argv = [
            str(GUNICORN),
            "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--timeout", "120",
            "--backlog", "2048",
            "--capture-output",
            "--log-level", "info",
            "--chdir", str(REPO_ROOT),
            "tests.load.wsgi_app:app",
        ]  # fmt: skip
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(argv, env=env, stdout=log, stderr=log, cwd=REPO_ROOT)
        log.close()
        self.wait_ready()
        return self

    def wait_ready(self, seconds: float = 60) -> None:
        """Wait until the master runs its full complement of workers and / answers."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log()
            try:
                ok = requests.get(self.url + "/", timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            if ok and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        """Return the pids of the master's worker processes (read from /proc)."""
        assert self.process is not None
        master = self.process.pid
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == master and fields[0] not in ("Z", "X"):
                pids.append(int(entry.name))
        return pids

    def kill_worker(self) -> int:
        """SIGKILL one worker, as a crash would; return its pid."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Stats:
    """Thread-safe tallies of what the simulated students saw."""

    def __init__(self) -> None:
        self.lock = Lock()
        self.statuses: Counter[int] = Counter()
        self.connection_errors = 0
        self.acknowledged: set[tuple[int, int]] = set()
        self.posts_acknowledged = 0
        self.bodies_with_locked: list[str] = []
        self.server_errors: list[str] = []

    def record(self, method: str, url: str, response: requests.Response) -> None:
        with self.lock:
            self.statuses[response.status_code] += 1
            if response.status_code >= 500:
                self.server_errors.append(f"{method} {url} -> {response.status_code}")
            if "database is locked" in response.text:
                self.bodies_with_locked.append(f"{method} {url}")

    def acknowledge(self, attempt_id: int, position: int) -> None:
        with self.lock:
            self.acknowledged.add((attempt_id, position))
            self.posts_acknowledged += 1

    def connection_error(self) -> None:
        with self.lock:
            self.connection_errors += 1

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


class Student:
    """One learner in a browser: a requests.Session that reads CSRF tokens from pages."""

    def __init__(self, base: str, email: str, stats: Stats, retries: int = 0) -> None:
        self.base = base
        self.email = email
        self.stats = stats
        self.retries = retries
        self.http = requests.Session()

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send one request; on a dropped connection (a killed worker) retry if allowed."""
        url = path if path.startswith("http") else self.base + path
        for attempt in range(self.retries + 1):
            try:
                response = self.http.request(
                    method, url, allow_redirects=False, timeout=TIMEOUT, **kwargs
                )
            # A killed worker drops the connection, before or in the middle of a response.
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                self.stats.connection_error()
                if attempt == self.retries:
                    raise
                time.sleep(0.2)
                continue
            self.stats.record(method, path, response)
            return response
        raise AssertionError("unreachable")

    def token(self, path: str) -> tuple[str, str]:
        page = self.request("GET", path)
        assert page.status_code == 200, (path, page.status_code)
        match = CSRF_RE.search(page.text)
        assert match, f"no CSRF token on {path}"
        return match.group(1), page.text

    def login(self) -> None:
        token, _ = self.token("/account/login")
        form = {"email": self.email, "password": PASSWORD, "csrf_token": token}
        response = self.request("POST", "/account/login", data=form)
        assert response.status_code == 302, (self.email, response.status_code)
        # Land on the page the log-in redirects to, as a browser does: log-in starts a new CSRF
        # token, and tabs that copy this session's cookies must carry it.
        landing = self.request("GET", response.headers["Location"])
        assert landing.status_code == 200, (self.email, landing.status_code)

    def start_quiz(self, count: int) -> str:
        """Start a practice quiz; return the path of its first question."""
        token, _ = self.token("/quiz/practice")
        form = {"mode": "practice", "count": str(count), "csrf_token": token}
        response = self.request("POST", "/quiz/start", data=form)
        assert response.status_code == 302, response.status_code
        path = urlsplit(response.headers["Location"]).path
        assert QUESTION_URL.search(path), path
        return path

    def answer_form(self, path: str) -> dict[str, Any]:
        """GET a question page and fill in a complete (not necessarily right) answer."""
        token, page = self.token(path)
        form: dict[str, Any] = {"csrf_token": token, **fill_answer(page)}
        return form

    def post_answer(self, path: str, form: dict[str, Any]) -> requests.Response:
        response = self.request("POST", path, data=form)
        if response.status_code == 302:
            attempt_id, position = map(int, QUESTION_URL.search(path).groups())  # type: ignore[union-attr]
            self.stats.acknowledge(attempt_id, position)
        return response

    def finish(self, attempt_id: int, token: str) -> requests.Response:
        return self.request("POST", f"/quiz/{attempt_id}/finish", data={"csrf_token": token})


def fill_answer(page: str) -> dict[str, Any]:
    """Return form fields that answer the question shown on ``page`` completely."""
    choices = re.findall(r'<input type="(radio|checkbox)" name="choice" value="([^"]*)"', page)
    if choices:
        return {"choice": html.unescape(choices[0][1])}
    if 'name="value"' in page:
        return {"value": "1" if 'inputmode="decimal"' in page else "an answer"}
    positions = re.findall(r'<select id="position-(\d+)"', page)
    if positions:
        return {f"position-{i}": str(int(i) + 1) for i in positions}
    matches = re.findall(r'<select id="match-(\d+)"[^>]*>\s*<option value="">[^<]*</option>'
                         r'\s*<option value="([^"]*)"', page)  # fmt: skip
    if matches:
        return {f"match-{i}": html.unescape(option) for i, option in matches}
    if 'name="text"' in page:  # an explanation in the learner's own words (15 words or more)
        return {"text": " ".join(["the report explains why the two countries cooperate"] * 3)}
    raise AssertionError("no answer controls on the question page")
