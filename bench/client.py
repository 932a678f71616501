"""The benchmark's clients: routes, a keep-alive HTTP client, log-in, phases and page weights.

Each client is one simulated learner described by a frozen ``ClientSpec``; a phase runs every
client of a process in its own thread against one route (or the realistic mix) and records
latency, SQL statements and size per route after the warm-up.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from seeding import PASSWORD, answer_items

# URLs of the GET phases that need no per-client data
GET_PATHS = {
    "bare_read": "/bench/read",
    "home": "/",
    "topics": "/topics",
    "timeline": "/timeline",
    "oil_table": "/tables/crude_oil_imports",
    "arms_table": "/tables/arms_transfers",
    "practice": "/quiz/practice",
    "exam": "/quiz/exam",
    "progress": "/progress",
    "review_queue": "/review",
    "history": "/quiz/history",
}
ROUTE_LABELS = {
    "bare_read": "bare read (GET /bench/read)",
    "bare_write": "bare write (POST /bench/write)",
    "home": "home page (GET /)",
    "topics": "topics (GET /topics)",
    "lesson": "lesson page (GET /lessons/<slug>)",
    "timeline": "timeline (GET /timeline)",
    "oil_table": "oil table (GET /tables/crude_oil_imports)",
    "arms_table": "arms table (GET /tables/arms_transfers)",
    "practice": "practice form (GET /quiz/practice)",
    "exam": "exam form (GET /quiz/exam)",
    "start": "start quiz (POST /quiz/start)",
    "question": "quiz page (GET /quiz/<id>/q/<n>)",
    "answer": "submit answer (POST /quiz/<id>/q/<n>)",
    "progress": "progress page (GET /progress)",
    "review_queue": "review queue (GET /review)",
    "history": "attempt history (GET /quiz/history)",
    "attempt_review": "attempt review (GET /quiz/<id>/review)",
    "dashboard": "class dashboard (GET /instructor/classes/<id>)",
}
PHASES = tuple(ROUTE_LABELS)  # in this order: answers need the attempts that start began
BARE = ("bare_read", "bare_write")
MEASURED = tuple(p for p in PHASES if p not in BARE)  # each right after its reference
WRITES = ("start", "answer")
NOT_STUDENT_PAGES = ("bare_read", "bare_write", "dashboard", *WRITES)
STUDENT_PAGES = tuple(p for p in PHASES if p not in NOT_STUDENT_PAGES)
STUDENT_ROUTES = STUDENT_PAGES + WRITES


# ----------------------------------------------------------------------------- HTTP client


@dataclass(frozen=True)
class Reply:
    """One response as the bench reads it: status, headers, body and seconds taken."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float


class Http:
    """A keep-alive HTTP/1.1 client with a cookie jar: lighter than requests under load."""

    def __init__(self, port: int, cookies: Mapping[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> Reply:
        headers = {"User-Agent": "sinorus-bench"}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                started = time.perf_counter()
                self.conn.request(method, path, body, headers)
                resp = self.conn.getresponse()
                data = resp.read()
                elapsed = time.perf_counter() - started
                break
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for cookie in resp.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if value and "Max-Age=0" not in cookie and "1970" not in cookie:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        if resp.will_close and self.conn is not None:
            self.conn.close()
            self.conn = None
        return Reply(status=resp.status, headers=resp.headers, body=data, seconds=elapsed)


CSRF_RE = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
ATTEMPT_RE = re.compile(r"/quiz/(\d+)/q/1$")


@dataclass(frozen=True)
class Login:
    """A logged-in session: its cookies and the CSRF token its forms carry."""

    cookies: Mapping[str, str]
    csrf: str


@dataclass(frozen=True)
class ClientSpec:
    """One simulated learner: its session, its instructor's, and what it may ask for."""

    user: int  # the student's user id; seeds the client's random choices
    student: Login
    teacher: Login
    slugs: tuple[str, ...]  # lessons
    topics: tuple[str, ...]  # topics with enough questions for a lesson quiz
    class_id: int
    finished: tuple[int, ...]  # the student's seeded, finished attempts
    items: tuple[tuple[str, dict[str, Any]], ...] = ()  # (url, form) to answer, once started


def login(port: int, email: str) -> Login:
    """Log in through the form; return the session cookies and a CSRF token."""
    client = Http(port)
    page = client.request("GET", "/account/login")
    token = CSRF_RE.search(page.body).group(1).decode()  # type: ignore[union-attr]
    resp = client.request(
        "POST", "/account/login", {"email": email, "password": PASSWORD, "csrf_token": token}
    )
    if resp.status != 302:
        raise SystemExit(f"log-in failed for {email}: HTTP {resp.status}")
    page = client.request("GET", "/topics")
    token = CSRF_RE.search(page.body).group(1).decode()  # type: ignore[union-attr]
    return Login(cookies=client.cookies, csrf=token)


# ----------------------------------------------------------------------------- phases


class Recorder:
    """Latencies, SQL counts and sizes per route, recorded after the warm-up."""

    def __init__(self, record_from: float) -> None:
        self.record_from = record_from
        self.lock = threading.Lock()
        self.data: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"lat": [], "sql": [], "size": [], "errors": 0}
        )

    def __call__(self, route: str, resp: Reply, expect: int = 200) -> None:
        if time.perf_counter() < self.record_from:
            return
        with self.lock:
            entry = self.data[route]
            if resp.status != expect:
                entry["errors"] += 1
                return
            entry["lat"].append(resp.seconds)
            entry["sql"].append(int(resp.headers.get("X-SQL-Count", -1)))
            entry["size"].append(len(resp.body))


def page_path(phase: str, spec: ClientSpec, rng: random.Random, i: int) -> str:
    """The URL a GET phase asks for on a client's i-th request."""
    if phase == "lesson":
        return f"/lessons/{rng.choice(spec.slugs)}"
    if phase == "question":
        return str(spec.items[i % len(spec.items)][0])
    if phase == "attempt_review":
        return f"/quiz/{rng.choice(spec.finished)}/review"
    if phase == "dashboard":
        return f"/instructor/classes/{spec.class_id}"
    return GET_PATHS[phase]


def started_id(resp: Reply) -> int:
    """The id of the attempt a successful POST /quiz/start redirects to."""
    return int(ATTEMPT_RE.search(resp.headers["Location"]).group(1))  # type: ignore[union-attr]


def _client_loop(
    phase: str,
    port: int,
    spec: ClientSpec,
    rec: Recorder,
    deadline: float,
    db_url: str,
    started: list[int],
) -> None:
    rng = random.Random(spec.user)  # noqa: S311
    http_ = Http(port, spec.student.cookies)
    csrf = spec.student.csrf
    teacher = Http(port, spec.teacher.cookies)
    i = 0
    while time.perf_counter() < deadline:
        if phase == "bare_write":
            rec(phase, http_.request("POST", "/bench/write", {}))
        elif phase == "start":
            resp = start_quiz(http_, csrf, rng, spec, count=10)
            rec(phase, resp, 302)
            if resp.status == 302:
                started.append(started_id(resp))
        elif phase == "answer":
            if i >= len(spec.items):
                return  # out of prepared questions: this client stops early
            url, form = spec.items[i]
            rec(phase, http_.request("POST", url, {**form, "csrf_token": csrf}), 302)
        elif phase == "dashboard":
            rec(phase, teacher.request("GET", page_path(phase, spec, rng, i)))
        elif phase == "mix":
            _session(http_, teacher, csrf, rng, spec, rec, db_url)
        else:
            rec(phase, http_.request("GET", page_path(phase, spec, rng, i)))
        i += 1


def start_quiz(http_: Http, csrf: str, rng: random.Random, spec: ClientSpec, count: int) -> Reply:
    """POST /quiz/start for a lesson quiz on one of the spec's topics."""
    form = {
        "csrf_token": csrf,
        "mode": "lesson",
        "topic": rng.choice(spec.topics),
        "count": count,
    }
    return http_.request("POST", "/quiz/start", form)


def _session(
    http_: Http,
    teacher: Http,
    csrf: str,
    rng: random.Random,
    spec: ClientSpec,
    rec: Recorder,
    db_url: str,
) -> None:
    """One learner's visit: read a lesson, take a 5-question quiz, look at progress."""
    rec("lesson", http_.request("GET", page_path("lesson", spec, rng, 0)))
    resp = start_quiz(http_, csrf, rng, spec, count=5)
    rec("start", resp, 302)
    if resp.status != 302:
        return
    for url, form in answer_items(db_url, [started_id(resp)]):
        rec("question", http_.request("GET", url))
        rec("answer", http_.request("POST", url, {**form, "csrf_token": csrf}), 302)
    rec("progress", http_.request("GET", "/progress"))
    if rng.random() < 0.2:  # instructors look at their class now and then
        rec("dashboard", teacher.request("GET", page_path("dashboard", spec, rng, 0)))


def run_clients(
    phase: str, port: int, specs: list[ClientSpec], seconds: float, warmup: float, db_url: str
) -> tuple[dict[str, Any], dict[int, list[int]]]:
    """Run one phase with a thread per client spec; return the records and, per user, the
    attempts it started."""
    now = time.perf_counter()
    rec = Recorder(now + warmup)
    started: dict[int, list[int]] = {spec.user: [] for spec in specs}
    threads = [
        threading.Thread(
            target=_client_loop,
            args=(phase, port, spec, rec, now + warmup + seconds, db_url, started[spec.user]),
        )
        for spec in specs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return dict(rec.data), started


# ----------------------------------------------------------------------------- page checks


ASSET_RE = re.compile(
    r'<(script|link|img|iframe|source|audio|video|embed)\b[^>]*?\b(src|href)="([^"]*)"', re.I
)
CSS_URL_RE = re.compile(r'url\(\s*[\'"]?([^\'")]+)|@import\s+[\'"]([^\'"]+)')


def page_weight(client: Http, path: str) -> tuple[int, list[str]]:
    """Bytes of a page plus the stylesheets, scripts and images it loads; external URLs."""
    body = client.request("GET", path).body.decode()
    total = len(body.encode())
    external = []
    for _tag, _attr, url in ASSET_RE.findall(body):
        if url.startswith(("http:", "https:", "//")):
            external.append(url)
            continue
        if url.startswith("data:"):
            continue
        asset = client.request("GET", url.replace("&amp;", "&"))
        total += len(asset.body)
        if url.endswith(".css"):
            for found in CSS_URL_RE.findall(asset.body.decode(errors="replace")):
                ref = found[0] or found[1]
                if ref.startswith(("http:", "https:", "//")):
                    external.append(ref)
    return total, external


def weigh_pages(port: int, spec: ClientSpec) -> tuple[dict[str, int], list[str]]:
    """Weigh every student page (on a new quiz for the quiz page); list external URLs."""
    student = Http(port, spec.student.cookies)
    rng = random.Random(0)  # noqa: S311
    started = start_quiz(student, spec.student.csrf, rng, spec, count=10)
    if started.status != 302:
        raise SystemExit(f"POST /quiz/start answered HTTP {started.status}")
    paths = {
        page: f"/quiz/{started_id(started)}/q/1"
        if page == "question"
        else page_path(page, spec, rng, 0)
        for page in STUDENT_PAGES
    }
    weights, external = {}, []
    for page, path in paths.items():
        weights[page], ext = page_weight(student, path)
        external += ext
    teacher = Http(port, spec.teacher.cookies)
    _, ext = page_weight(teacher, page_path("dashboard", spec, rng, 0))
    return weights, sorted(set(external + ext))
