"""Load benchmark: the site with the demo data under gunicorn, measured by wrk.

    python benchmarks/load.py [--duration 10] [--workdir DIR] [--label after]

Loads the demo data into a fresh SQLite database (or reuses ``--workdir``), starts
``matchmaker serve`` (2 workers × 4 threads, gthread, access log on, as shipped) and, in the
same run, a bare Flask route rendering a small compiled template (benchmarks/bare_wsgi.py)
under the same gunicorn settings. Then wrk (``-t4 -c8 -d10s --latency``; Debian package
``wrk``) hits home, the directory (providers), search results for a common term, a profile,
the API list, anonymously and signed in, and the recommendations (the signed-in member's own
profile). Prints JSON: req/s, p99 and the ratio of req/s to the bare route for each.

Not a test: the numbers depend on the machine. Compare ratios, not req/s, between machines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
MEMBER = ("buyer@matchmaker.example", "demo-buyer-2026")
SEARCH_TERM = "software"

# Keep in step with matchmaker/server.py `run`: the bare route gets the same gunicorn settings.
GUNICORN_FLAGS = [
    "--workers",
    "2",
    "--threads",
    "4",
    "--worker-class",
    "gthread",
    "--access-logfile",
    "-",
    "--timeout",
    "60",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server for {url} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "MATCHMAKER_DATABASE_URL": f"sqlite:///{workdir / 'matchmaker.sqlite3'}",
            "MATCHMAKER_SEARCH_INDEX_PATH": str(workdir / "search.sqlite3"),
            "MATCHMAKER_SECRET_KEY": "load-benchmark",
            "MATCHMAKER_ELASTICSEARCH_URL": "",
            "MATCHMAKER_SMTP_URL": "",
            # This checkout's code, whatever else is installed.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    return env


def matchmaker_command() -> list[str]:
    """`matchmaker` from this checkout (the installed one may point elsewhere)."""
    return [sys.executable, "-c", "from matchmaker.cli import main; main()"]


def load_demo(workdir: Path) -> None:
    if (workdir / "matchmaker.sqlite3").exists():
        log(f"• Reusing the demo data in {workdir}")
        return
    log(f"• Loading the demo data into {workdir}")
    subprocess.run(
        [*matchmaker_command(), "demo", "--no-serve"],
        env=environment(workdir),
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_site(workdir: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [*matchmaker_command(), "serve", "--port", str(port), "--workers", "2"],
        env=environment(workdir),
        cwd=workdir,
        stdout=open(workdir / "site-access.log", "wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_bare(workdir: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            *GUNICORN_FLAGS,
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT / "benchmarks"),
            "bare_wsgi:app",
        ],
        stdout=open(workdir / "bare-access.log", "wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def sign_in(base: str) -> tuple[str, int]:
    """Sign the demo buyer in; return the Cookie header and the member's organization id."""
    browser = requests.Session()
    form = browser.get(f"{base}/account/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = {"email": MEMBER[0], "password": MEMBER[1]}
    if token:
        data["csrf_token"] = token.group(1)
    answer = browser.post(f"{base}/account/login", data=data, allow_redirects=False, timeout=30)
    if answer.status_code not in (302, 303):
        raise SystemExit(f"signing in failed: {answer.status_code}")
    dashboard = browser.get(f"{base}/dashboard", allow_redirects=False, timeout=30)
    own = re.search(r"/organizations/(\d+)", dashboard.headers.get("Location", ""))
    if not own:
        raise SystemExit("the demo member has no organization")
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    return cookie, int(own.group(1))


def a_public_profile(base: str) -> int:
    listing = requests.get(f"{base}/api/v1/organizations", timeout=30).json()
    items = listing.get("items") or listing.get("data") or []
    return int(items[0]["id"])


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, duration: int, cookie: str | None = None) -> dict:
    command = ["wrk", "-t4", "-c8", f"-d{duration}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"\s99%\s+([\d.]+\w+)", output).group(1)
    p50 = re.search(r"\s50%\s+([\d.]+\w+)", output).group(1)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    result = {"req_s": round(rate, 1), "p50_ms": round(_ms(p50), 1), "p99_ms": round(_ms(p99), 1)}
    if bad:
        result["non_2xx_3xx"] = int(bad.group(1))
    if errors:
        result["socket_errors"] = errors.group(0)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each run")
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) the demo data here")
    parser.add_argument("--label", default="", help="a name for this run in the JSON")
    parser.add_argument("--only", default="", help="comma-separated page names to run")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    load_before = os.getloadavg()[0]
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="matchmaker-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    load_demo(workdir)
    site_port, bare_port = free_port(), free_port()
    site, bare = start_site(workdir, site_port), start_bare(workdir, bare_port)
    try:
        base, bare_url = f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{bare_port}/"
        wait_until_up(base + "/", site)
        wait_until_up(bare_url, bare)
        cookie, own_id = sign_in(base)
        profile = a_public_profile(base)
        pages = {
            "home": "/",
            "directory": "/organizations?kind=provider",
            "search": f"/organizations?q={SEARCH_TERM}&kind=any",
            "profile": f"/organizations/{profile}",
            "api_list": "/api/v1/organizations",
        }
        runs: list[tuple[str, str, str, str | None]] = [("bare", "anonymous", bare_url, None)]
        for name, path in pages.items():
            runs.append((name, "anonymous", base + path, None))
        for name, path in pages.items():
            runs.append((name, "signed_in", base + path, cookie))
        runs.append(("recommendations", "signed_in", f"{base}/organizations/{own_id}", cookie))
        # The bare route again at the end: on a shared machine the load drifts during a run.
        runs.append(("bare_again", "anonymous", bare_url, None))
        wanted = {name for name in options.only.split(",") if name} | {"bare", "bare_again"}
        results: dict[str, dict] = {"anonymous": {}, "signed_in": {}}
        for name, who, url, with_cookie in runs:
            if options.only and name not in wanted:
                continue
            log(f"• {name} ({who}): {url}")
            if options.warmup:
                wrk(url, options.warmup, with_cookie)
            results[who][name] = wrk(url, options.duration, with_cookie)
        anonymous = results["anonymous"]
        bare_rate = (anonymous["bare"]["req_s"] + anonymous["bare_again"]["req_s"]) / 2 or 1.0
        for group in results.values():
            for entry in group.values():
                entry["ratio_to_bare"] = round(entry["req_s"] / bare_rate, 3)
        report = {
            "label": options.label,
            "wrk": f"-t4 -c8 -d{options.duration}s --latency",
            "gunicorn": "2 workers × 4 threads (gthread), access log on",
            "cpus": os.cpu_count(),
            "load_average_before": round(load_before, 2),
            "ratio_to": "mean req/s of the bare route at the start and the end",
            **results,
        }
        print(json.dumps(report, indent=2))
    finally:
        stop(site)
        stop(bare)
        if options.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
