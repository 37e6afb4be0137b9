"""Check the key pages with the W3C Nu HTML checker (vnu.jar from npm): zero errors wanted.

Starts the site on a throw-away instance with the demo data (like api_fuzz.py), signs in as
the demo provider member, organizer and administrator, fetches every page of PAGES in each of
LOCALES over HTTP, saves them as files and runs vnu once over all of them (one JVM).
Prints what it fetches, then every error as ``locale/page:line:column: message``.
Exit status: 0 when every page answered as expected and vnu found no error.

Usage: python .ci/html_check.py [--keep DIR] [--warnings] [--list] [--only WORD]
Needs: java, and vnu-jar installed by ``npm ci --prefix tests/e2e``.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "tests" / "e2e" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SAMPLE_CSV = ROOT / "matchmaker" / "exhibitions" / "import_sample.csv"
LOCALES = ("en", "zh_Hans", "ar")

# Demo accounts (matchmaker/demo): who signs in for the pages that need it.
PASSWORDS = {
    "provider": ("provider@matchmaker.example", "demo-provider-2026"),
    "organizer": ("organizer@matchmaker.example", "demo-organizer-2026"),
    "admin": ("admin@matchmaker.example", "demo-admin-2026"),
}


@dataclass(frozen=True)
class Page:
    name: str  # file name and label
    who: str  # "anonymous" or a key of PASSWORDS
    path: str  # with {placeholders} filled from the demo data (see _ids)
    status: int = 200
    post: str = ""  # "" for GET; else the form (path) whose CSRF token the POST carries
    upload: str = ""  # for POSTs of a file: "sample" (the demo CSV) or "bad" (one bad row)


# The key pages, checked in every locale of LOCALES. {fair}: the next fair (Beijing), where
# the provider has meetings; {past}: the past fair (Dubai), with outcomes and check-ins.
PAGES: tuple[Page, ...] = (
    # Public
    Page("home", "anonymous", "/"),
    Page("directory-providers", "anonymous", "/organizations?kind=provider"),
    Page("directory-buyers", "anonymous", "/organizations?kind=buyer"),
    Page("search", "anonymous", "/organizations?q=software+development&sort=relevance"),
    Page("search-facets", "anonymous", "/organizations?q=call+center&kind=provider&page=2"),
    Page("search-empty", "anonymous", "/organizations?q=zzxqy"),
    Page("profile", "anonymous", "/organizations/{buyer_org}"),
    Page("fairs", "anonymous", "/exhibitions"),
    Page("fair", "anonymous", "/exhibitions/{fair}"),
    Page("fair-past", "anonymous", "/exhibitions/{past}"),
    Page("sign-in", "anonymous", "/account/login"),
    Page("register", "anonymous", "/account/register"),
    Page("forgot-password", "anonymous", "/account/forgot"),
    Page("not-found", "anonymous", "/no-such-page", status=404),
    Page("fair-not-found", "anonymous", "/exhibitions/999999", status=404),
    # A provider's member
    Page("own-profile", "provider", "/organizations/{own_org}"),
    Page("other-profile", "provider", "/organizations/{buyer_org}"),
    Page("edit-profile", "provider", "/organizations/{own_org}/edit"),
    Page("saved", "provider", "/organizations/{own_org}/saved"),
    Page("dismissed", "provider", "/organizations/{own_org}/dismissed"),
    Page("team", "provider", "/organizations/{own_org}/team"),
    Page("fair-participant", "provider", "/exhibitions/{fair}"),
    Page("agenda", "provider", "/exhibitions/{fair}/agenda"),
    Page("people-to-meet", "provider", "/exhibitions/{fair}/participants"),
    Page("preferences", "provider", "/exhibitions/{fair}/preferences"),
    Page("availability", "provider", "/exhibitions/{fair}/availability"),
    Page("badge", "provider", "/exhibitions/{fair}/badge"),
    Page("meeting", "provider", "/exhibitions/{fair}/meetings/{meeting}"),
    Page("meeting-held", "provider", "/exhibitions/{past}/meetings/{held_meeting}"),
    Page("meeting-request", "provider", "/exhibitions/{fair}/meetings/new?with={buyer_org}"),
    Page("calendar", "provider", "/calendar"),
    Page("inbox", "provider", "/conversations"),
    Page("conversation", "provider", "/conversations/{conversation}"),
    Page("new-conversation", "provider", "/conversations/new?to={other_buyer_org}"),
    Page("notifications", "provider", "/notifications"),
    Page("notification-settings", "provider", "/account/notifications"),
    Page("account", "provider", "/account/"),
    # The organizer
    Page("registrations", "organizer", "/exhibitions/{fair}/dashboard"),
    Page("fair-edit", "organizer", "/exhibitions/{fair}/edit"),
    Page("fair-new", "organizer", "/exhibitions/new"),
    Page("sessions", "organizer", "/exhibitions/{fair}/sessions"),
    Page("booths", "organizer", "/exhibitions/{fair}/booths"),
    Page("schedule", "organizer", "/exhibitions/{fair}/schedule"),
    Page(
        "schedule-preview",
        "organizer",
        "/exhibitions/{fair}/schedule/preview",
        post="/exhibitions/{fair}/schedule",
    ),
    Page("check-in", "organizer", "/exhibitions/{past}/check-in"),
    Page("check-in-link", "organizer", "{check_in_link}"),  # the badge's QR code, scanned
    Page("check-in-forged", "organizer", "/exhibitions/{fair}/check-in/forged", status=403),
    Page("forbidden", "provider", "/exhibitions/{fair}/schedule", status=403),
    Page("report", "organizer", "/exhibitions/{past}/report"),
    Page("import", "organizer", "/exhibitions/{fair}/import"),
    Page(
        "import-dry-run",
        "organizer",
        "/exhibitions/{fair}/import",
        post="/exhibitions/{fair}/import",
        upload="sample",
    ),
    Page(
        "import-bad-file",
        "organizer",
        "/exhibitions/{fair}/import",
        status=422,
        post="/exhibitions/{fair}/import",
        upload="bad",
    ),
    # The administrator
    Page("dashboard-no-organization", "admin", "/dashboard"),
    Page("admin-statistics", "admin", "/admin/statistics"),
    Page("admin-reports", "admin", "/admin/reports"),
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect is an answer of its own (a page behind sign-in must not 302)


class Client:
    """One browser: its own cookies (session, locale), no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: bytes | None = None, headers=None):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=120) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def csrf(self, path: str) -> str:
        status, _headers, body = self.request(path)
        found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
        if status != 200 or not found:
            raise SystemExit(f"no CSRF token on {path} (HTTP {status})")
        return found.group(1).decode()

    def post(self, path: str, form_path: str, fields: dict, upload: tuple | None = None):
        fields = {"csrf_token": self.csrf(form_path), **fields}
        if upload is None:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            body, kind = _multipart(fields, *upload)
        return self.request(path, body, {"Content-Type": kind})


def _multipart(fields: dict, name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _sign_in(client: Client, who: str) -> None:
    email, password = PASSWORDS[who]
    status, _headers, _body = client.post(
        "/account/login", "/account/login", {"email": email, "password": password}
    )
    if status not in (302, 303):
        raise SystemExit(f"signing in as {email} failed: HTTP {status}")


def _ids(app) -> dict[str, int]:
    """The demo rows the pages show: fairs, the provider's organization, meetings."""
    from sqlalchemy import text

    engine = app.extensions["matchmaker.engine"]
    with engine.connect() as conn:

        def one(sql: str, **params) -> int:
            value = conn.execute(text(sql), params).scalar()
            if value is None:
                raise SystemExit(f"the demo data has no row for: {sql}")
            return int(value)

        own = one("SELECT organization_id FROM users WHERE email = :e", e=PASSWORDS["provider"][0])
        buyer = one("SELECT organization_id FROM users WHERE email = 'buyer@matchmaker.example'")
        fair = one(
            "SELECT e.id FROM exhibitions e JOIN meetings m ON m.exhibition_id = e.id"
            " WHERE e.status = 'published' AND m.status = 'accepted'"
            " AND (m.requester_id = :o OR m.invitee_id = :o)"
            " ORDER BY e.starts_on DESC LIMIT 1",
            o=own,
        )
        return {
            "own_org": own,
            "buyer_org": buyer,
            "other_buyer_org": one(
                "SELECT organization_id FROM users WHERE email = 'buyer-ar@matchmaker.example'"
            ),
            "fair": fair,
            "past": one(
                "SELECT e.id FROM exhibitions e JOIN meetings m ON m.exhibition_id = e.id"
                " WHERE m.status = 'held' ORDER BY e.starts_on LIMIT 1"
            ),
            "meeting": one(
                "SELECT id FROM meetings WHERE exhibition_id = :f AND status = 'accepted'"
                " AND (requester_id = :o OR invitee_id = :o) ORDER BY id LIMIT 1",
                f=fair,
                o=own,
            ),
            "held_meeting": one(
                "SELECT id FROM meetings WHERE status = 'held'"
                " AND (requester_id = :o OR invitee_id = :o) ORDER BY id LIMIT 1",
                o=own,
            ),
        }


def _start_conversation(client: Client, ids: dict) -> int:
    """The demo has no messages: the provider writes to the buyer (mixed scripts on purpose)."""
    path = f"/conversations/new?to={ids['buyer_org']}"
    status, headers, _ = client.post(
        path,
        path,
        {
            "subject": "Claims processing in German and English",
            "message": "Guten Tag! We run a 24/7 claims desk in Dalian. 我们提供德语服务。"
            " نقدم أيضًا الدعم باللغة العربية.",
        },
    )
    found = re.search(r"/conversations/(\d+)", headers.get("Location", ""))
    if status not in (302, 303) or not found:
        raise SystemExit(f"could not start a conversation: HTTP {status}")
    return int(found.group(1))


def _check_in_link(client: Client, ids: dict) -> str:
    """The path of the link in the QR code of the provider's badge."""
    status, _headers, body = client.request(f"/exhibitions/{ids['fair']}/badge")
    found = re.search(rb'class="check-in-link"[^>]*>([^<]+)<', body)
    if status != 200 or not found:
        raise SystemExit(f"no check-in link on the provider's badge (HTTP {status})")
    return urllib.parse.urlparse(found.group(1).decode().strip()).path


def _upload(kind: str) -> tuple[str, str, bytes]:
    content = SAMPLE_CSV.read_bytes()
    if kind == "sample":  # the demo fair has no buyer places left: those rows would be refused
        content = b"".join(
            line for line in content.splitlines(keepends=True) if b",buyer," not in line
        )
    if kind == "bad":
        content += b"Nowhere Ltd,XX,astronaut,not-an-address,no.such.service\n"
    return ("file", f"{kind}.csv", content)


def _start_site() -> tuple[str, object, object, str]:
    instance = tempfile.mkdtemp(prefix="matchmaker-html-")
    os.environ["MATCHMAKER_INSTANCE_PATH"] = instance
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    os.environ["MATCHMAKER_PUBLIC_URL"] = base
    os.environ["MATCHMAKER_BASE_URL"] = base
    # This checkout's code, whichever matchmaker is installed: ROOT first on the path.
    sys.path.insert(0, str(ROOT))
    demo = "import sys; from matchmaker.cli import main; sys.argv[0] = 'matchmaker'; main()"
    subprocess.run([sys.executable, "-c", demo, "demo", "--no-serve"], check=True, cwd=ROOT)

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from matchmaker import create_app

    app = create_app()
    logging.getLogger("matchmaker.request").setLevel(logging.WARNING)  # the lines below say it
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for _attempt in range(50):
        try:
            urllib.request.urlopen(f"{base}/", timeout=5)
            break
        except OSError:
            time.sleep(0.2)
    return base, app, server, instance


def _fetch_all(base: str, app, pages: list[Page], out: Path) -> list[str]:
    """Save every page of every locale under out/<locale>/<name>.html; return the problems."""
    ids = _ids(app)
    clients = {"anonymous": Client(base)}
    for who in sorted({p.who for p in pages} - {"anonymous"} | {"provider"}):
        clients[who] = Client(base)
        _sign_in(clients[who], who)
    if any("{conversation}" in p.path for p in pages):
        ids["conversation"] = _start_conversation(clients["provider"], ids)
    if any("{check_in_link}" in p.path for p in pages):
        ids["check_in_link"] = _check_in_link(clients["provider"], ids)
    problems = []
    total = len(pages) * len(LOCALES)
    done = 0
    for locale in LOCALES:
        (out / locale).mkdir(parents=True, exist_ok=True)
        for page in pages:
            done += 1
            client = clients[page.who]
            path = page.path.format(**ids)
            url = f"{path}{'&' if '?' in path else '?'}lang={locale}"
            started = time.perf_counter()
            if page.post:
                form = page.post.format(**ids)
                form = f"{form}{'&' if '?' in form else '?'}lang={locale}"
                upload = _upload(page.upload) if page.upload else None
                status, headers, body = client.post(url, form, {}, upload)
            else:
                status, headers, body = client.request(url)
            took = (time.perf_counter() - started) * 1000
            kind = headers.get("Content-Type", "")
            print(
                f"[{done:3}/{total}] {locale:7} {page.who:9} {status} {took:5.0f} ms"
                f"  {page.name}  {'POST ' if page.post else ''}{path}",
                flush=True,
            )
            if status != page.status:
                problems.append(f"{locale}/{page.name}: HTTP {status}, expected {page.status}")
            if not kind.startswith("text/html"):
                problems.append(f"{locale}/{page.name}: Content-Type {kind!r}, not HTML")
                continue
            (out / locale / f"{page.name}.html").write_bytes(body)
    return problems


def _vnu(out: Path, warnings: bool) -> tuple[list[dict], float]:
    java = shutil.which("java")
    if not java:
        raise SystemExit("java is not installed (apt-get install default-jre-headless)")
    if not VNU.exists():
        raise SystemExit(f"{VNU} is missing: npm ci --prefix tests/e2e")
    files = sorted(str(path) for path in out.rglob("*.html"))
    command = [java, "-jar", str(VNU), "--format", "json", "--stdout"]
    if not warnings:
        command.append("--errors-only")
    print(f"+ java -jar {VNU.relative_to(ROOT)} {' '.join(command[3:])} <{len(files)} files>")
    started = time.perf_counter()
    result = subprocess.run([*command, *files], capture_output=True, text=True)
    took = time.perf_counter() - started
    try:
        messages = json.loads(result.stdout or "{}").get("messages", [])
    except json.JSONDecodeError as error:
        raise SystemExit(
            f"vnu failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
        ) from error
    return messages, took


def _where(message: dict, out: Path) -> str:
    url = message.get("url", "")
    path = urllib.parse.unquote(urllib.parse.urlparse(url).path)
    try:
        name = str(Path(path).relative_to(out.resolve()))
    except ValueError:
        name = path or "?"
    return f"{name}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="save the pages in DIR and keep them")
    parser.add_argument("--warnings", action="store_true", help="report vnu's warnings too")
    parser.add_argument("--list", action="store_true", help="print the pages and stop")
    parser.add_argument("--only", metavar="WORD", help="only pages whose name contains WORD")
    args = parser.parse_args(argv)
    pages = [p for p in PAGES if not args.only or args.only in p.name]
    if args.list:
        for page in pages:
            print(f"{page.name:24} {page.who:9} {'POST ' if page.post else ''}{page.path}")
        print(f"{len(pages)} pages × {len(LOCALES)} locales ({', '.join(LOCALES)})")
        return 0
    started = time.perf_counter()
    if args.keep:
        out = Path(args.keep).resolve()
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
    else:
        out = Path(tempfile.mkdtemp(prefix="matchmaker-vnu-"))
    base, app, server, instance = _start_site()
    try:
        problems = _fetch_all(base, app, pages, out)
    finally:
        server.shutdown()
        shutil.rmtree(instance, ignore_errors=True)
    messages, vnu_took = _vnu(out, args.warnings)
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    for message in messages:
        label = message.get("subType") or message.get("type")
        print(f"{_where(message, out)}: {label}: {message.get('message', '')}")
        if message.get("extract"):
            print(f"    {message['extract'].strip()[:160]}")
    for problem in problems:
        print(f"page: {problem}")
    count = len(list(out.rglob("*.html")))
    print(
        f"\nvnu: {len(errors)} errors, {len(messages) - len(errors)} warnings in {count} pages"
        f" ({len(pages)} pages × {len(LOCALES)} locales); {len(problems)} page problems;"
        f" vnu {vnu_took:.1f} s, total {time.perf_counter() - started:.1f} s"
    )
    if args.keep:
        print(f"pages kept in {out}")
    else:
        shutil.rmtree(out, ignore_errors=True)
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
